"""Run the lint rules over selected schemas: read each file once, rules built once, two cores when it pays.

Work is split by event folder (a folder's versions are compared with each other), so a worker
process owns whole folders. Worker processes are forked after the rules and compiled validators
are built, and inherit them; where fork is unavailable the run stays in one process.
"""

from __future__ import annotations

import fnmatch
import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflekt.errors import SchemaError
from reflekt.jsonpos import JsonPositions
from reflekt.lint.config import LintSettings, load_lint_settings
from reflekt.lint.context import LintContext
from reflekt.lint.registry import RULES, rule_class
from reflekt.lint.rule import Finding, Rule, Severity, Target, Violation
from reflekt.schema import EventSchema, SchemaId, decode_schema_bytes, parse_schema_text

if TYPE_CHECKING:
    from reflekt.project import Project

try:  # 2x faster parsing; the stdlib parser still produces the positioned error for broken files
    import orjson
except ImportError:  # pragma: no cover - orjson comes with the `fast` extra
    orjson = None

PARALLEL_MIN_FILES = 300  # below this, forking and shipping results back costs more than it saves (bench)
CHUNKS_PER_WORKER = 4


@dataclass
class LintResult:
    findings: list[Finding]
    files: int = 0  # schemas checked
    skipped: int = 0  # schemas with self.lint: false
    ignored: int = 0  # findings suppressed by lint.ignore or self.lint.ignore
    elapsed: float = 0.0
    meta_schema: Path | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@dataclass
class Engine:
    """Rules and context for one run; module-global so forked workers inherit it."""

    ctx: LintContext
    settings: LintSettings
    schema_rules: list[Rule] = field(default_factory=list)
    version_rules: list[Rule] = field(default_factory=list)
    enabled_codes: frozenset[str] = frozenset()

    @classmethod
    def build(cls, ctx: LintContext, settings: LintSettings) -> Engine:
        engine = cls(ctx, settings)
        for code, rule_settings in settings.rules.items():
            if not rule_settings.enabled or code == "PA01":
                continue
            rule_cls = rule_class(code)
            if rule_cls.scope == "schema":
                engine.schema_rules.append(rule_cls(ctx, rule_settings.options))
            elif rule_cls.scope == "versions":
                engine.version_rules.append(rule_cls(ctx, rule_settings.options))
        engine.enabled_codes = frozenset(code for code, s in settings.rules.items() if s.enabled)
        return engine

    def ignored_codes(self, schema_id: str) -> frozenset[str]:
        codes: set[str] = set()
        for pattern, pattern_codes in self.settings.ignore:
            if _glob_match(schema_id, pattern):
                codes |= pattern_codes
        return frozenset(codes)


_ENGINE: Engine | None = None


def run_lint(
    project: Project,
    selects: list[str] | None,
    excludes: list[str] | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool | None = None,
) -> LintResult:
    """Lint the selected schemas. `progress(done, total)` is called as files complete."""
    # Parsed JSON holds no reference cycles; the cyclic GC would rescan every live schema dict
    # thousands of times (measured: 40% of a 10,000-schema run). Refcounting still frees memory.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_lint(project, selects, excludes, progress, parallel)
    finally:
        if gc_was_enabled:
            gc.enable()


def _run_lint(project: Project, selects, excludes, progress, parallel) -> LintResult:
    global _ENGINE
    from reflekt.selection import all_schema_ids, require_schemas_dir, select

    started = time.perf_counter()
    require_schemas_dir(project.schemas_dir)
    settings = load_lint_settings(project)
    ctx = LintContext.from_project(project)
    every_id = all_schema_ids(project.schemas_dir)
    selected = select(project.schemas_dir, selects, excludes, every_id) if (selects or excludes) else every_id
    engine = _ENGINE = Engine.build(ctx, settings)
    units = _work_units(project.schemas_dir, selected, with_siblings=bool(engine.version_rules))
    total = len(selected)
    outputs = _run_units(units, total, progress, parallel)
    result = LintResult(findings=[], meta_schema=ctx.meta_schema_path)
    reportable: dict[str, frozenset[str]] = {}
    for findings, files, skipped, ignored, unit_reportable in outputs:
        result.findings.extend(findings)
        result.files += files
        result.skipped += skipped
        result.ignored += ignored
        reportable.update(unit_reportable)
    if settings.rules["NM05"].enabled:
        result.findings.extend(_project_findings(engine, project, every_id, reportable))
    result.findings.sort(key=Finding.sort_key)
    result.elapsed = time.perf_counter() - started
    return result


Unit = list[tuple[str, bool]]  # (schema id, selected) for one event folder


def _work_units(schemas_dir: Path, selected: list[str], with_siblings: bool) -> list[Unit]:
    by_folder: dict[str, list[str]] = {}
    for schema_id in selected:
        by_folder.setdefault(schema_id.rsplit("/", 1)[0] if "/" in schema_id else "", []).append(schema_id)
    units = []
    for folder, ids in by_folder.items():
        unit = [(i, True) for i in ids]
        if with_siblings and folder:
            chosen = set(ids)
            try:
                names = sorted(e.name for e in os.scandir(schemas_dir / folder) if e.name.endswith(".json")
                               and e.is_file())
            except OSError:
                names = []
            unit += [(f"{folder}/{n}", False) for n in names if f"{folder}/{n}" not in chosen]
        units.append(unit)
    return units


def _run_units(units: list[Unit], total: int, progress, parallel: bool | None) -> list[tuple]:
    workers = min(os.cpu_count() or 1, 4)
    use_pool = parallel if parallel is not None else (total >= PARALLEL_MIN_FILES and workers > 1)
    if use_pool and "fork" not in multiprocessing.get_all_start_methods():
        use_pool = False
    outputs: list[tuple] = []
    done = 0
    if not use_pool:
        for unit in units:
            outputs.append(lint_unit(unit))
            done += sum(1 for _, sel in unit if sel)
            if progress:
                progress(done, total)
        return outputs
    chunks = _chunk(units, workers * CHUNKS_PER_WORKER)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for chunk_output, chunk_done in pool.map(_lint_chunk, chunks):
            outputs.extend(chunk_output)
            done += chunk_done
            if progress:
                progress(done, total)
    return outputs


def _chunk(units: list[Unit], count: int) -> list[list[Unit]]:
    count = max(1, min(count, len(units)))
    return [units[i::count] for i in range(count)]


def _lint_chunk(chunk: list[Unit]) -> tuple[list[tuple], int]:
    return [lint_unit(unit) for unit in chunk], sum(1 for unit in chunk for _, sel in unit if sel)


def lint_unit(unit: Unit) -> tuple[list[Finding], int, int, int, dict[str, frozenset[str]]]:
    """Lint one event folder's selected files; its other versions are read for version rules."""
    engine = _ENGINE
    assert engine is not None, "run_lint sets the engine before linting"
    schemas_dir = engine.ctx.schemas_dir
    findings: list[Finding] = []
    files = skipped = ignored = 0
    targets: list[Target] = []
    texts: dict[str, str | bytes] = {}
    reportable: dict[str, frozenset[str]] = {}  # schema id -> ignored codes, for files we report on
    for schema_id, selected in unit:
        path = schemas_dir / schema_id
        try:
            data, text = _read(path)
        except (SchemaError, OSError, UnicodeDecodeError, RecursionError) as exc:
            if selected:
                files += 1
                findings.append(_unreadable(schema_id, path, exc))
            continue
        schema = EventSchema(path, SchemaId(schema_id), data)
        target = Target(schema)
        targets.append(target)
        texts[schema_id] = text
        if not selected:
            continue
        if not schema.lint_enabled:
            skipped += 1
            continue
        files += 1
        ignore = engine.ignored_codes(schema_id) | _inline_ignores(schema)
        reportable[schema_id] = ignore
        try:
            for rule in engine.schema_rules:
                if rule.code in ignore:
                    continue
                for violation in rule.check(target):
                    findings.append(_finding(engine, rule, schema, violation))
        except RecursionError:
            findings.append(_unreadable(schema_id, path, RecursionError()))
            targets.pop()
    if len(targets) > 0 and engine.version_rules:
        for rule in engine.version_rules:
            try:
                pairs = list(rule.check_versions(targets))
            except RecursionError:
                continue  # the too-deep file was reported above
            for target, violation in pairs:
                ignore = reportable.get(target.schema.id.value)
                if ignore is None:
                    continue
                if rule.code not in ignore:
                    findings.append(_finding(engine, rule, target.schema, violation))
    # "Ignored" counts (file, enabled rule) pairs skipped by an ignore: ignored rules are not run.
    for ignore in reportable.values():
        if ignore:
            ignored += sum(1 for code in ignore if code in engine.enabled_codes)
    return _place(findings, texts), files, skipped, ignored, reportable


def _read(path: Path) -> tuple[dict[str, Any], str | bytes]:
    """Parsed JSON object and the raw content (decoded only if a finding needs a position)."""
    raw = path.read_bytes()
    if orjson is not None:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            return data, raw
    text = decode_schema_bytes(raw, path)
    return parse_schema_text(text, path), text


def _finding(engine: Engine, rule: Rule, schema: EventSchema, violation: Violation) -> Finding:
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=engine.settings.rules[rule.code].severity,
        message=violation.message,
        schema_id=schema.id.value,
        path=str(schema.path),
        pointer=violation.pointer,
    )


def _unreadable(schema_id: str, path: Path, exc: Exception) -> Finding:
    if isinstance(exc, SchemaError):
        message, line, col = exc.message, exc.line or 1, exc.col or 1
    elif isinstance(exc, RecursionError):
        message, line, col = "schema is nested too deeply to lint", 1, 1
    elif isinstance(exc, UnicodeDecodeError):
        message, line, col = f"schema is not UTF-8 text ({exc.reason})", 1, 1
    else:
        message, line, col = f"cannot read schema: {getattr(exc, 'strerror', None) or exc}", 1, 1
    return Finding("PA01", "invalid-json", Severity.ERROR, message, schema_id, str(path), "", line, col)


def _place(findings: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """Fill line:col from the JSON text; positions are indexed only for files with findings."""
    positions: dict[str, JsonPositions] = {}
    placed = []
    for finding in findings:
        if finding.line is not None or finding.schema_id not in texts:
            placed.append(finding)
            continue
        index = positions.get(finding.schema_id)
        if index is None:
            content = texts[finding.schema_id]
            text = content.decode("utf-8") if isinstance(content, bytes) else content
            index = positions[finding.schema_id] = JsonPositions(text)
        line, col = index.locate(finding.pointer)
        placed.append(_replace(finding, line, col))
    return placed


def _replace(finding: Finding, line: int, col: int) -> Finding:
    from dataclasses import replace

    return replace(finding, line=line, col=col)


def _inline_ignores(schema: EventSchema) -> frozenset[str]:
    """`"self": {"lint": {"ignore": ["NM02"]}}` skips rules for one schema."""
    from reflekt.lint.registry import code_for

    block = schema.self_block.get("lint")
    if not isinstance(block, dict):
        return frozenset()
    codes = block.get("ignore")
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list):
        return frozenset()
    resolved = set()
    for key in codes:
        if str(key).lower() == "all":
            resolved.update(RULES)
        elif (code := code_for(str(key))) is not None:
            resolved.add(code)
    return frozenset(resolved)


def _glob_match(schema_id: str, pattern: str) -> bool:
    """An ignore pattern matches a schema id, its id without .json, or a folder above it
    ('legacy', 'legacy/**' and 'legacy/*' all cover 'legacy/Old Event/1-0.json')."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(schema_id, pattern) or fnmatch.fnmatchcase(schema_id.removesuffix(".json"), pattern):
        return True
    base = pattern.removesuffix("/**")
    parents = schema_id.split("/")[:-1]
    return any(fnmatch.fnmatchcase("/".join(parents[:n]), base) for n in range(1, len(parents) + 1))


def _project_findings(engine: Engine, project: Project, all_ids: list[str],
                      reportable: dict[str, frozenset[str]]) -> Iterable[Finding]:
    """NM05 needs every event name in the project; it reports on selected, linted files only."""
    rule = rule_class("NM05")(engine.ctx, engine.settings.rules["NM05"].options)
    for schema_id, violation in rule.check_project(all_ids):
        ignore = reportable.get(schema_id)
        if ignore is None or "NM05" in ignore:
            continue
        yield Finding("NM05", rule.name, engine.settings.rules["NM05"].severity, violation.message, schema_id,
                      str(project.schemas_dir / schema_id), "", 1, 1)


def explain(code_or_name: str) -> tuple[str, str, str]:
    """(code, name, documentation) of a rule."""
    from reflekt.lint.registry import code_for

    code = code_for(code_or_name)
    if code is None:
        raise KeyError(code_or_name)
    cls = rule_class(code)
    return code, cls.name, _dedent_doc(cls.__doc__ or "")


def _dedent_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


def rule_summaries() -> list[dict[str, Any]]:
    out = []
    for code in RULES:
        cls = rule_class(code)
        out.append({"code": code, "name": cls.name, "severity": cls.severity.value,
                    "summary": _dedent_doc(cls.__doc__ or "").splitlines()[0]})
    return out
