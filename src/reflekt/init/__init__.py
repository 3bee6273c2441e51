"""`reflekt init`: scaffold a project, its meta-schema and a profile."""
