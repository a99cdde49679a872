"""docmine: turn policy guidance into an obligation register."""

__version__ = "0.1.0"
