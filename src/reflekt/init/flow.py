"""The `reflekt init` conversation: answers from flags, prompts, or (with --demo) fixed values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reflekt import console
from reflekt.errors import UsageError
from reflekt.fsutil import expand_home
from reflekt.init import questions as q
from reflekt.init.scaffold import DEFAULT_PROFILES_PATH, InitPlan, InitResult, create_project, default_name


def build_plan(root: Path, given: dict[str, Any], *, interactive: bool, force: bool) -> tuple[InitPlan, list[str]]:
    """Turn flags (+ prompts when interactive) into a plan; notes are advice printed at the end."""
    notes: list[str] = []
    ask = q.prompt_question if interactive else None

    def value(key: str, prompt: str, default: str) -> str:
        if given.get(key) is not None:
            return str(given[key])
        if interactive:
            import typer

            return str(typer.prompt(prompt, default=default)).strip()
        return default

    name = value("name", "Project name", default_name(root))
    vendor = value("vendor", "Default vendor for schemas (e.g. com.company)", "com.example")
    profiles_path = value("profiles_path", "Path to reflekt_profiles.yml", DEFAULT_PROFILES_PATH)
    profile_name = value("profile_name", "Profile name", "dev")

    registry_type = given.get("registry")
    if registry_type is None:
        registry_type = q.choose("Schema registry", q.REGISTRY_CHOICES, "none") if interactive else "none"
    registry: list[dict[str, Any]] = []
    if registry_type != "none":
        _check_choice("--registry", registry_type, q.REGISTRY_CHOICES)
        entry = {"type": registry_type}
        entry.update(q.answer_fields(q.REGISTRY_QUESTIONS[registry_type], given, ask=ask, notes=notes))
        registry.append(entry)

    source_type = given.get("source")
    if source_type is None:
        source_type = q.choose("Warehouse source", q.SOURCE_CHOICES, "none") if interactive else "none"
    source: list[dict[str, Any]] = []
    if source_type != "none":
        _check_choice("--source", source_type, q.SOURCE_CHOICES)
        default_id = source_type
        source_id = given.get("source_id") or (
            q.prompt_question(q.Question("id", "--source-id", "Source id (used in --source)", default=default_id))
            if interactive
            else default_id
        )
        entry = {"id": source_id, "type": source_type}
        entry.update(q.answer_fields(q.SOURCE_QUESTIONS[source_type], given, ask=ask, notes=notes))
        source.append(entry)

    plan = InitPlan(root, name, vendor, profile_name, profiles_path, registry, source, force)
    return plan, notes


def _check_choice(option: str, value: str, choices: list[str]) -> None:
    if value not in choices:
        import difflib

        close = difflib.get_close_matches(value, choices, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UsageError(f"invalid {option} {value!r}", hint=f"{hint}expected one of: {', '.join(choices)}")


def demo_plan(root: Path, given: dict[str, Any], force: bool) -> InitPlan:
    from reflekt import demo

    profiles_path = given.get("profiles_path") or "reflekt_profiles.yml"  # next to the project: self-contained
    source = demo.demo_profile()["source"]
    if expand_home(profiles_path, what="--profiles-path").is_absolute():
        # relative source paths resolve from the project only for a profiles file inside it
        source = [{**entry, "path": str(root / entry["path"])} for entry in source]
    return InitPlan(
        root,
        given.get("name") or demo.DEMO_NAME,
        given.get("vendor") or demo.DEMO_VENDOR,
        given.get("profile_name") or demo.DEMO_PROFILE,
        profiles_path,
        registry=[],
        source=source,
        force=force,
    )


def run_init(root: Path, given: dict[str, Any], *, interactive: bool, force: bool, demo: bool) -> InitResult:
    from reflekt.init.scaffold import check_target

    check_target(root, force)  # before any prompt: nobody wants to answer ten questions for nothing
    if demo:
        plan = demo_plan(root, given, force)
        notes: list[str] = []
    else:
        plan, notes = build_plan(root, given, interactive=interactive, force=force)
    result = create_project(plan)
    from reflekt import logs

    logs.start_run_log(root / ".logs", "init")  # only names and paths are logged, never answers
    logs.logger.info(
        "created project %s in %s; profile %s %s in %s",
        plan.name, root, plan.profile_name, result.profiles_action, result.profiles_file,
    )
    if demo:
        from reflekt.demo import populate

        (written, kept), counts = populate(root, plan.vendor)
        kept_note = f", kept {kept} existing" if kept else ""
        console.out(
            f"Wrote {written} demo schema(s){kept_note} and data/demo.duckdb "
            f"({sum(counts.values())} rows in {len(counts)} tables)"
        )
    _report(result, plan, notes, demo)
    return result


def _report(result: InitResult, plan: InitPlan, notes: list[str], demo: bool) -> None:
    from reflekt.errors import display_path

    console.success(f"Created Reflekt project '{plan.name}' in {display_path(result.root)}")
    console.out(f"Profile '{plan.profile_name}' {result.profiles_action} in {display_path(result.profiles_file)}")
    for note in notes:
        console.warning(note)
    project_arg = f" --project-dir {display_path(result.root)}" if result.root.resolve() != Path.cwd().resolve() else ""
    console.out("Next:")
    console.out(f"  reflekt{project_arg} debug")
    if demo:
        console.out(f"  reflekt{project_arg} lint")
        console.out(
            f"  reflekt{project_arg} build dbt --select segment/ecommerce --source demo.demo.ecommerce --sdk segment"
        )
