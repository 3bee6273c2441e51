"""Lint rules, one group per module; each is listed in reflekt.lint.registry.RULES."""
