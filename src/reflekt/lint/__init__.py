"""`reflekt lint`: rules (rules/<group>.py), their registry, the runner and the output formats."""
