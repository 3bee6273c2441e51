"""Staging model SQL: the `source` -> `renamed` CTE shape, with every name and literal made safe."""

from __future__ import annotations

from reflekt.sdks.base import ModelPlan, OutputColumn, VersionColumn, VersionFilter
from reflekt.warehouses.dialects import Dialect

INDENT = "        "


def select_item(column: OutputColumn, dialect: Dialect) -> str:
    alias = dialect.alias(column.name)
    if column.raw is not None:
        ident = dialect.identifier(column.raw)
        return ident if ident == alias else f"{ident} as {alias}"
    if column.switch is not None and column.cases:
        return f"{_case(column, column.switch, dialect)} as {alias}"
    if column.literal is None:
        return f"cast(null as {dialect.string_type}) as {alias}"
    return f"{dialect.text_literal(column.literal)} as {alias}"


def _case(column: OutputColumn, switch: VersionColumn, dialect: Dialect) -> str:
    """A text that depends on the row's major, one `when` per line (cast once: BigQuery has no `::`)."""
    lines = [f"cast(case {dialect.identifier(switch.name)}"]
    for major, text in column.cases:
        lines.append(f"{INDENT}    when {major_value(switch, major, dialect)} then {dialect.string_literal(text)}")
    fallback = dialect.string_literal(column.literal) if column.literal is not None else "null"
    lines.append(f"{INDENT}    else {fallback}")
    lines.append(f"{INDENT}end as {dialect.string_type})")
    return "\n".join(lines)


def major_value(switch: VersionColumn, major: int, dialect: Dialect) -> str:
    """A major as the column holds it: Segment loads `event_version` as a number, some pipelines as text."""
    return dialect.string_literal(str(major)) if switch.is_text else str(major)


def version_condition(rows: VersionFilter, dialect: Dialect) -> str:
    column = dialect.identifier(rows.column.name)
    if rows.equals is not None:
        return f"{column} = {major_value(rows.column, rows.equals, dialect)}"
    others = ", ".join(major_value(rows.column, m, dialect) for m in rows.excludes)
    return f"({column} is null or {column} not in ({others}))"


def staging_model(plan: ModelPlan, source_name: str, table_name: str, dialect: Dialect, where: str | None,
                  incremental: bool = False) -> str:
    items = ",\n".join(INDENT + select_item(c, dialect) for c in plan.columns)
    loaded = next((c for c in plan.columns if c.raw is not None and c.raw.lower() == "received_at"), None)
    incremental = incremental and loaded is not None
    conditions = [where.strip()] if where and where.strip() else []
    if conditions and (plan.rows is not None or plan.row_match is not None or incremental):
        conditions[0] = f"({conditions[0]})"  # the user's filter may hold an `or`
    if plan.row_match is not None:
        column, text = plan.row_match
        conditions.append(f"{dialect.identifier(column)} = {dialect.string_literal(text)}")
    if plan.rows is not None:
        conditions.append(version_condition(plan.rows, dialect))
    where_clause = ""
    if conditions:
        where_clause = "\n    where " + "\n      and ".join(conditions)
    if incremental and loaded is not None:
        # only rows Segment received after the last run (re-runs never append duplicates)
        keyword = "and" if conditions else "where"
        where_clause += (
            "\n    {% if is_incremental() %}\n"
            f"    {keyword} {dialect.identifier(loaded.raw)} > (select max({dialect.alias(loaded.name)}) from {{{{ this }}}})\n"
            "    {% endif %}"
        )
    return (
        "with\n\n"
        "source as (\n\n"
        f"    select * from {{{{ source('{source_name}', '{table_name}') }}}}{where_clause}\n\n"
        "),\n\n"
        "renamed as (\n\n"
        "    select\n"
        f"{items}\n"
        "    from source\n\n"
        ")\n\n"
        "select * from renamed\n"
    )
