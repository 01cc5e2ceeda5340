"""wfh-cube: an open, reproducible data cube for workforce foresighting."""

__version__ = "0.1.0"
