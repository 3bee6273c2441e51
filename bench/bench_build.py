"""Benchmark `reflekt build dbt` on a 1,000-event Segment project (DuckDB source).

Prints the build time excluding warehouse time (target: <= 2 s), the warehouse time, throughput,
and the number of statements the connector actually sent (counted on the connection).

Usage: .venv/bin/python bench/bench_build.py [--events 1000] [--properties 12]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

COMMON = ["id varchar", "anonymous_id varchar", "user_id varchar", "event varchar", "event_text varchar",
          '"timestamp" timestamp', "original_timestamp timestamp", "sent_at timestamp", "received_at timestamp",
          "uuid_ts timestamp", "context_ip varchar", "context_library_name varchar", "context_page_url varchar"]


def make_project(root: Path, events: int, properties: int) -> Path:
    import duckdb

    raw = root / "raw.duckdb"
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True)
    (root / "reflekt_project.yml").write_text(
        "version: 1.0\nname: bench\nvendor: com.example\ndefault_profile: dev\n"
        "artifacts:\n  dbt:\n    docs:\n      schema_tests: true\n      tests:\n        id: [unique, not_null]\n",
        encoding="utf-8",
    )
    (root / "reflekt_profiles.yml").write_text(
        f"dev:\n  source:\n    - id: wh\n      type: duckdb\n      path: '{raw}'\n", encoding="utf-8"
    )
    ddl = ["create schema seg"]
    for n in range(events):
        name = f"Bench Event {n:04d}"
        props = {f"prop_{p:02d}": {"type": "string", "description": f"Property {p}.",
                                   **({"enum": ["a", "b"]} if p == 0 else {})} for p in range(properties)}
        schema = {
            "$id": f"segment/bench/{name}/1-0.json",
            "$schema": "http://json-schema.org/draft-07/schema#",
            "description": f"{name}.",
            "self": {"vendor": "com.example", "name": name, "format": "jsonschema", "version": "1-0",
                     "metadata": {"code_owner": "bench"}},
            "type": "object",
            "properties": props,
            "required": ["prop_00"],
            "additionalProperties": False,
        }
        path = root / "schemas" / "segment" / "bench" / name / "1-0.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
        cols = COMMON + [f"prop_{p:02d} varchar" for p in range(properties)]
        ddl.append(f"create table seg.bench_event_{n:04d} ({', '.join(cols)})")
    with duckdb.connect(str(raw)) as conn:
        conn.execute(";\n".join(ddl))
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--properties", type=int, default=12)
    args = parser.parse_args()

    from reflekt.builders.dbt.package import build_dbt_package
    from reflekt.profiles import load_profiles
    from reflekt.project import load_project
    from reflekt.warehouses import duckdb as duckdb_module

    statements: list[str] = []
    real_connect = duckdb_module.DuckDBWarehouse.connect

    class Counting:
        def __init__(self, inner):
            self.inner = inner

        def execute(self, sql, *a):
            statements.append(sql)
            return self.inner.execute(sql, *a)

        def close(self):
            self.inner.close()

    def counting_connect(self):
        conn = real_connect(self)
        if not isinstance(conn, Counting):
            self._conn = Counting(conn)
        return self._conn

    duckdb_module.DuckDBWarehouse.connect = counting_connect

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        root = make_project(Path(tmp) / "project", args.events, args.properties)
        setup = time.perf_counter() - t0
        project = load_project(root)
        profile = load_profiles(root / "reflekt_profiles.yml").get("dev")
        started = time.perf_counter()
        report = build_dbt_package(project, profile, source="wh.raw.seg", sdk="segment")
        total = time.perf_counter() - started
        excluding_warehouse = total - report.warehouse_seconds
        files = sum(1 for p in report.package_dir.rglob("*") if p.is_file())
        print(f"events: {args.events} x {args.properties} properties (setup {setup:.1f}s, not timed)")
        print(f"models: {len(report.models)}, files written: {files}, warnings: {len(report.warnings)}")
        print(f"build time excluding warehouse: {excluding_warehouse:.3f} s (target <= 2 s)")
        print(f"  of which render: {report.render_seconds:.3f} s, write: "
              f"{report.build_seconds - report.render_seconds:.3f} s, load/select schemas: "
              f"{excluding_warehouse - report.build_seconds:.3f} s")
        print(f"warehouse time (connect + introspection): {report.warehouse_seconds:.3f} s")
        print(f"throughput: {args.events / excluding_warehouse:,.0f} events/s")
        introspection = [s for s in statements if "information_schema" in s.lower()]
        print(f"introspection queries: {len(introspection)} (statements sent in total: {len(statements)})")


if __name__ == "__main__":
    main()
