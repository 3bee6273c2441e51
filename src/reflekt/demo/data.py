"""Generate data/demo.duckdb: Segment-shaped raw e-commerce events, deterministic (seeded).

Layout follows how Segment loads warehouses: schema `ecommerce` with `tracks` (every track
call), one table per track event (snake_case name), `identifies`, `users`, `pages`, `groups`.
Object properties are flattened to `<property>_<key>` columns; arrays are stored as JSON text.
"""

from __future__ import annotations

import os
import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from reflekt.demo.events import EVENTS, PRODUCTS, DemoEvent

SCHEMA = "ecommerce"
BATCH = 100
SEED = 20240101
USERS = 30
START = datetime(2024, 1, 1, 8, 0, 0)
CART_V2_FROM = START + timedelta(days=30)  # Cart Viewed 2-0 shipped a month in

SQL_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN", "array": "VARCHAR"}
COMMON = [
    ("id", "VARCHAR"),
    ("anonymous_id", "VARCHAR"),
    ("user_id", "VARCHAR"),
]
TRACK_ONLY = [("event", "VARCHAR"), ("event_text", "VARCHAR")]
TIMES_AND_CONTEXT = [
    ("timestamp", "TIMESTAMP"),
    ("original_timestamp", "TIMESTAMP"),
    ("sent_at", "TIMESTAMP"),
    ("received_at", "TIMESTAMP"),
    ("uuid_ts", "TIMESTAMP"),
    ("context_ip", "VARCHAR"),
    ("context_library_name", "VARCHAR"),
    ("context_library_version", "VARCHAR"),
    ("context_page_path", "VARCHAR"),
    ("context_page_url", "VARCHAR"),
    ("context_user_agent", "VARCHAR"),
]
USER_AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Mobile/15E148",
]


def _snake(name: str) -> str:
    return name.lower().replace(" ", "_")


def _property_columns(event: DemoEvent) -> list[tuple[str, str]]:
    columns = []
    for prop in event.props:
        if prop.children:
            columns.extend((f"{prop.name}_{c.name}", SQL_TYPES[c.type]) for c in prop.children)
        else:
            columns.append((prop.name, SQL_TYPES[prop.type]))
    return columns


def table_columns() -> dict[str, list[tuple[str, str]]]:
    """Every table and its columns, in order (versions of one event share a table)."""
    tables: dict[str, list[tuple[str, str]]] = {"tracks": COMMON + TRACK_ONLY + TIMES_AND_CONTEXT}
    for event in EVENTS:
        standard = COMMON + (TRACK_ONLY if event.call == "track" else []) + TIMES_AND_CONTEXT
        columns = tables.setdefault(event.table, list(standard))
        for column in _property_columns(event):
            if column[0] not in {c[0] for c in columns}:
                columns.append(column)
    identify = next(e for e in EVENTS if e.call == "identify")
    tables["users"] = [("id", "VARCHAR"), ("received_at", "TIMESTAMP"), ("uuid_ts", "TIMESTAMP")] + [
        c for c in _property_columns(identify)
    ]
    return tables


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.events = {(e.name, e.version): e for e in EVENTS}

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def emit(self, name: str, version: str, user: dict[str, Any], at: datetime) -> None:
        event = self.events[(name, version)]
        rng = self.rng
        rng.product = rng.choice(PRODUCTS)  # type: ignore[attr-defined]
        received = at + timedelta(milliseconds=rng.randint(200, 4000))
        page_path = rng.choice(["/", "/catalog", "/cart", "/checkout", "/p/101"])
        row: dict[str, Any] = {
            "id": self.uuid(),
            "anonymous_id": user["anonymous_id"],
            "user_id": user["user_id"],
            "timestamp": at,
            "original_timestamp": at - timedelta(milliseconds=rng.randint(0, 1500)),
            "sent_at": at + timedelta(milliseconds=rng.randint(10, 200)),
            "received_at": received,
            "uuid_ts": received + timedelta(seconds=1),
            "context_ip": user["ip"],
            "context_library_name": "analytics.js",
            "context_library_version": "4.1.0",
            "context_page_path": page_path,
            "context_page_url": f"https://shop.example.com{page_path}",
            "context_user_agent": user["agent"],
        }
        if event.call == "track":
            row["event"] = _snake(event.name)
            row["event_text"] = event.name
            self.rows.setdefault("tracks", []).append(dict(row))
        for prop in event.props:
            if prop.children:
                for child in prop.children:
                    row[f"{prop.name}_{child.name}"] = child.sample(rng)
            else:
                row[prop.name] = prop.sample(rng)
        if event.call == "identify":
            user.update({k: row[k] for k in ("email", "first_name", "plan")})
            user["received_at"] = received
        self.rows.setdefault(event.table, []).append(row)
        rng.product = None  # type: ignore[attr-defined]

    def session(self, user: dict[str, Any], at: datetime) -> None:
        rng = self.rng
        step = lambda: timedelta(seconds=rng.randint(5, 240))
        self.emit("Identify", "1-0", user, at)
        if rng.random() < 0.5:
            at += step()
            self.emit("Group", "1-0", user, at)
        for _ in range(rng.randint(1, 3)):
            at += step()
            self.emit("Page", "1-0", user, at)
        if rng.random() < 0.6:
            at += step()
            self.emit("Products Searched", "1-0", user, at)
        for _ in range(rng.randint(1, 3)):
            at += step()
            self.emit("Product Viewed", "1-0", user, at)
        if rng.random() < 0.7:
            for _ in range(rng.randint(1, 2)):
                at += step()
                self.emit("Product Added", "1-0", user, at)
            at += step()
            self.emit("Cart Viewed", "2-0" if at >= CART_V2_FROM else "1-0", user, at)
            if rng.random() < 0.7:
                at += step()
                self.emit("Checkout Started", "1-0", user, at)
                if rng.random() < 0.7:
                    at += step()
                    self.emit("Order Completed", "1-0", user, at)

    def run(self, users: int) -> dict[str, list[dict[str, Any]]]:
        people = []
        for number in range(1, users + 1):
            user = {
                "user_id": f"user-{number:03d}",
                "anonymous_id": self.uuid(),
                "ip": f"203.0.113.{number}",
                "agent": self.rng.choice(USER_AGENTS),
            }
            people.append(user)
            for _ in range(self.rng.randint(1, 3)):
                self.session(user, START + timedelta(minutes=self.rng.randint(0, 60 * 24 * 60)))
        self.rows["users"] = [
            {"id": u["user_id"], "received_at": u["received_at"], "uuid_ts": u["received_at"] + timedelta(seconds=1),
             **{k: u[k] for k in ("email", "first_name", "plan")}}
            for u in people
        ]
        return self.rows


def generate_rows(seed: int = SEED, users: int = USERS) -> dict[str, list[dict[str, Any]]]:
    return _Generator(seed).run(users)


def write_demo_database(path: Path, seed: int = SEED, users: int = USERS) -> dict[str, int]:
    """Build the DuckDB file next to its target, then rename it into place; returns rows per table."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.building.duckdb")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    columns = table_columns()
    rows = generate_rows(seed, users)
    counts: dict[str, int] = {}
    conn = duckdb.connect(str(tmp))
    try:
        conn.execute(f"create schema {SCHEMA}")
        for table in sorted(columns):
            spec = columns[table]
            conn.execute(
                f"create table {SCHEMA}.{table} (" + ", ".join(f'"{n}" {t}' for n, t in spec) + ")"
            )
            table_rows = sorted(rows.get(table, []), key=lambda r: (r.get("timestamp") or r["received_at"], r["id"]))
            row_sql = "(" + ", ".join("?" for _ in spec) + ")"
            for start in range(0, len(table_rows), BATCH):  # one statement per batch: executemany is slow
                batch = table_rows[start : start + BATCH]
                conn.execute(
                    f"insert into {SCHEMA}.{table} values " + ", ".join(row_sql for _ in batch),
                    [r.get(name) for r in batch for name, _ in spec],
                )
            counts[table] = len(table_rows)
        conn.execute("checkpoint")
    finally:
        conn.close()
    os.replace(tmp, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return counts
