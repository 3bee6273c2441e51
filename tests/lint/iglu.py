"""Lay out Snowplow's Iglu Central corpus as a Reflekt SchemaVer project (used by tests and bench)."""

from __future__ import annotations

import shutil
from pathlib import Path

PROJECT_YML = """\
version: 1.0
name: iglu_central
vendor: com.snowplowanalytics.snowplow
schemas:
  versioning: schemaver
  conventions:
    event: {casing: any, numbers: true}
    property: {casing: any, numbers: true}
"""


def copy_iglu_project(corpus: Path, root: Path) -> Path:
    """schemas/<vendor>/<name>/jsonschema/<M-R-A> -> <root>/schemas/<vendor>/<name>/<M-R-A>.json."""
    schemas = root / "schemas"
    (schemas / ".reflekt" / "meta").mkdir(parents=True, exist_ok=True)
    (root / "reflekt_project.yml").write_text(PROJECT_YML, encoding="utf-8")
    for source in sorted((corpus / "schemas").glob("*/*/jsonschema/*")):  # avro/thrift are not JSON Schema
        vendor, name = source.parts[-4], source.parts[-3]
        target = schemas / vendor / name / f"{source.name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root
