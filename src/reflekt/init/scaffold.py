"""Lay out a new project: folders, reflekt_project.yml, meta-schema, README, .gitignore, profile."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reflekt.errors import ConfigError, UsageError
from reflekt.fsutil import atomic_write_text, expand_home
from reflekt.init import templates
from reflekt.init.profiles_file import check_can_write, write_profile

PROJECT_FILE = "reflekt_project.yml"
DEFAULT_PROFILES_PATH = "~/.reflekt/reflekt_profiles.yml"
FOLDERS = (".logs", ".reflekt_cache", "artifacts", "schemas/.reflekt/meta")


@dataclass
class InitPlan:
    """Everything init needs, whether answered at prompts or by flags."""

    root: Path
    name: str
    vendor: str
    profile_name: str
    profiles_path: str  # as written in reflekt_project.yml (relative = from the project root)
    registry: list[dict[str, Any]] = field(default_factory=list)
    source: list[dict[str, Any]] = field(default_factory=list)
    force: bool = False

    def profiles_file(self) -> Path:
        path = expand_home(self.profiles_path, what="--profiles-path")
        return path if path.is_absolute() else self.root / path


@dataclass
class InitResult:
    root: Path
    profiles_file: Path
    profiles_action: str
    written: list[Path] = field(default_factory=list)


def default_name(root: Path) -> str:
    """A dbt-safe project name from the folder name ('my-reflekt-project' -> 'my_reflekt_project')."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", root.resolve().name).strip("_").lower() or "reflekt_project"
    return f"_{name}" if name[0].isdigit() else name


def check_target(root: Path, force: bool) -> None:
    """Never overwrite a project silently; fail before any prompt when --dir cannot be a folder."""
    project_file = root / PROJECT_FILE
    try:
        exists = project_file.exists()
        blocker = next((p for p in root.parents if p.exists()), None)
    except OSError as exc:
        raise UsageError(f"cannot use --dir {root}: {exc.strerror or exc}", hint="pick another --dir") from None
    if blocker is not None and not blocker.is_dir():
        raise UsageError(f"cannot create --dir {root}: {blocker} is a file, not a folder", hint="pick another --dir")
    if exists and not force:
        raise UsageError(
            f"a Reflekt project already exists in {root}",
            hint="pick another --dir, or pass --force to overwrite the files init writes "
            "(your schemas are kept)",
        )
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder", hint="pick another --dir")


def validate_plan(plan: InitPlan) -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", plan.name):
        raise UsageError(
            f"invalid project name {plan.name!r}",
            hint="use letters, digits and underscores, not starting with a digit (it names the dbt package)",
        )
    if not plan.vendor.strip():
        raise UsageError("the vendor must not be empty", hint="e.g. com.example")
    if any(not ch.isprintable() for ch in plan.vendor):
        raise UsageError(f"invalid vendor {plan.vendor!r}: it must be one line of printable text",
                         hint="e.g. com.example")
    if plan.profile_name == "version" or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", plan.profile_name):
        raise UsageError(
            f"invalid profile name {plan.profile_name!r}", hint="use letters, digits, '_', '-' and '.'"
        )
    _validate_profile(plan)


def _validate_profile(plan: InitPlan) -> None:
    """Check the answers with the loader's own model, so init never writes a profile debug rejects."""
    from pydantic import ValidationError

    from reflekt.profiles import Profile

    try:
        Profile.model_validate({"registry": plan.registry, "source": plan.source})
    except ValidationError as exc:
        for error in exc.errors():
            if "{{" in str(error.get("input")):  # an env_var() reference is checked when it is loaded
                continue
            where = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
            raise UsageError(
                f"invalid answer for {where}: {error.get('input')!r} ({error['msg'].removeprefix('Value error, ')})",
                hint="see `reflekt init --help` for the allowed values",
            ) from None


INIT_FILES = (PROJECT_FILE, "README.md", ".gitignore", "schemas/.reflekt/meta/1-0.json")


def create_project(plan: InitPlan) -> InitResult:
    validate_plan(plan)
    check_target(plan.root, plan.force)
    profiles = plan.profiles_file().resolve()
    if any(profiles == (plan.root / rel).resolve() for rel in INIT_FILES):
        raise UsageError(
            f"the profiles file cannot be {profiles.name}: init writes that file itself",
            hint="pass another --profiles-path, e.g. the project folder (reflekt_profiles.yml inside it)",
        )
    check_can_write(plan.profiles_file(), plan.profile_name, force=plan.force)
    root = plan.root
    created: list[Path] = []  # new folders and files, removed again if init fails or is interrupted
    try:
        return _create(plan, root, created)
    except BaseException:
        _remove_created(created)
        raise


def _remove_created(created: list[Path]) -> None:
    """Undo a half-done init: new files first, then the new folders (only if still empty)."""
    for path in reversed(created):
        try:
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # not empty (the user put something there) or already gone: leave it


def _create(plan: InitPlan, root: Path, created: list[Path]) -> InitResult:
    for folder in FOLDERS:
        new = [p for p in [root / folder, *(root / folder).parents] if not p.exists()]
        (root / folder).mkdir(parents=True, exist_ok=True)
        created.extend(reversed(new))
    written: list[Path] = []

    def write(rel: str, text: str, *, keep_existing: bool = False) -> None:
        path = root / rel
        if keep_existing and path.exists():
            return  # user files (README, .gitignore, meta-schema) are kept even with --force
        if not path.exists():
            created.append(path)
        atomic_write_text(path, text)  # new files get the umask mode; replaced ones keep theirs
        written.append(path)

    write(PROJECT_FILE, templates.project_yml(plan.name, plan.vendor, plan.profile_name, plan.profiles_path))
    write("schemas/.reflekt/meta/1-0.json", templates.meta_schema_text(), keep_existing=True)
    write("README.md", templates.readme(plan.name, plan.profiles_path), keep_existing=True)
    write(".gitignore", templates.GITIGNORE, keep_existing=True)
    for keep in ("artifacts/.gitkeep",):
        if not (root / keep).exists():
            write(keep, "")

    profile: dict[str, Any] = {"registry": plan.registry, "source": plan.source}
    profiles_file = plan.profiles_file()
    if not profiles_file.exists():
        created.extend(reversed([p for p in profiles_file.parents if not p.exists()]))
    try:
        action = write_profile(profiles_file, plan.profile_name, profile, force=plan.force)
    except OSError as exc:
        raise ConfigError(f"cannot write the profiles file: {exc.strerror}", path=profiles_file) from None
    return InitResult(root, profiles_file, action, written)
