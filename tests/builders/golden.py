"""Compare a generated package with its golden tree, file by file, with a readable diff.

Regenerate after an intended change: `REFLEKT_REGEN_GOLDEN=1 pytest tests/builders`
(or scripts/regen_golden.sh).
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

GOLDEN_ROOT = Path(__file__).parent / "dbt" / "golden"


def read_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def assert_matches_golden(files: dict[str, str], case: str) -> None:
    golden = GOLDEN_ROOT / case
    if os.environ.get("REFLEKT_REGEN_GOLDEN") == "1":
        shutil.rmtree(golden, ignore_errors=True)
        for rel, text in files.items():
            path = golden / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert golden.is_dir(), f"no golden tree {golden}: run REFLEKT_REGEN_GOLDEN=1 pytest tests/builders"
    expected = read_tree(golden)
    problems = []
    for rel in sorted(set(expected) - set(files)):
        problems.append(f"missing file: {rel}")
    for rel in sorted(set(files) - set(expected)):
        problems.append(f"unexpected file: {rel}")
    for rel in sorted(set(files) & set(expected)):
        if files[rel] != expected[rel]:
            diff = difflib.unified_diff(
                expected[rel].splitlines(), files[rel].splitlines(), f"golden/{case}/{rel}", f"built/{rel}", lineterm=""
            )
            problems.append("\n".join(diff))
    assert not problems, (
        f"package differs from golden/{case} (if intended: REFLEKT_REGEN_GOLDEN=1 pytest tests/builders)\n"
        + "\n".join(problems)
    )
