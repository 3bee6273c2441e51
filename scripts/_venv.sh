# Sourced by the scripts: make .venv with uv (fast) and install the project with the given extras.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
if [ ! -x "$ROOT/.venv/bin/uv" ]; then
  "$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check uv
fi
"$ROOT/.venv/bin/uv" pip install -q -p "$ROOT/.venv/bin/python" -e "$ROOT$1"
export PATH="$ROOT/.venv/bin:$PATH"
