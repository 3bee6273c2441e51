"""Segment's warehouse layout.

Segment writes one table per track event (snake_case of the event name), plus `tracks`,
`identifies`, `users`, `pages`, `screens` and `groups`. Properties and traits become top-level
columns: nested objects are flattened with `_`, arrays are stringified into one column, and
`context.*` becomes `context_*` columns.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from reflekt.schema import EventSchema
from reflekt.sdks.base import LayoutResult, ModelPlan, OutputColumn, VersionColumn, VersionFilter
from reflekt.sdks.naming import MAX_IDENTIFIER, compact, safe_name, snake_case, truncate, version_suffix
from reflekt.warehouses.base import Column

# schema event name (lower-case) -> Segment call type; any other name is a track event
CALL_TYPES = {"identify": "identify", "group": "group", "page": "page", "screen": "screen"}
# 'Page', or 'Page - Home' as `reflekt pull` names a Segment rule keyed on a page/screen name
_TYPED_NAME = re.compile(r"^\s*(identify|group|page|screen)(?:\s+-\s+(.*\S))?\s*$", re.IGNORECASE)
# page/screen calls carry their name in this column of the shared table
NAMED_CALLS = {"page", "screen"}
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
# Segment Protocols stamps each event with `context.protocols.event_version` (an integer MAJOR)
PROTOCOLS_VERSION_COLUMN = "context_protocols_event_version"

LITERAL_DESCRIPTIONS = {
    "call_type": "The Segment call that produced the row (track, identify, page, screen, group).",
    "source_schema": "The warehouse schema of the raw table.",
    "source_table": "The raw table the model reads.",
    "schema_id": "The Reflekt schema ($id) that describes the row.",
    "schema_metadata": "The schema's metadata (JSON).",
}


def call_type(event_name: str) -> str:
    """'Identify' -> identify, 'Page - Home' -> page (as `reflekt pull` names Segment rules), else track."""
    return call_and_name(event_name)[0]


def call_and_name(event_name: str) -> tuple[str, str | None]:
    """The call type and, for 'Page - Home' / 'Screen - Cart', the page or screen name ('Home')."""
    match = _TYPED_NAME.match(event_name)
    if match is None:
        return "track", None
    call = CALL_TYPES[match.group(1).lower()]
    return call, match.group(2) if call in NAMED_CALLS else None


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
        # (raw table, page/screen name or None) -> schemas; named pages share the table, filtered on `name`
        by_table: dict[tuple[str, str | None], list[EventSchema]] = {}
        call_of: dict[str, str] = {}
        for schema in sorted(schemas, key=lambda s: (str(s.id))):
            call, page_name = call_and_name(schema.name)
            table_name = CALL_TABLES.get(call) or snake_case(schema.name)
            if not table_name:
                result.skipped.append((str(schema.id), "the event name gives no Segment table name"))
                continue
            found = table_index.get(table_name)
            if found is None:
                result.skipped.append((str(schema.id), f"table '{table_name}' is not in {source_schema}"))
                continue
            if page_name is not None and TableColumns(tables[found]).find("name") is None:
                why = f"table '{found}' has no name column to keep only the {call}s named '{page_name}'"
                result.skipped.append((str(schema.id), why))
                continue
            by_table.setdefault((found, page_name), []).append(schema)
            call_of[found] = call

        entities: dict[str, str] = {}  # named entity -> the page name that has it
        for (table, page_name), group in sorted(by_table.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            base = safe_name(table.lower(), "table")
            name_filter = None
            if page_name is not None:
                base = _named_entity(base, page_name, entities)
                name_filter = (TableColumns(tables[table]).find("name") or "name", page_name)
            self._plan_event_table(result, table, group, call_of[table], tables[table], source_schema,
                                   union_versions, base, name_filter)

        # a named page model keeps only its rows: the table still gets its all-rows model
        used_tables = {table for table, page_name in by_table if page_name is None}
        identify_schemas = by_table.get((table_index.get("identifies", ""), None), [])
        for standard, call in sorted(STANDARD_TABLES.items()):
            found = table_index.get(standard)
            if found is None or found in used_tables:
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
        base: str,
        name_filter: tuple[str, str] | None = None,
    ) -> None:
        """`name_filter`: (raw column, text) when the schemas describe only the pages/screens of one name."""
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
        switch = _version_column(raw) if multiple else None
        majors = sorted({_major(v) for v in by_version})
        for version, schema in by_version.items():
            entity = f"{base}__{version_suffix(version)}" if multiple else base
            plan = self._plan_model(result, table, entity, call, call, raw, source_schema, [schema], schema, mentioned)
            if multiple:
                plan.rows, note = _rows_of(_major(version), majors, switch)
                plan.description = _sentence(plan.description) + " " + note
            plans.append(plan)
        if multiple and union_versions:
            plans.append(
                self._union_plan(result, table, base, call, raw, source_schema, by_version, mentioned, switch, plans)
            )
        for each in plans:
            each.row_match = name_filter
            if name_filter is not None:
                each.description = _sentence(each.description) + f" Only rows whose {name_filter[0]} is '{name_filter[1]}'."
        result.models.extend(plans)

    def _union_plan(
        self,
        result: LayoutResult,
        table: str,
        base: str,
        call: str,
        raw: TableColumns,
        source_schema: str,
        by_version: dict[str, EventSchema],
        mentioned: set[str],
        switch: VersionColumn | None,
        plans: list[ModelPlan],
    ) -> ModelPlan:
        """One row per raw event: every version's columns once, and the version each row follows.

        All versions of an event land in the same table, so the union is one select over it (a
        `union all` of the version models would repeat each row once per version).
        """
        schemas = list(by_version.values())  # oldest first
        latest = schemas[-1]
        # the latest schema of each major: what a row stating only its major follows
        of_major = {_major(s.version): s for s in schemas}
        cases = switch is not None and len(of_major) > 1

        def versioned(name: str, text: Callable[[EventSchema], str], description: str) -> OutputColumn:
            pairs = tuple((major, text(s)) for major, s in sorted(of_major.items()))
            if not cases or len({t for _, t in pairs}) == 1:  # the same text for every row
                return OutputColumn(name, description, literal=text(latest))
            return OutputColumn(name, description, literal=text(latest), switch=switch, cases=pairs)

        if switch is not None:
            how = (f"the latest version of the major in {switch.name} (Segment Protocols); rows with no or an "
                   f"unknown major get the latest version, {latest.version}")
        else:
            how = (f"always the latest version, {latest.version}: the table has no "
                   f"{PROTOCOLS_VERSION_COLUMN} column, so rows cannot be attributed to a version")
        added = _origin_columns(call, source_schema, table) + [
            versioned("schema_id", lambda s: str(s.id), LITERAL_DESCRIPTIONS["schema_id"]),
            versioned("schema_metadata", _metadata, LITERAL_DESCRIPTIONS["schema_metadata"]),
            versioned("schema_version", lambda s: s.version, f"The schema version (MAJOR-MINOR) the row follows: {how}."),
        ]
        plan = self._plan_model(result, table, base, call, call, raw, source_schema, schemas, None, mentioned, added)
        plan.schema = latest
        plan.union_of = [p.entity for p in plans]
        plan.description = (f"{latest.name} events, all versions ({', '.join(by_version)}): one row per event in "
                            f"'{table}', with the version it follows in schema_version.")
        return plan

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
        added: list[OutputColumn] | None = None,
    ) -> ModelPlan:
        """`added`: the literal columns saying where the row came from (default: those of `schema`)."""
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
        out_literals = [
            replace(c, name=names.claim(c.name, f"added column '{c.name}'"))
            for c in (added if added is not None else _added_columns(call, source_schema, table, schema))
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


def _named_entity(base: str, page_name: str, taken: dict[str, str]) -> str:
    """'pages' + 'Home' -> 'pages__home'; names that clean up alike ('Home', 'home') get a hash suffix."""
    entity = truncate(f"{base}__{safe_name(page_name, 'named')}")
    if taken.get(entity, page_name) != page_name:
        suffix = "_" + hashlib.sha1(page_name.encode("utf-8")).hexdigest()[:8]
        entity = entity[: MAX_IDENTIFIER - len(suffix)].rstrip("_") + suffix
    taken[entity] = page_name
    return entity


def _origin_columns(call: str, source_schema: str, table: str) -> list[OutputColumn]:
    values = [("call_type", call), ("source_schema", source_schema), ("source_table", table)]
    return [OutputColumn(n, LITERAL_DESCRIPTIONS[n], literal=v) for n, v in values]


def _added_columns(call: str, source_schema: str, table: str, schema: EventSchema | None) -> list[OutputColumn]:
    return _origin_columns(call, source_schema, table) + [
        OutputColumn("schema_id", LITERAL_DESCRIPTIONS["schema_id"], literal=str(schema.id) if schema else None),
        OutputColumn("schema_metadata", LITERAL_DESCRIPTIONS["schema_metadata"],
                     literal=_metadata(schema) if schema else None),
    ]


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


def _metadata(schema: EventSchema) -> str:
    return json.dumps(schema.metadata, sort_keys=True, ensure_ascii=False)


def _version_column(raw: TableColumns) -> VersionColumn | None:
    """Segment Protocols' `context.protocols.event_version`, when the table has it."""
    name = raw.find(PROTOCOLS_VERSION_COLUMN)
    if name is None:
        return None
    data_type = next(c.data_type for c in raw.columns if c.name == name).lower()
    return VersionColumn(name, is_text=any(word in data_type for word in ("char", "text", "string")))


def _rows_of(major: int, majors: list[int], switch: VersionColumn | None) -> tuple[VersionFilter | None, str]:
    """The rows a version model keeps, and a sentence for its docs.

    Rows state only a MAJOR, so the MINORs of one major share its rows. The latest major also keeps
    rows with no or an unknown major: the union model tags those with the latest version, and this
    way every raw row is in the version models of exactly one major.
    """
    if switch is None:
        return None, f"All rows of the table: it has no {PROTOCOLS_VERSION_COLUMN} column to tell versions apart."
    older = tuple(m for m in majors if m != major)
    if major != majors[-1]:
        return VersionFilter(switch, equals=major), f"Only rows whose {switch.name} is {major}."
    if not older:
        return None, f"All rows of the table: every version of the event has major {major}."
    listed = ", ".join(str(m) for m in older)
    return (VersionFilter(switch, excludes=older),
            f"Only rows whose {switch.name} is not {listed}: major {major}, and rows with no or an unknown major.")


def _mentioned(schemas: list[EventSchema], raw: TableColumns) -> set[str]:
    """Raw columns some version of the event describes."""
    found = set()
    for schema in schemas:
        for leaf in flatten(schema.properties, schema.required):
            column = raw.find(leaf.column)
            if column is not None:
                found.add(column)
    return found


def _major(version: str) -> int:
    head = version.split("-")[0]
    return int(head) if head.isdigit() else 0


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for p in version.split("-"):
        parts.append(int(p) if p.isdigit() else 0)
    return tuple(parts)
