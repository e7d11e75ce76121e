"""The one error type that the CLI turns into a single line on stderr and exit status 2."""


class UserError(Exception):
    """Bad input from the user (a file, a name, a device): reported in one line, never a traceback."""
