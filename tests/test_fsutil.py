from pathlib import Path

import pytest

from reflekt.fsutil import atomic_replace_dir, atomic_write_text


def test_atomic_write_creates_parents_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    atomic_write_text(target, "hello")
    assert target.read_text() == "hello"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]


def test_failed_write_keeps_the_old_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "b.txt"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("reflekt.fsutil.os.replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["b.txt"]


def test_replace_dir_swaps_whole_folders(tmp_path: Path) -> None:
    target, staging = tmp_path / "pkg", tmp_path / "staging"
    (target / "old").mkdir(parents=True)
    (staging / "new").mkdir(parents=True)
    atomic_replace_dir(staging, target)
    assert [p.name for p in target.iterdir()] == ["new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
