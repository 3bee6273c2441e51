"""Adding a profile appends text; replacing one swaps only its block."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflekt.errors import ConfigError
from reflekt.init.profiles_file import profile_block, write_profile
from reflekt.profiles import load_profiles

TEXT = """\
version: 1.0
# staging warehouse
staging:
  source: []   # empty on purpose

# prod comes last
prod:
  source: []
"""


def test_new_file_gets_a_header_and_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "reflekt_profiles.yml"
    assert write_profile(path, "dev", {"registry": [], "source": []}) == "created"
    assert path.read_text().startswith("# reflekt_profiles.yml")
    assert set(load_profiles(path).profiles) == {"dev"}


def test_replacing_a_middle_profile_keeps_the_rest_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "reflekt_profiles.yml"
    path.write_text(TEXT)
    with pytest.raises(ConfigError, match="profile 'staging' already exists"):
        write_profile(path, "staging", {"source": []})
    new = {"source": [{"id": "wh", "type": "duckdb", "path": "x.duckdb"}]}
    assert write_profile(path, "staging", new, force=True) == "replaced"
    text = path.read_text()
    assert text.startswith("version: 1.0\n# staging warehouse\nstaging:\n  source:\n  - id: wh\n")
    assert text.endswith("\n# prod comes last\nprod:\n  source: []\n")
    assert "empty on purpose" not in text


def test_appending_to_a_file_without_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "reflekt_profiles.yml"
    path.write_text("prod:\n  source: []")
    assert write_profile(path, "dev", {"source": []}) == "added"
    assert path.read_text() == "prod:\n  source: []\n\ndev:\n  source: []\n"


def test_env_var_references_are_double_quoted() -> None:
    block = profile_block("dev", {"registry": [{"type": "segment", "api_token": "{{ env_var('TOKEN') }}"}]})
    assert "api_token: \"{{ env_var('TOKEN') }}\"" in block
