"""The repo's .pre-commit-hooks.yaml runs real `reflekt lint` command lines."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

HOOKS = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


def test_hooks_are_valid_lint_invocations(cli, make_project) -> None:
    from tests.helpers import event_schema

    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} >= {"reflekt-lint"}
    root = make_project(schemas={"shop/Cart Viewed/1-0.json": event_schema("shop/Cart Viewed/1-0.json")})
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys()
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        argv = shlex.split(hook["entry"])
        assert argv[:2] == ["reflekt", "lint"]
        result = cli("--project-dir", root, *argv[1:])
        assert result.code == 0, result.output
        assert re.search(hook["files"], "schemas/shop/Cart Viewed/1-0.json")
        assert re.search(hook["files"], "reflekt_project.yml")
        assert not re.search(hook["files"], "models/stg_cart.sql")
