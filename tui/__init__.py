"""marginalia: read, highlight and code news articles side by side in the terminal."""

__version__ = "0.1.0"
