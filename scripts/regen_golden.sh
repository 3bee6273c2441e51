#!/usr/bin/env bash
# Regenerate the golden dbt packages under tests/builders/dbt/golden/ after an intended change,
# then review `git diff tests/builders/dbt/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
REFLEKT_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/builders/dbt/test_golden.py "$@"
git status --short tests/builders/dbt/golden
