"""`reflekt report`: the tracking plan as a catalog for people (markdown or one static HTML file)."""
