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


def test_written_files_get_the_umask_default_or_keep_their_mode(tmp_path: Path) -> None:
    import os

    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.txt"
        atomic_write_text(fresh, "x")
        assert fresh.stat().st_mode & 0o777 == 0o644
        private = tmp_path / "private.yml"
        private.write_text("old")
        private.chmod(0o600)
        atomic_write_text(private, "new")
        assert private.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)
