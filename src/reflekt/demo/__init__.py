"""`reflekt init --demo`: an e-commerce project with schemas and a DuckDB file of raw events."""

from __future__ import annotations

from pathlib import Path

DEMO_NAME = "reflekt_demo"
DEMO_VENDOR = "com.example.shop"
DEMO_PROFILE = "demo"
DEMO_SOURCE_ID = "demo"
DEMO_DB = "data/demo.duckdb"  # relative to the project root


def demo_profile() -> dict:
    return {"registry": [], "source": [{"id": DEMO_SOURCE_ID, "type": "duckdb", "path": DEMO_DB}]}


def populate(root: Path, vendor: str = DEMO_VENDOR) -> tuple[tuple[int, int], dict[str, int]]:
    """Write the demo schemas (keeping existing ones) and database; returns ((written, kept), rows per table)."""
    from reflekt.demo.data import write_demo_database
    from reflekt.demo.schemas import write_demo_schemas

    schemas = write_demo_schemas(root / "schemas", vendor)
    return schemas, write_demo_database(root / DEMO_DB)
