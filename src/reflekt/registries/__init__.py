"""Schema registries: one module per registry behind the Registry protocol, loaded lazily."""
