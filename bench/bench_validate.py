"""Benchmark `reflekt validate --events` end to end; prints figures, asserts nothing.

    .venv/bin/python bench/bench_validate.py [--events 1000000] [--small 100000]

Generates Segment-style track events (~700 bytes each, 2% invalid) for 6 schemas in a temp
project under bench/out/, then measures, each in a fresh process:
- a plain parse pass (read lines + orjson/json loads, nothing else) over the same file;
- `reflekt validate` end to end (CLI start, schema load/compile, parse, validate, report);
- start-up: `reflekt validate` on a one-event file (CLI imports, project and schema loading);
- peak RSS (ru_maxrss of the child) of `reflekt validate` at two input sizes: flat = streaming.

Children get a bytecode cache under bench/out/pycache (PYTHONPYCACHEPREFIX) as an installed
package has one (pip compiles on install, plain Python writes __pycache__ on first import): a
venv made by `uv pip install` without --compile-bytecode, run with PYTHONDONTWRITEBYTECODE=1,
recompiles every imported module on every run (~0.4 s of start-up). --no-bytecode-cache measures
that situation instead; the start-up line always shows both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "validate"
GENERATOR_VERSION = 2  # bump when generate() changes
PROPS = {
    "Order Completed": {
        "order_id": {"type": "string"},
        "total": {"type": "number", "minimum": 0},
        "revenue": {"type": "number"},
        "currency": {"type": "string", "enum": ["USD", "EUR", "GBP"]},
        "coupon": {"type": ["string", "null"]},
        "products": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"product_id": {"type": "string"}, "price": {"type": "number"}, "quantity": {"type": "integer"}},
                "required": ["product_id"],
            },
        },
    },
    "Product Viewed": {
        "product_id": {"type": "string"},
        "sku": {"type": "string"},
        "category": {"type": "string"},
        "name": {"type": "string"},
        "price": {"type": "number"},
        "url": {"type": "string"},
    },
    "Cart Viewed": {"cart_id": {"type": "string"}, "item_count": {"type": "integer"}, "value": {"type": "number"}},
    "Checkout Started": {"order_id": {"type": "string"}, "value": {"type": "number"}, "step": {"type": "integer"}},
    "Signed Up": {"method": {"type": "string", "enum": ["email", "google", "apple"]}, "plan": {"type": "string"}},
    "Search Performed": {"query": {"type": "string", "maxLength": 200}, "results": {"type": "integer"}},
}


def make_project(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "schemas").mkdir(parents=True)
    (root / "reflekt_project.yml").write_text("version: 1.0\nname: bench\nvendor: com.example\n")
    for name, props in PROPS.items():
        schema = {
            "$id": f"bench/{name}/1-0.json",
            "$schema": "http://json-schema.org/draft-07/schema#",
            "self": {"name": name, "version": "1-0"},
            "type": "object",
            "properties": props,
            "required": list(props)[:2],
            "additionalProperties": False,
        }
        path = root / "schemas" / "bench" / name / "1-0.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(schema, indent=2))


def properties(name: str, rng: random.Random) -> dict:
    if name == "Order Completed":
        return {
            "order_id": f"o-{rng.randrange(10**9)}", "total": 42.5, "revenue": 40.0, "currency": "EUR", "coupon": None,
            "products": [{"product_id": f"p-{i}", "price": 10.5, "quantity": 2} for i in range(2)],
        }
    if name == "Product Viewed":
        return {"product_id": "p-1", "sku": "SKU-1", "category": "Games", "name": "Monopoly", "price": 18.99,
                "url": "https://shop.example/p/1"}
    if name == "Cart Viewed":
        return {"cart_id": "c-1", "item_count": 3, "value": 12.0}
    if name == "Checkout Started":
        return {"order_id": "o-1", "value": 12.0, "step": 1}
    if name == "Signed Up":
        return {"method": "email", "plan": "pro"}
    return {"query": "red shoes", "results": 12}


def generate(path: Path, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    names = list(PROPS)
    dumps = json.dumps
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            name = names[i % len(names)]
            props = properties(name, rng)
            if i % 50 == 0:  # 2% invalid: a wrong type
                props[next(iter(props))] = 12345
            event = {
                "type": "track", "event": name, "messageId": f"msg-{i:09d}", "userId": f"user-{i % 5000}",
                "anonymousId": "3a12eab0-bca7-11e4-8dfc-aa07a5b093db", "timestamp": "2024-05-01T12:00:00.000Z",
                "receivedAt": "2024-05-01T12:00:01.000Z", "properties": props,
                "context": {
                    "ip": "8.8.8.8", "locale": "en-US", "timezone": "Europe/Amsterdam",
                    "campaign": {"name": "spring_sale", "source": "newsletter", "medium": "email"},
                    "library": {"name": "analytics.js", "version": "2.11.1"},
                    "page": {"path": "/academy/", "referrer": "", "title": "Analytics Academy",
                             "url": "https://segment.com/academy/"},
                    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120",
                },
            }
            out.write(dumps(event, separators=(",", ":")) + "\n")
    return path.stat().st_size


PARSE_ONLY = """
import sys, time
try:
    from orjson import loads
except ImportError:
    from json import loads
start = time.perf_counter(); n = 0
with open(sys.argv[1], 'rb', buffering=1 << 20) as f:
    readline = f.readline
    while True:
        line = readline(1 << 20)
        if not line:
            break
        loads(line); n += 1
print(n, time.perf_counter() - start)
"""


CACHED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CACHED_ENV["PYTHONPYCACHEPREFIX"] = str(OUT.parent / "pycache")
UNCACHED_ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
UNCACHED_ENV.pop("PYTHONPYCACHEPREFIX", None)


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MiB and stdout of one child process.

    CPU seconds are what one core spends; on a shared machine they are steadier than wall time.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    stdout = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, stdout


def backends(project: Path, path: Path, count: int) -> None:
    """In-process loop only: jsonschema-rs against the pure-python fallback on the same lines."""
    import io
    from itertools import islice

    from reflekt.validate.catalog import Catalog
    from reflekt.validate.engine import EventValidator
    from reflekt.validate.results import Results
    from reflekt.validate.run import load_catalog

    with path.open("rb") as handle:
        data = b"".join(islice(handle, count))
    print(f"\nvalidation loop only, in-process, {count:,} events:")
    for backend in ("rs", "py"):
        schemas = list(load_catalog(project / "schemas", None, None).schemas_by_name.values())
        catalog = Catalog([s for versions in schemas for s in versions], backend=backend)
        results = EventValidator(catalog, Results(source="bench")).run_jsonl(io.BytesIO(data))
        print(f"  {results.backend:>13}: {count / results.seconds:>9,.0f} events/s "
              f"(valid {results.valid:,}, invalid {results.invalid:,})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown (shared CPUs)")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="children recompile every import (see above)")
    opts = parser.parse_args()
    env = UNCACHED_ENV if opts.no_bytecode_cache else CACHED_ENV
    project = OUT / "project"
    make_project(project)
    sizes = sorted({opts.small, opts.events})
    files = {}
    for n in sizes:
        files[n] = OUT / f"events-{n}-v{GENERATOR_VERSION}.jsonl"  # deterministic: reused when present
        reused = files[n].is_file()
        size = files[n].stat().st_size if reused else generate(files[n], n)
        print(f"{'reusing' if reused else 'generated'} {n:,} events, {size / n:.0f} bytes/event, "
              f"{size / 2**20:.0f} MiB: {files[n]}")

    big = files[opts.events]
    one = OUT / "events-1.jsonl"
    with big.open("rb") as handle:
        one.write_bytes(handle.readline())
    cmd = [sys.executable, "-m", "reflekt", "--project-dir", str(project), "validate", "--format", "json", "--events"]
    load_before = os.getloadavg()[0]
    startup = {}
    run_child(cmd + [str(one)], CACHED_ENV)  # fills the bytecode cache
    for label, child_env in (("with bytecode cache", CACHED_ENV), ("without (recompiling imports)", UNCACHED_ENV)):
        startup[label] = min(run_child(cmd + [str(one)], child_env)[0] for _ in range(opts.repeat))
    parse_wall = parse_inner = parse_cpu = wall = cpu = float("inf")
    out = ""
    for _ in range(opts.repeat):  # interleaved, so both see the same machine load
        p_wall, p_cpu, _, p_out = run_child([sys.executable, "-c", PARSE_ONLY, str(big)], env)
        parse_wall, parse_cpu = min(parse_wall, p_wall), min(parse_cpu, p_cpu)
        parse_inner = min(parse_inner, float(p_out.split()[1]))
        v_wall, v_cpu, _, v_out = run_child(cmd + [str(big)], env)
        cpu = min(cpu, v_cpu)
        if v_wall < wall:
            wall, out = v_wall, v_out
    print(f"\nmachine: {os.cpu_count()} CPUs, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"(best of {opts.repeat} runs; children {'without' if opts.no_bytecode_cache else 'with'} a bytecode cache)")
    print("start-up, `reflekt validate` on 1 event: "
          + ", ".join(f"{seconds:.2f}s {label}" for label, seconds in startup.items()))
    rss = {}
    for n in sizes:
        _, _, rss[n], _ = run_child(cmd + [str(files[n])], env)
        if n == opts.events:
            report = json.loads(out)
            summary = report["summary"]
            print(f"\nreflekt validate on {n:,} events ({report['backend']}): {wall:.2f}s wall end to end, "
                  f"{report['seconds']:.2f}s in the validation loop")
            print(f"  {n / wall:,.0f} events/s end to end (target >= 250,000), {n / report['seconds']:,.0f} events/s in the loop")
            print(f"  {cpu:.2f} CPU seconds end to end: {n / cpu:,.0f} events per CPU-second")
            print(f"  valid {summary['valid']:,}, invalid {summary['invalid']:,}, unknown {summary['unknown']:,}")
            print(f"plain parse pass (read + loads only): {parse_inner:.2f}s ({n / parse_inner:,.0f} events/s), "
                  f"{parse_wall:.2f}s with interpreter start")
            print(f"  {parse_cpu:.2f} CPU seconds with interpreter start: {n / parse_cpu:,.0f} events per CPU-second")
            print(f"  ratio validate/parse: {wall / parse_wall:.2f}x wall, {cpu / parse_cpu:.2f}x CPU, "
                  f"{report['seconds'] / parse_inner:.2f}x loop")
    backends(project, files[opts.small], min(opts.small, 50_000))
    print("\npeak RSS of reflekt validate:")
    for n in sizes:
        print(f"  {n:>10,} events ({files[n].stat().st_size / 2**20:,.0f} MiB): {rss[n]} MiB")


if __name__ == "__main__":
    main()
