"""Build the dbt package: select and load schemas, introspect once, plan, render, swap in atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from reflekt.builders.dbt import sql, yml
from reflekt.builders.dbt.naming import PackageNaming
from reflekt.errors import ConnectionFailed, ReflektError
from reflekt.schema import EventSchema, load_schema
from reflekt.sdks.base import LayoutResult, ModelPlan, SdkLayout, get_sdk
from reflekt.sdks.naming import MAX_IDENTIFIER, safe_name
from reflekt.selection import select
from reflekt.warehouses.base import SourceRef, get_warehouse, parse_source
from reflekt.warehouses.dialects import Dialect, get_dialect

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    package_dir: Path
    files: dict[str, str] = field(default_factory=dict)  # relative posix path -> text
    models: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warehouse_seconds: float = 0.0
    render_seconds: float = 0.0
    build_seconds: float = 0.0  # render + write


@dataclass(frozen=True)
class BuildInputs:
    """Everything rendering needs, already resolved: no I/O below this point."""

    project_name: str
    dbt_config: Any  # reflekt.project.DbtArtifacts
    dialect: Dialect
    source_name: str
    database: str
    schema: str
    schemas: list[EventSchema]
    tables: dict[str, list[Any]]
    sdk: str


def build_dbt_package(
    project: Any,
    profile: Any,
    *,
    source: str,
    sdk: str,
    selects: list[str] | None = None,
    excludes: list[str] | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    say = progress or (lambda _msg: None)
    ref = parse_source(source)
    entry = profile.source(ref.id)  # unknown id -> ConfigError listing the known ids
    layout = get_sdk(sdk)  # fail on a bad --sdk before connecting
    ids = select(project.schemas_dir, selects, excludes)
    say(f"loading {len(ids)} schema(s)")
    schemas = [load_schema(project.schemas_dir / i, project.schemas_dir) for i in ids]

    started = time.perf_counter()
    warehouse = get_warehouse(entry)
    try:
        database = warehouse.resolve(ref.database)
        schema = warehouse.resolve(ref.schema)
        say(f"introspecting {database}.{schema} on {entry.type} source '{entry.id}'")
        tables = warehouse.columns(database, schema)  # one information_schema query for the whole schema
        if not tables:
            raise ConnectionFailed(
                f"no tables found in {database}.{schema} of source '{ref.id}' ({entry.type})",
                hint=_empty_hint(entry.type, ref, warehouse),
            )
    finally:
        warehouse.close()
    warehouse_seconds = time.perf_counter() - started

    inputs = BuildInputs(
        project_name=project.config.name,
        dbt_config=project.config.artifacts.dbt,
        dialect=get_dialect(warehouse.dialect),
        source_name=safe_name(ref.schema.text.lower(), "source"),
        database=database,
        schema=schema,
        schemas=schemas,
        tables=tables,
        sdk=sdk,
    )
    started = time.perf_counter()
    report = render_package(inputs, project.artifacts_dir / "dbt" / project.config.name, say, layout=layout)
    rendered = time.perf_counter()
    write_package(report, project.cache_dir, inputs.source_name)
    report.render_seconds = rendered - started
    report.build_seconds = time.perf_counter() - started
    report.warehouse_seconds = warehouse_seconds
    return report


def render_package(
    inputs: BuildInputs, package_dir: Path, say: Progress | None = None, *, layout: SdkLayout | None = None
) -> BuildReport:
    """Plan and render every file in memory (pure: the same inputs give byte-identical files)."""
    say = say or (lambda _msg: None)
    cfg = inputs.dbt_config
    dialect = inputs.dialect
    layout = layout or get_sdk(inputs.sdk)
    result: LayoutResult = layout.plan(
        inputs.schemas, inputs.tables, source_schema=inputs.schema, union_versions=cfg.models.union_versions
    )
    naming = PackageNaming(
        inputs.source_name, cfg.sources.prefix, cfg.models.prefix, cfg.docs.prefix, cfg.docs.in_folder
    )
    report = BuildReport(package_dir, skipped=list(result.skipped), warnings=list(result.warnings))
    table_names = _unique_names(result.models, naming, report.warnings)
    column_tests = {k.lower(): list(v) for k, v in cfg.docs.tests.items()}

    files: dict[str, str] = {}
    source_tables: dict[str, tuple[dict[str, Any], str]] = {}
    for plan in result.models:
        table_name, table_entry = yml.table_entry(plan.table, dialect, table_names[plan.table])
        model_name = naming.model_name(plan.entity)
        say(f"model {model_name} <- {plan.table}")
        # a union-of-versions model reads the raw table too: one row per event, not one per version
        source_tables.setdefault(table_name, (table_entry, _table_description(plan)))
        files[str(naming.model_file(plan.entity))] = sql.staging_model(
            plan, inputs.source_name, table_name, dialect, cfg.models.filter,
            incremental=cfg.models.materialized == "incremental",
        )
        files[str(naming.docs_file(plan.entity))] = yml.model_docs(
            model_name, plan, dialect, column_tests, cfg.docs.schema_tests, report.warnings
        )
        report.models.append(model_name)
    if source_tables:
        files[str(naming.sources_file())] = yml.sources(
            inputs.source_name, inputs.database, inputs.schema, [source_tables[k] for k in sorted(source_tables)], dialect
        )
    files["dbt_project.yml"] = yml.dbt_project(inputs.project_name, cfg.models.materialized)
    files["README.md"] = _readme(inputs, report.models)
    report.files = dict(sorted(files.items()))
    return report


def _unique_names(plans: list[ModelPlan], naming: PackageNaming, warnings: list[str]) -> dict[str, str]:
    """The dbt name of each raw table, and model entities that do not collide (renames `plans` in place).

    Two raw tables can clean up to the same dbt name ('café_viewed' and 'cafe_viewed'): each then
    gets a suffix from a hash of its raw name, so names stay stable whatever else is in the schema.
    """
    by_name: dict[str, list[str]] = {}
    for table in sorted({p.table for p in plans}):
        by_name.setdefault(safe_name(table.lower(), "table"), []).append(table)
    names: dict[str, str] = {}
    for name, tables in by_name.items():
        for table in tables:
            names[table] = _hashed(name, table) if len(tables) > 1 else name
            if len(tables) > 1:
                others = ", ".join(f"'{t}'" for t in tables if t != table)
                warnings.append(f"table '{table}': its dbt name '{name}' is also the name of table(s) {others}; "
                                f"named its source table and models '{names[table]}' instead")
    owners: dict[str, str] = {}
    for table, name in sorted(names.items(), key=lambda kv: (kv[1] != safe_name(kv[0].lower(), "table"), kv[0])):
        if name in owners:  # a hashed name that is some other table's plain name: hash once more
            names[table] = _hashed(name, table)
            warnings.append(f"table '{table}': dbt name '{name}' is taken by table '{owners[name]}'; "
                            f"named it '{names[table]}' instead")
        owners[names[table]] = table
    for plan in plans:
        old, new = safe_name(plan.table.lower(), "table"), names[plan.table]
        if old != new:
            plan.entity = _renamed(plan.entity, old, new)
            plan.union_of = [_renamed(e, old, new) for e in plan.union_of]

    by_model: dict[str, list[ModelPlan]] = {}
    for plan in plans:  # a last guard: whatever the layout planned, one file per model
        by_model.setdefault(naming.model_name(plan.entity), []).append(plan)
    for model, group in by_model.items():
        if len(group) > 1:
            for plan in group:
                plan.entity = _hashed(plan.entity, f"{plan.table}\0{plan.entity}")
                warnings.append(f"table '{plan.table}': model name '{model}' is taken by another model; "
                                f"named it '{naming.model_name(plan.entity)}' instead")
    return names


def _hashed(name: str, key: str) -> str:
    suffix = "_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return name[: MAX_IDENTIFIER - len(suffix)].rstrip("_") + suffix


def _renamed(entity: str, old: str, new: str) -> str:
    return new + entity[len(old):] if entity.startswith(old) else f"{new}__{entity}"


def write_package(report: BuildReport, cache_dir: Path, source_name: str) -> None:
    """Build in .reflekt_cache, then swap: a failed or interrupted build leaves the old package intact.

    Folders of other sources in the package are carried over; this source's folder is rebuilt
    whole, so models of schemas no longer selected disappear.
    """
    target = report.package_dir
    staging_root = cache_dir / "artifacts" / "dbt"
    staging = staging_root / f"{target.name}.{os.getpid()}.tmp"
    try:
        if staging.exists():
            shutil.rmtree(staging)
        if target.is_dir():
            shutil.copytree(target, staging, symlinks=True)
            shutil.rmtree(staging / "models" / "staging" / source_name, ignore_errors=True)
            for top in ("dbt_project.yml", "README.md"):
                (staging / top).unlink(missing_ok=True)
        staging.mkdir(parents=True, exist_ok=True)
        _write_files(staging, report.files)
        from reflekt.fsutil import atomic_replace_dir

        atomic_replace_dir(staging, target)
    except OSError as exc:
        raise ReflektError(
            f"cannot write the dbt package {target}: {exc.strerror or exc}",
            hint="the previous package is unchanged; free space or fix permissions and build again",
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        _prune_empty(staging_root, stop=cache_dir.parent)


def _write_files(root: Path, files: dict[str, str]) -> None:
    """Write the rendered files; a few threads overlap the file-system calls (thousands of small files)."""
    from concurrent.futures import ThreadPoolExecutor

    paths = {rel: root / PurePosixPath(rel) for rel in files}
    for folder in sorted({p.parent for p in paths.values()}):
        folder.mkdir(parents=True, exist_ok=True)

    def write(rel: str) -> None:
        with open(paths[rel], "w", encoding="utf-8", newline="\n") as handle:
            handle.write(files[rel])

    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in pool.map(write, files):  # re-raises the first error
            pass


def _prune_empty(folder: Path, stop: Path) -> None:
    """Remove the cache folders we made, up to and including .reflekt_cache, when they are empty."""
    while folder != stop and folder.is_dir():
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _table_description(plan: ModelPlan) -> str:
    if plan.schema is not None and plan.row_match is None:  # named pages share the table with other schemas
        return f"Segment '{plan.table}' table: {plan.schema.name} events."
    return f"Segment '{plan.table}' table."


def _empty_hint(kind: str, ref: SourceRef, warehouse: Any) -> str:
    if kind == "duckdb":
        try:
            catalog = warehouse.default_database
        except Exception:  # noqa: BLE001 - only a hint: never hide the real error
            catalog = "<catalog>"
        return (f"in DuckDB the database part is the catalog name (a file demo.duckdb is catalog 'demo'); "
                f"try --source {ref.id}.{catalog}.{ref.schema.text}")
    return "check the database and schema parts of --source and that the user can see the tables"


def _readme(inputs: BuildInputs, models: list[str]) -> str:
    name = inputs.project_name
    lines = [
        f"# {name}",
        "",
        "A dbt package generated by Reflekt from the event schemas of this",
        "project and the raw tables in the warehouse. Do not edit it by hand: change the schemas and run",
        "",
        "```bash",
        f"reflekt build dbt --source <id>.{inputs.database}.{inputs.schema} --sdk {inputs.sdk}",
        "```",
        "",
        "## Use it in a dbt project",
        "",
        "Add it to the `packages.yml` of your dbt project, then run `dbt deps`:",
        "",
        "```yaml",
        "packages:",
        "  # from the git repository of your Reflekt project",
        '  - git: "https://github.com/<your_org>/<your_reflekt_repo>.git"',
        f'    subdirectory: "artifacts/dbt/{name}"',
        '    revision: main  # a branch, tag or full commit hash',
        "  # or, from a local checkout",
        f'  # - local: "../<your_reflekt_repo>/artifacts/dbt/{name}"',
        "```",
        "",
        f"## Models ({inputs.source_name}, {inputs.dialect.name})",
        "",
    ]
    lines += [f"- `{m}`" for m in models] or ["(none)"]
    return "\n".join(lines) + "\n"
