"""Warehouse connectors: one module per warehouse behind the Warehouse protocol, loaded lazily."""
