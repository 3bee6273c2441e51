"""How fast does `reflekt --help` start? Target: median <= 0.25 s and no heavy module imported.

Prints the median/min/max of N runs of the installed entry point (`reflekt --help` via the
venv's interpreter), the bare interpreter start-up for comparison, the slowest imports from
`-X importtime`, and which heavy modules (drivers, dbt, pydantic ...) got imported.

Usage: python bench/bench_cli.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY_MODULES = ["duckdb", "psycopg", "snowflake", "google.cloud", "dbt", "sqlglot", "jsonschema", "httpx", "pydantic"]
TARGET_SECONDS = 0.25
HELP = "from reflekt.cli.main import main; main(['--help'])"


def timed_runs(code: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def heavy_imports() -> list[str]:
    code = (
        "import sys\nfrom reflekt.cli.main import run\n"
        "try:\n    run(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ','.join(sorted(m for m in sys.modules "
        f"if any(m == h or m.startswith(h + '.') for h in {HEAVY_MODULES!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def slowest_imports(limit: int = 8) -> list[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", HELP], capture_output=True, text=True, check=False
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_part, cumulative_us, name = line.removeprefix("import time:").split("|")
        if name.startswith("  "):  # nested import: counted in its parent's cumulative time
            continue
        rows.append((int(cumulative_us), name.strip()))
    return sorted(rows, reverse=True)[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    timed_runs(HELP, 2)  # warm the OS file cache and .pyc files
    help_times = timed_runs(HELP, args.runs)
    bare_times = timed_runs("pass", args.runs)
    median = statistics.median(help_times)
    bare = statistics.median(bare_times)
    heavy = heavy_imports()

    print(f"reflekt --help over {args.runs} runs: median {median:.3f}s, min {min(help_times):.3f}s, "
          f"max {max(help_times):.3f}s (target <= {TARGET_SECONDS:.2f}s: {'OK' if median <= TARGET_SECONDS else 'OVER'})")
    print(f"bare python start-up: median {bare:.3f}s; reflekt adds {median - bare:.3f}s ({median / bare:.1f}x)")
    print("heavy modules imported: " + (", ".join(heavy) if heavy else "none"))
    print("slowest imports (cumulative):")
    for cumulative_us, name in slowest_imports():
        print(f"  {cumulative_us / 1000:7.1f} ms  {name.strip()}")


if __name__ == "__main__":
    main()
