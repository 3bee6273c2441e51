"""Benchmark `reflekt lint`: generated projects of 400 and 10,000 schemas, serial vs process pool.

Prints wall times and throughput; asserts nothing (targets: 400 schemas <= 0.3 s, 10,000 <= 2.5 s
on a 2-core machine). Usage: python bench/bench_lint.py [--sizes 400 10000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reflekt.lint.runner import run_lint
from reflekt.project import load_project

WORDS = ["cart", "product", "order", "checkout", "coupon", "page", "link", "video", "search", "user", "account", "session", "item", "price", "currency", "shipping", "payment", "category", "brand", "variant", "quantity", "position", "list", "share", "review"]
PROJECT_YML = "version: 1.0\nname: bench\nvendor: com.example\n"
META = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "allOf": [
        {"$ref": "http://json-schema.org/draft-07/schema#"},
        {"properties": {"self": {"type": "object", "properties": {
            "vendor": {"type": "string"}, "name": {"type": "string"}, "format": {"const": "jsonschema"},
            "version": {"type": "string"},
            "metadata": {"type": "object", "properties": {"code_owner": {"type": "string"}},
                         "required": ["code_owner"]}},
            "required": ["vendor", "name", "format", "version", "metadata"], "additionalProperties": False}},
         "required": ["self", "properties"]},
    ],
}


def _prop(rng: random.Random, depth: int = 0) -> dict:
    kind = rng.random()
    if kind < 0.45:
        return {"type": ["string", "null"], "description": "A string.", "maxLength": 128}
    if kind < 0.65:
        return {"type": ["integer", "null"], "description": "A count.", "minimum": 0}
    if kind < 0.75:
        return {"type": ["number", "null"], "description": "An amount.", "minimum": 0, "maximum": 1e9}
    if kind < 0.85:
        return {"type": ["boolean", "null"], "description": "A flag."}
    if kind < 0.93 and depth == 0:
        return {"type": ["object", "null"], "description": "A nested object.", "additionalProperties": False,
                "properties": {f"{w}_id": {"type": ["string", "null"], "description": "Id.", "maxLength": 64}
                               for w in rng.sample(WORDS, 3)}}
    return {"type": ["array", "null"], "description": "A list.", "maxItems": 50,
            "items": {"type": "object", "required": ["sku", "quantity"], "properties": {
                "sku": {"type": "string", "description": "SKU.", "maxLength": 32},
                "quantity": {"type": "integer", "description": "Quantity.", "minimum": 1}}}}


def generate(root: Path, schemas: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True, exist_ok=True)
    (root / "reflekt_project.yml").write_text(PROJECT_YML, encoding="utf-8")
    (root / "schemas/.reflekt/meta/1-0.json").write_text(json.dumps(META), encoding="utf-8")
    written = event = 0
    while written < schemas:
        event += 1
        folder = f"plan{event % 20}"
        # unique, digit-free title case: "Cart Viewed Bcd"
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} " + "".join(
            chr(ord("A") + int(d)) for d in str(event)).title()
        props = {}
        for _ in range(rng.randint(10, 20)):
            props[f"{rng.choice(WORDS)}_{rng.choice(WORDS)}"] = _prop(rng)
        required = rng.sample(sorted(props), 2)
        for prop in required:
            props[prop]["type"] = props[prop]["type"][0]
        versions = ["1-0", "1-1"] + (["2-0"] if rng.random() < 0.5 else [])
        for version in versions[: schemas - written]:
            if version == "1-1":
                props[f"added_{rng.choice(WORDS)}"] = {"type": ["string", "null"], "description": "New.",
                                                       "maxLength": 16}
            if version == "2-0":  # a breaking change: an optional property becomes required
                optional = [p for p in sorted(props) if p not in required]
                if optional:
                    required = required + [optional[0]]
                    props[optional[0]] = {**props[optional[0]], "type": props[optional[0]]["type"][0]}
            if rng.random() < 0.02:  # a few real findings, so positions are exercised
                props["badName"] = {"type": "string"}
            schema_id = f"{folder}/{name}/{version}.json"
            schema = {
                "$id": schema_id,
                "$schema": "http://json-schema.org/draft-07/schema#",
                "description": f"{name} event.",
                "self": {"vendor": "com.example", "name": name, "format": "jsonschema", "version": version,
                         "metadata": {"code_owner": "team-data"}},
                "type": "object",
                "properties": props,
                "required": sorted(required),
                "additionalProperties": False,
            }
            path = root / "schemas" / schema_id
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
            props.pop("badName", None)
            written += 1
    return root


def _cpu() -> float:
    """CPU seconds of this process and its (finished) worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(root: Path, parallel: bool | None, repeat: int) -> dict:
    project = load_project(root)
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        cpu, started = _cpu(), time.perf_counter()
        result = run_lint(project, None, None, parallel=parallel)
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    return {"best": min(walls), "median": statistics.median(walls), "cpu": statistics.median(cpus),
            "files": result.files, "findings": len(result.findings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate projects here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="reflekt-bench-"))
    print(f"cpus: {os.cpu_count()}  engine: {'jsonschema-rs' if _has_rs() else 'jsonschema'}  "
          f"load average: {os.getloadavg()[0]:.1f} (other processes skew wall times; cpu-s less so)")
    try:
        for size in args.sizes:
            root = base / f"p{size}"
            if not (root / "reflekt_project.yml").exists():
                started = time.perf_counter()
                generate(root, size)
                print(f"generated {size} schemas in {time.perf_counter() - started:.1f}s")
            for label, parallel in (("auto", None), ("serial", False), ("pool", True)):
                m = measure(root, parallel, args.repeat)
                print(f"{size:>6} schemas  {label:<6}  best {m['best']:6.3f}s  median {m['median']:6.3f}s wall  "
                      f"{m['cpu']:6.3f} cpu-s  {m['files'] / m['best']:7.0f} schemas/s  findings={m['findings']}  "
                      f"load={os.getloadavg()[0]:.1f}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def _has_rs() -> bool:
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
