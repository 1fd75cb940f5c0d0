"""targetqa: find copy-paste, boilerplate and inconsistent rows in Chinese budget performance tables."""

__version__ = "0.1.0"
