"""syndicate: translate, localize and syndicate Indonesian news articles."""

__version__ = "0.1.0"
