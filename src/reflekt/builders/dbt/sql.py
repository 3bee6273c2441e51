"""Staging model SQL: the `source` -> `renamed` CTE shape, with every name and literal made safe."""

from __future__ import annotations

from reflekt.sdks.base import ModelPlan, OutputColumn
from reflekt.warehouses.dialects import Dialect

INDENT = "        "


def select_item(column: OutputColumn, dialect: Dialect) -> str:
    alias = dialect.alias(column.name)
    if column.raw is not None:
        ident = dialect.identifier(column.raw)
        return ident if ident == alias else f"{ident} as {alias}"
    if column.literal is None:
        return f"cast(null as {dialect.string_type}) as {alias}"
    return f"{dialect.text_literal(column.literal)} as {alias}"


def staging_model(plan: ModelPlan, source_name: str, table_name: str, dialect: Dialect, where: str | None,
                  incremental: bool = False) -> str:
    items = ",\n".join(INDENT + select_item(c, dialect) for c in plan.columns)
    conditions = [where.strip()] if where and where.strip() else []
    where_clause = ""
    if conditions:
        where_clause = "\n    where " + conditions[0]
    loaded = next((c for c in plan.columns if c.raw is not None and c.raw.lower() == "received_at"), None)
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


def union_model(plan: ModelPlan, parts: list[tuple[str, ModelPlan, str]], dialect: Dialect) -> str:
    """`parts`: (model name, its plan, its schema version) -> one select per version, union all."""
    selects = []
    for model_name, part, version in parts:
        have = {c.name for c in part.columns}
        items = []
        for column in plan.columns:
            alias = dialect.alias(column.name)
            if column.name == "schema_version":
                items.append(f"{dialect.text_literal(version)} as {alias}")
            elif column.name in have:
                items.append(alias)
            else:
                items.append(f"null as {alias}")
        body = ",\n".join("    " + i for i in items)
        selects.append(f"select\n{body}\nfrom {{{{ ref('{model_name}') }}}}\n")
    return "\nunion all\n\n".join(selects)
