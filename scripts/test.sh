#!/usr/bin/env bash
# Install everything the tests need into .venv and run the whole suite. Extra args go to pytest.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" "[test]"
cd "$ROOT"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false DO_NOT_TRACK=1
exec python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
