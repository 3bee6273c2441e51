"""SDK layouts for `validate --source`: how each collector stores events, read backwards."""
