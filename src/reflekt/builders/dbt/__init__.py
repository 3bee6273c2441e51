"""The dbt package builder: naming, SQL and YAML rendering, and the safe package write."""
