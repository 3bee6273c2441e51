"""Create or extend reflekt_profiles.yml without touching the text of other profiles.

Re-dumping the whole YAML would drop the user's comments and formatting, so a new profile is
appended as a text block; with --force an existing profile's block is replaced in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reflekt.errors import ConfigError
from reflekt.fsutil import atomic_write_text
from reflekt.yamlfile import parse_yaml, read_text_file

HEADER = "# reflekt_profiles.yml: registry credentials and warehouse sources, one block per profile.\n"
HEADER += "# Any value may be {{ env_var('NAME') }} or {{ env_var('NAME', 'default') }}.\nversion: 1.0\n"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # "{{ env_var('X') }}" reads better double-quoted than YAML's default '{{ env_var(''X'') }}'
    style = '"' if "{{" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def profile_block(name: str, profile: dict[str, Any]) -> str:
    """One top-level `name:` block, in the key order given."""
    return yaml.dump({name: profile}, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1000)


def check_can_write(path: Path, name: str, *, force: bool = False) -> None:
    """Fail before anything is written when the profile exists (and no --force) or the file is broken."""
    if path.exists():
        _load_existing(path, name, force)


def _load_existing(path: Path, name: str, force: bool) -> tuple[str, Any]:
    text = read_text_file(path, what="reflekt_profiles.yml")
    doc = parse_yaml(text, path, what="reflekt_profiles.yml")
    if doc.data is not None and not isinstance(doc.data, dict):
        raise ConfigError(
            "reflekt_profiles.yml must be a mapping of profile names to profiles",
            hint="fix the file before adding a profile to it",
            path=path,
            line=1,
        )
    existing = doc.data or {}
    _reject_non_profiles(doc)
    if name in existing:
        line, col = doc.position((name,)) or (None, None)
        if not force:
            raise ConfigError(
                f"profile '{name}' already exists",
                hint="choose another profile name, or pass --force to replace this profile",
                path=path,
                line=line,
                col=col,
            )
    return text, doc


PROFILE_KEYS = {"registry", "source"}


def _reject_non_profiles(doc: Any) -> None:
    """A profiles path that names some other YAML file (docker-compose.yml, the project file)
    must not get a profile appended: that would silently change a file the user wrote."""
    for key, value in (doc.data or {}).items():
        if key == "version":
            continue
        if value is None or (isinstance(value, dict) and set(value) <= PROFILE_KEYS):
            continue
        line, col = doc.position((key,)) or (None, None)
        raise ConfigError(
            f"this is not a reflekt_profiles.yml: top-level key '{key}' is not a profile "
            "(a profile holds only `registry:` and `source:`)",
            hint="pass the path of a reflekt_profiles.yml (or a new file) with --profiles-path",
            path=doc.path,
            line=line,
            col=col,
        )


def write_profile(path: Path, name: str, profile: dict[str, Any], *, force: bool = False) -> str:
    """Add (or with force, replace) one profile; returns 'created', 'added' or 'replaced'."""
    block = profile_block(name, profile)
    if not path.exists():
        atomic_write_text(path, HEADER + "\n" + block, mode=0o600)  # it may hold secrets
        return "created"
    text, doc = _load_existing(path, name, force)
    if name in (doc.data or {}):
        new_text, action = _replace_block(text, doc, name, block), "replaced"
    else:
        separator = "" if text.endswith("\n\n") or not text else ("\n" if text.endswith("\n") else "\n\n")
        new_text, action = text + separator + block, "added"
    _check_other_profiles_kept(path, doc, new_text, name)
    atomic_write_text(path, new_text)
    return action


def _check_other_profiles_kept(path: Path, doc: Any, new_text: str, name: str) -> None:
    """The text edit assumes block-style YAML; a flow mapping or aliases could lose other profiles."""
    try:
        after = parse_yaml(new_text, path, what=path.name).data
    except ConfigError:
        after = None
    before = {k: v for k, v in (doc.data or {}).items() if k != name}
    if not isinstance(after, dict) or {k: v for k, v in after.items() if k != name} != before or name not in after:
        raise ConfigError(
            f"cannot add profile '{name}' to this file without changing its other profiles "
            "(it uses flow style `{...}` or YAML aliases)",
            hint="add the profile by hand, or pass a new --profiles-path",
            path=path,
        )


def _replace_block(text: str, doc: Any, name: str, block: str) -> str:
    """Swap the lines of top-level key `name` (up to the next top-level key) for `block`."""
    lines = text.splitlines(keepends=True)
    starts = sorted(pos[0] for key, pos in doc.positions.items() if len(key) == 1)
    start = doc.positions[(name,)][0]
    following = [s for s in starts if s > start]
    end = following[0] - 1 if following else len(lines)
    # keep comments/blank lines that sit just above the next profile with that profile
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    new_lines = lines[: start - 1] + [block] + lines[end:]
    return "".join(new_lines)
