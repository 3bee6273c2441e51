#!/usr/bin/env bash
# Install reflekt, create the demo project (e-commerce schemas + a DuckDB file of Segment-shaped
# raw events), lint it and build its dbt package. Everything happens in ./demo-project.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" ""
cd "$ROOT"
DEMO="$ROOT/demo-project"
reflekt init --demo --no-input --dir "$DEMO" --force
reflekt --project-dir "$DEMO" debug
reflekt --project-dir "$DEMO" lint
reflekt --project-dir "$DEMO" build dbt --select segment/ecommerce --source demo.demo.ecommerce --sdk segment
echo "demo ready: $DEMO"
