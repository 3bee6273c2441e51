"""The text of every file `reflekt init` writes (project config, meta-schema, README, .gitignore)."""

from __future__ import annotations

import json
from typing import Any

META_SCHEMA_ID = ".reflekt/meta/1-0.json"

PROJECT_YML = """\
# reflekt_project.yml: project settings, schema conventions, registry and artifact options.
# Every key below is written with its default; see docs/configuration.md for details.
# GENERAL CONFIG ----------------------------------------------------------------------
version: 1.0

name: {name}{name_pad}# Project name (letters, digits, _; names the dbt package)
vendor: {vendor}{vendor_pad}# Default vendor for schemas in this project
default_profile: {profile}{profile_pad}# Profile used from reflekt_profiles.yml (override: --profile)
profiles_path: {profiles_path}  # Relative paths resolve from this folder

# SCHEMAS CONFIG ----------------------------------------------------------------------
schemas:
  versioning: major-minor       # major-minor (1-0, 2-1) | schemaver (1-0-0)
  conventions:
    event:
      casing: title             # title | snake | camel | pascal | any
      numbers: false            # Allow numbers in event names
      reserved: []              # Reserved event names
    property:
      casing: snake             # title | snake | camel | pascal | any
      numbers: false            # Allow numbers in property names
      reserved: []              # Reserved property names
    data_types: [               # Allowed data types
      string, integer, number, boolean, object, array, any, 'null'
    ]

# REGISTRY CONFIG ---------------------------------------------------------------------
registry:
  avo:
    branches:                   # Avo branch name -> branch ID, used by `reflekt pull`
      main: main                # 'main' always refers to the main branch

# ARTIFACTS CONFIG --------------------------------------------------------------------
artifacts:
  dbt:
    sources:
      prefix: __src_            # Source files start with this prefix
    models:
      prefix: stg_              # Model files start with this prefix
      filter: null              # Optional SQL condition applied to every staging model
      materialized: view        # view | table | incremental | ephemeral
      union_versions: false     # Also build one model unioning all versions of an event
    docs:
      prefix: _stg_             # Docs files start with this prefix
      in_folder: false          # Put docs files in a separate docs/ folder
      schema_tests: false       # required -> not_null, enum -> accepted_values
      tests:                    # dbt tests added to columns by name (may be {{}})
        id: [unique, not_null]

# LINT CONFIG -------------------------------------------------------------------------
lint: {{}}                        # rules: {{CODE: severity | false | {{...}}}}, ignore: {{glob: [CODE]}}
                                # see `reflekt lint --help`
"""


def _pad(line: str) -> str:
    """Spaces that put the trailing comment in the same column as the rest of the file."""
    return " " * max(2, 32 - len(line))


def project_yml(name: str, vendor: str, profile: str, profiles_path: str) -> str:
    return PROJECT_YML.format(
        name=name,
        name_pad=_pad(f"name: {name}"),
        vendor=_yaml_scalar(vendor),  # user text: quoted when YAML would misread it (`a: b`, `#x`)
        vendor_pad=_pad(f"vendor: {_yaml_scalar(vendor)}"),
        profile=_yaml_scalar(profile),
        profile_pad=_pad(f"default_profile: {_yaml_scalar(profile)}"),
        profiles_path=_yaml_scalar(profiles_path),
    )


def _yaml_scalar(value: str) -> str:
    """Quote a value only when YAML would misread it (e.g. a leading `~` means null)."""
    import yaml

    dumped = yaml.safe_dump(value, default_style=None).strip()
    return dumped.removesuffix("\n...").strip()


def meta_schema(vendor: str = "reflekt") -> dict[str, Any]:
    """The project meta-schema every event schema is validated against (draft-07).

    `metadata` is optional by default; to require fields (e.g. code_owner), add "metadata" to
    `self.required` and the field names to `self.properties.metadata.required`.
    """
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": META_SCHEMA_ID,
        "$comment": (
            "To require metadata on every event: add \"metadata\" to allOf[1].properties.self.required "
            "and the keys (e.g. \"code_owner\", \"product_owner\") to "
            "allOf[1].properties.self.properties.metadata.required."
        ),
        "description": "Meta-schema for all Reflekt event schemas",
        "self": {"vendor": vendor, "name": "meta", "format": "jsonschema", "version": "1-0"},
        "type": "object",
        "allOf": [
            {"$ref": "http://json-schema.org/draft-07/schema#"},
            {
                "properties": {
                    "self": {
                        "type": "object",
                        "properties": {
                            "vendor": {
                                "type": "string",
                                "description": "Company, application, team or system that authored the "
                                "schema (e.g. com.company, com.company.android)",
                            },
                            "name": {
                                "type": "string",
                                "description": "The event name (e.g. Product Viewed)",
                            },
                            "format": {
                                "type": "string",
                                "description": "The format of the schema",
                                "const": "jsonschema",
                            },
                            "version": {
                                "type": "string",
                                "description": "The schema version, MAJOR-MINOR (e.g. 1-0, 1-1, 2-0)",
                                "pattern": "^[1-9][0-9]*-(0|[1-9][0-9]*)(-(0|[1-9][0-9]*))?$",
                            },
                            "metadata": {
                                "type": "object",
                                "description": "Ownership and other metadata for the event",
                                "properties": {
                                    "code_owner": {"type": "string"},
                                    "product_owner": {"type": "string"},
                                    "stakeholders": {"type": "array", "items": {"type": "string"}},
                                },
                                "required": [],
                            },
                            "lint": {
                                "type": ["boolean", "object"],
                                "description": "false skips this schema in `reflekt lint`; "
                                "{\"ignore\": [\"NM02\"]} skips rules for it",
                            },
                        },
                        "required": ["vendor", "name", "format", "version"],
                        "additionalProperties": False,
                    },
                    "properties": {"type": "object"},
                },
                "required": ["self", "properties"],
            },
        ],
    }


def meta_schema_text(vendor: str = "reflekt") -> str:
    return json.dumps(meta_schema(vendor), indent=2) + "\n"


GITIGNORE = """\
# Reflekt
.logs/
.reflekt_cache/
.env
# a profiles file holds credentials: keep it out of git unless it only uses env_var()
reflekt_profiles.yml
"""

README = """\
# {name}

Event schemas as code, managed with [Reflekt](https://github.com/gclunies/reflekt).

```
schemas/            event schemas: schemas/<folder>/<Event Name>/<MAJOR-MINOR>.json
schemas/.reflekt/   the meta-schema every event schema must match
artifacts/          built artifacts (dbt packages)
reflekt_project.yml project configuration (conventions, registry, dbt options)
```

Common commands:

```
reflekt debug                      # check the configuration and every connection
reflekt lint                       # lint every schema against the conventions
reflekt build dbt --select <folder> --source <source_id>.<database>.<schema> --sdk segment
```

Credentials live in the profiles file ({profiles_path}); prefer `{{{{ env_var('NAME') }}}}`
for secrets. To require metadata such as `code_owner` on every event, edit
`schemas/.reflekt/meta/1-0.json` (see its `$comment`).
"""


def readme(name: str, profiles_path: str) -> str:
    return README.format(name=name, profiles_path=profiles_path)
