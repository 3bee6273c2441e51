"""Reflekt: product-analytics event schemas as code."""

__version__ = "0.4.0"
