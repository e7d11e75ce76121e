"""`python -m mockcall`: the same command line as the `mockcall` console script."""

from simulator import __version__

__all__ = ["__version__"]
