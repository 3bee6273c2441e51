"""Segment's warehouse layout.

Segment writes one table per track event (snake_case of the event name), plus `tracks`,
`identifies`, `users`, `pages`, `screens` and `groups`. Properties and traits become top-level
columns: nested objects are flattened with `_`, arrays are stringified into one column, and
`context.*` becomes `context_*` columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reflekt.schema import EventSchema
from reflekt.sdks.base import LayoutResult, ModelPlan, OutputColumn
from reflekt.sdks.naming import compact, safe_name, snake_case, version_suffix
from reflekt.warehouses.base import Column

# schema event name (lower-case) -> Segment call type; any other name is a track event
CALL_TYPES = {"identify": "identify", "group": "group", "page": "page", "screen": "screen"}
CALL_TABLES = {"identify": "identifies", "group": "groups", "page": "pages", "screen": "screens"}
# tables Segment writes whatever the tracking plan says, with their call type
STANDARD_TABLES = {
    "tracks": "track",
    "identifies": "identify",
    "users": "identify",
    "pages": "page",
    "screens": "screen",
    "groups": "group",
}

# raw common column -> (description, output name per table kind; None = keep the raw name)
COMMON_FIELDS: dict[str, str] = {
    "id": "The unique identifier of the call.",
    "anonymous_id": "A pseudo-unique id for the user before they are identified (e.g. signed out).",
    "user_id": "The unique id of the identified user.",
    "group_id": "The id of the group (account, company) the user belongs to.",
    "event": "The event name in snake_case (the name of its table).",
    "event_text": "The event name as sent by the source.",
    "name": "The name of the page or screen.",
    "category": "The category of the page.",
    "timestamp": "When the call happened, corrected by Segment for client clock skew.",
    "original_timestamp": "When the call happened according to the client's clock (or the value passed in).",
    "sent_at": "When the client sent the call (subject to client clock skew).",
    "received_at": "When Segment's servers received the call.",
    "uuid": "Segment's internal id of the row.",
    "uuid_ts": "When the row was loaded into the warehouse.",
    "loaded_at": "When the row was loaded into the warehouse.",
}
COMMON_ORDER = list(COMMON_FIELDS)
TIMESTAMP_RENAMES = {
    "timestamp": "tstamp",
    "original_timestamp": "original_tstamp",
    "sent_at": "sent_at_tstamp",
    "received_at": "received_at_tstamp",
    "uuid_ts": "uuid_tstamp",
    "loaded_at": "loaded_at_tstamp",
}
ID_RENAMES = {
    "track": "event_id",
    "identify": "identify_id",
    "page": "page_id",
    "screen": "screen_id",
    "group": "group_call_id",  # `group_id` is the group itself
    "users": "user_id",  # in `users`, id IS the user id
}
CONTEXT_PREFIX = "context_"

LITERAL_DESCRIPTIONS = {
    "call_type": "The Segment call that produced the row (track, identify, page, screen, group).",
    "source_schema": "The warehouse schema of the raw table.",
    "source_table": "The raw table the model reads.",
    "schema_id": "The Reflekt schema ($id) that describes the row.",
    "schema_metadata": "The schema's metadata (JSON).",
    "schema_version": "The version of the schema the row was modelled with.",
}


@dataclass(frozen=True)
class Leaf:
    """One flattened property or trait: the column Segment writes for it."""

    column: str
    path: str
    description: str
    required: bool
    enum: tuple[str, ...]


def flatten(properties: dict[str, Any], required: list[str], prefix: str = "", path: str = "",
            parent_required: bool = True) -> Iterator[Leaf]:
    """Walk nested objects like Segment's loader: objects flatten with `_`, arrays stay one column."""
    for key, spec in properties.items():
        spec = spec if isinstance(spec, dict) else {}
        column = f"{prefix}{snake_case(key)}"
        dotted = f"{path}.{key}" if path else key
        is_required = parent_required and key in required
        types = spec.get("type")
        type_list = types if isinstance(types, list) else [types]
        nested = spec.get("properties")
        if "object" in type_list and isinstance(nested, dict) and nested:
            inner_required = spec.get("required") if isinstance(spec.get("required"), list) else []
            yield from flatten(nested, inner_required, column + "_", dotted, is_required)
            continue
        enum = spec.get("enum")
        values = tuple(v for v in enum if isinstance(v, str)) if isinstance(enum, list) else ()
        if isinstance(enum, list) and len(values) != len(enum):
            values = ()  # mixed-type enums cannot be checked as text values
        nullable = "null" in type_list
        yield Leaf(column, dotted, str(spec.get("description") or ""), is_required and not nullable, values)


class TableColumns:
    """Case- and punctuation-tolerant lookup of the raw columns of one table."""

    def __init__(self, columns: list[Column]) -> None:
        self.columns = columns
        self.by_lower = {c.name.lower(): c.name for c in columns}
        compacted: dict[str, list[str]] = {}
        for c in columns:
            compacted.setdefault(compact(c.name), []).append(c.name)
        self.by_compact = {k: v[0] for k, v in compacted.items() if len(v) == 1}

    def find(self, name: str) -> str | None:
        return self.by_lower.get(name.lower()) or self.by_compact.get(compact(name))


class NameAllocator:
    """Hands out unique output names; a taken name falls back to the raw name, then a numbered one."""

    def __init__(self, table: str, warnings: list[str]) -> None:
        self.table = table
        self.taken: dict[str, str] = {}
        self.warnings = warnings

    def claim(self, wanted: str, owner: str, fallback: str | None = None) -> str:
        wanted = safe_name(wanted)
        if wanted not in self.taken:
            self.taken[wanted] = owner
            return wanted
        candidates = [safe_name(fallback)] if fallback else []
        n = 2
        while True:
            candidates.append(safe_name(f"{wanted}_{n}"))
            n += 1
            for candidate in candidates:
                if candidate not in self.taken:
                    self.taken[candidate] = owner
                    self.warnings.append(
                        f"table '{self.table}': {owner} would be named '{wanted}', already used by "
                        f"{self.taken[wanted]}; named it '{candidate}'"
                    )
                    return candidate
            candidates = []


class SegmentLayout:
    name = "segment"

    def plan(
        self,
        schemas: list[EventSchema],
        tables: dict[str, list[Column]],
        *,
        source_schema: str,
        union_versions: bool,
    ) -> LayoutResult:
        result = LayoutResult()
        table_index = {t.lower(): t for t in tables}
        by_table: dict[str, list[EventSchema]] = {}
        call_of: dict[str, str] = {}
        for schema in sorted(schemas, key=lambda s: (str(s.id))):
            call = CALL_TYPES.get(schema.name.strip().lower(), "track")
            table_name = CALL_TABLES.get(call) or snake_case(schema.name)
            if not table_name:
                result.skipped.append((str(schema.id), "the event name gives no Segment table name"))
                continue
            found = table_index.get(table_name)
            if found is None:
                result.skipped.append((str(schema.id), f"table '{table_name}' is not in {source_schema}"))
                continue
            by_table.setdefault(found, []).append(schema)
            call_of[found] = call

        for table, group in sorted(by_table.items()):
            self._plan_event_table(result, table, group, call_of[table], tables[table], source_schema, union_versions)

        identify_schemas = by_table.get(table_index.get("identifies", ""), [])
        for standard, call in sorted(STANDARD_TABLES.items()):
            found = table_index.get(standard)
            if found is None or found in by_table:
                continue
            schema_for_traits = identify_schemas if standard == "users" else []
            kind = "users" if standard == "users" else call
            plan = self._plan_model(
                result, found, standard, kind, call, TableColumns(tables[found]), source_schema, schema_for_traits,
                None, set()
            )
            result.models.append(plan)
        result.models.sort(key=lambda m: m.entity)
        result.warnings = list(dict.fromkeys(result.warnings))  # versions repeat the same finding
        return result

    def _plan_event_table(
        self,
        result: LayoutResult,
        table: str,
        group: list[EventSchema],
        call: str,
        columns: list[Column],
        source_schema: str,
        union_versions: bool,
    ) -> None:
        base = safe_name(table.lower(), "table")
        by_version: dict[str, EventSchema] = {}
        for schema in sorted(group, key=lambda s: (_version_key(s.version), str(s.id))):
            if schema.version in by_version:
                why = f"{by_version[schema.version].id} already models version {schema.version} of table '{table}'"
                result.skipped.append((str(schema.id), why))
                continue
            by_version[schema.version] = schema
        multiple = len(by_version) > 1
        plans = []
        raw = TableColumns(columns)
        mentioned = _mentioned(list(by_version.values()), raw)
        for version, schema in by_version.items():
            entity = f"{base}__{version_suffix(version)}" if multiple else base
            plans.append(
                self._plan_model(
                    result, table, entity, call, call, raw, source_schema, [schema], schema, mentioned
                )
            )
        result.models.extend(plans)
        if multiple and union_versions:
            result.models.append(_union_plan(base, table, plans))

    def _plan_model(
        self,
        result: LayoutResult,
        table: str,
        entity: str,
        kind: str,
        call: str,
        raw: TableColumns,
        source_schema: str,
        schemas: list[EventSchema],
        schema: EventSchema | None,
        mentioned: set[str],
    ) -> ModelPlan:
        columns = raw.columns
        names = NameAllocator(table, result.warnings)
        used: set[str] = set()
        out_props: list[OutputColumn] = []
        out_common: list[OutputColumn] = []
        out_context: list[OutputColumn] = []
        out_other: list[OutputColumn] = []

        # 1. properties / traits: the user's own names win every collision
        seen_leaves: set[str] = set()
        for described in reversed(schemas):  # latest version first: its description wins
            for leaf in flatten(described.properties, described.required):
                if leaf.column in seen_leaves:
                    continue
                seen_leaves.add(leaf.column)
                found = raw.find(leaf.column)
                if found is None:
                    result.warnings.append(
                        f"{described.id}: property '{leaf.path}' has no column '{leaf.column}' in table '{table}'"
                    )
                    continue
                if found in used:
                    continue
                used.add(found)
                name = names.claim(found.lower(), f"property '{leaf.path}'")
                out_props.append(
                    OutputColumn(name, leaf.description, raw=found, required=leaf.required and schema is not None,
                                 enum=leaf.enum if schema is not None else ())
                )

        # 2. Segment's common fields, renamed
        for field in COMMON_ORDER:
            found = raw.find(field)
            if found is None or found in used or (field == "event_text" and kind != "track"):
                continue
            used.add(found)
            if field == "id":
                wanted = ID_RENAMES[kind]
            elif field == "event_text":
                wanted = "event_name"
            else:
                wanted = TIMESTAMP_RENAMES.get(field, field)
            out_common.append(OutputColumn(names.claim(wanted, f"column '{found}'", found), COMMON_FIELDS[field], raw=found))

        # 3. literal columns describing where the row came from
        literals = [
            ("call_type", call),
            ("source_schema", source_schema),
            ("source_table", table),
            ("schema_id", str(schema.id) if schema else None),
            ("schema_metadata", json.dumps(schema.metadata, sort_keys=True, ensure_ascii=False) if schema else None),
        ]
        out_literals = [
            OutputColumn(names.claim(n, f"added column '{n}'"), LITERAL_DESCRIPTIONS[n], literal=v)
            for n, v in literals
        ]

        # 4. context_* -> * (a soft rename: keeps the raw name when the short one is taken)
        for column in sorted(columns, key=lambda c: c.name.lower()):
            lowered = column.name.lower()
            if column.name in used or not lowered.startswith(CONTEXT_PREFIX):
                continue
            used.add(column.name)
            short = lowered[len(CONTEXT_PREFIX):]
            desc = "Context: " + short.replace("_", " ") + "."
            out_context.append(OutputColumn(names.claim(short, f"column '{column.name}'", lowered), desc, raw=column.name))

        # 5. what is left: modelled when no schema describes the table, otherwise reported
        for column in sorted(columns, key=lambda c: c.position):
            if column.name in used:
                continue
            if schemas:
                if column.name in mentioned:
                    continue  # another version of the event models it
                result.warnings.append(
                    f"table '{table}': column '{column.name}' is not in any selected schema (not modelled)"
                    if kind != "users" else
                    f"table '{table}': column '{column.name}' is not a trait of any selected Identify schema (not modelled)"
                )
                continue
            used.add(column.name)
            out_other.append(OutputColumn(names.claim(column.name.lower(), f"column '{column.name}'"), "", raw=column.name))

        description = (schema.description if schema and schema.description else
                       f"Segment '{table}' table" + (f" ({schema.name} {schema.version})" if schema else "") + ".")
        return ModelPlan(
            entity=entity,
            table=table,
            description=description,
            columns=out_common + out_context + out_props + out_other + out_literals,
            schema=schema,
        )


def _union_plan(base: str, table: str, plans: list[ModelPlan]) -> ModelPlan:
    """All versions of an event stacked, each row tagged with the version that modelled it."""
    names: list[str] = []
    literal_names: list[str] = []
    described: dict[str, OutputColumn] = {}
    for plan in reversed(plans):  # the latest version's order and descriptions first
        for col in plan.columns:
            if col.name not in described:
                (names if col.raw is not None else literal_names).append(col.name)
                described[col.name] = OutputColumn(col.name, col.description)
    names.extend(literal_names)
    names.append("schema_version")
    described["schema_version"] = OutputColumn("schema_version", LITERAL_DESCRIPTIONS["schema_version"])
    return ModelPlan(
        entity=base,
        table=table,
        description=f"All versions of '{table}' stacked (union all), with the version in schema_version.",
        columns=[described[n] for n in names],
        union_of=[p.entity for p in plans],
    )


def _mentioned(schemas: list[EventSchema], raw: TableColumns) -> set[str]:
    """Raw columns some version of the event describes."""
    found = set()
    for schema in schemas:
        for leaf in flatten(schema.properties, schema.required):
            column = raw.find(leaf.column)
            if column is not None:
                found.add(column)
    return found


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for p in version.split("-"):
        parts.append(int(p) if p.isdigit() else 0)
    return tuple(parts)
