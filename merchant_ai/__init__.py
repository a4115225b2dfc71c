"""Merchant AI: offline analytics for small shops."""

__version__ = "0.1.0"
