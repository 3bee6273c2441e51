"""Lint the real Iglu Central corpus (563 schemas) as a SchemaVer project: no internal error."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from reflekt.lint.runner import run_lint
from reflekt.project import load_project
from tests.lint.iglu import copy_iglu_project


def test_iglu_central_lints_without_internal_error(shared_dir: Path, tmp_path: Path, cli) -> None:
    root = copy_iglu_project(shared_dir / "corpora" / "iglu-central", tmp_path / "iglu")
    result = run_lint(load_project(root), None, None, parallel=False)
    assert result.files == 548  # the jsonschema files (the corpus also holds avro, thrift, protobuf)
    counts = Counter(f.code for f in result.findings)
    # Iglu schemas have no $id and (mostly) no descriptions on properties: the rules see that.
    assert counts["ID01"] == result.files
    assert counts["DC02"] > 100
    assert counts["PA01"] == 0 and counts["ID05"] == 0
    assert all(f.line and f.col for f in result.findings)
    assert all(f.schema_id.endswith(".json") for f in result.findings)
    cli_result = cli("--project-dir", root, "lint", "--format", "json")
    assert cli_result.code == 1 and "unexpected error" not in cli_result.stderr
