"""planpack: key-account plans as code."""

__version__ = "0.1.0"
