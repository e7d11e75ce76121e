"""The built-in scenario library: YAML files shipped inside the wheel."""

OWNER = "mockcall"
"""Marks this `scenarios` package as mockcall's own (another distribution may ship one too)."""
