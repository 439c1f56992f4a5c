"""Carto.net: an open skills-cartography graph service."""

__version__ = "0.1.0"
