"""Artifact builders: each turns schemas (+ warehouse introspection) into files, loaded lazily."""

# `reflekt build <name>` -> "module:function"
BUILDERS: dict[str, str] = {
    "dbt": "reflekt.builders.dbt.package:build_dbt_package",
}
