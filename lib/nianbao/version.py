"""The version of nianbao (its own module, so that importing it never imports the package API)."""
__version__ = "0.1.0"
