"""dlquiz: deep-learning interview prep in the terminal."""

__version__ = "0.1.0"
