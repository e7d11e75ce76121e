"""The Textual UI: library, practice, results, review and settings screens."""
