"""How each collector SDK lands events in the warehouse: one layout module per SDK, loaded lazily."""
