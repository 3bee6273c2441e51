"""The runner: same findings serial and in the process pool, edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflekt.lint.runner import run_lint
from reflekt.project import load_project
from tests.helpers import event_schema


def _project(make_project) -> Path:
    schemas = {}
    for i in range(12):
        for version in ("1-0", "1-1"):
            schema_id = f"plan{i % 3}/Event {chr(65 + i)}/{version}.json"
            props = {"cartId": {"type": "string"}} if i % 4 == 0 else None
            schemas[schema_id] = event_schema(schema_id, props)
    schemas["plan0/Broken/1-0.json"] = '{"x": '
    return make_project(schemas=schemas)


def test_pool_and_serial_find_the_same(make_project) -> None:
    project = load_project(_project(make_project))
    serial = run_lint(project, None, None, parallel=False)
    pooled = run_lint(project, None, None, parallel=True)
    assert serial.findings == pooled.findings
    assert (serial.files, serial.skipped) == (pooled.files, pooled.skipped) == (25, 0)
    assert any(f.code == "PA01" for f in serial.findings)


def test_progress_reports_every_selected_file(make_project) -> None:
    project = load_project(_project(make_project))
    seen: list[tuple[int, int]] = []
    run_lint(project, ["plan1"], None, progress=lambda done, total: seen.append((done, total)), parallel=False)
    assert seen[-1] == (8, 8)


def test_empty_project_is_clean(make_project) -> None:
    result = run_lint(load_project(make_project()), None, None)
    assert result.findings == [] and result.files == 0


@pytest.mark.parametrize("select, files", [(["plan1/Event B"], 2), (["plan1/Event B/1-1.json"], 1)])
def test_selection_counts(make_project, select, files) -> None:
    result = run_lint(load_project(_project(make_project)), select, None)
    assert result.files == files
