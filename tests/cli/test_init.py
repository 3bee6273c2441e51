"""`reflekt init`: --no-input flags, interactive prompts over stdin (subprocess), safety rules."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflekt.errors import ExitCode
from reflekt.profiles import load_profiles
from reflekt.project import load_project


def _init(cli, *args):
    return cli("init", "--no-input", *args)


def test_no_input_creates_the_layout_and_valid_config(cli, tmp_path: Path) -> None:
    root = tmp_path / "my-shop"
    result = _init(
        cli, "--dir", root, "--vendor", "com.acme", "--profile-name", "dev",
        "--profiles-dir", root / "reflekt_profiles.yml", "--source", "duckdb", "--duckdb-path", "data/x.duckdb",
    )
    assert result.code == ExitCode.OK, result.output
    assert "Created Reflekt project 'my_shop'" in result.stdout
    for rel in (".logs", ".reflekt_cache", "artifacts", "schemas/.reflekt/meta/1-0.json", ".gitignore", "README.md"):
        assert (root / rel).exists(), rel
    config = load_project(root).config
    assert (config.name, config.vendor, config.default_profile, config.profiles_path) == (
        "my_shop", "com.acme", "dev", "reflekt_profiles.yml"
    )
    text = (root / "reflekt_project.yml").read_text()
    assert "# title | snake | camel | pascal | any" in text and "union_versions: false" in text
    source = load_profiles(root / "reflekt_profiles.yml").get("dev").source("duckdb")
    assert source.path == str(root / "data" / "x.duckdb")
    assert oct((root / "README.md").stat().st_mode & 0o777) != "0o600"


def test_default_profiles_file_is_in_home_and_parent_folders_are_created(cli, tmp_path: Path) -> None:
    result = _init(cli, "--dir", tmp_path / "p")
    assert result.code == ExitCode.OK, result.output
    home_file = Path(os.environ["HOME"]) / ".reflekt" / "reflekt_profiles.yml"
    assert load_profiles(home_file).get("dev").profile.source == []
    assert "profiles_path: ~/.reflekt/reflekt_profiles.yml" in (tmp_path / "p" / "reflekt_project.yml").read_text()


def test_secrets_default_to_env_var_references_with_a_note(cli, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "p"
    result = _init(cli, "--dir", root, "--profiles-dir", root, "--registry", "segment")
    assert result.code == ExitCode.OK, result.output
    assert "{{ env_var('SEGMENT_API_TOKEN') }}" in (root / "reflekt_profiles.yml").read_text()
    assert "SEGMENT_API_TOKEN" in result.stderr
    monkeypatch.setenv("SEGMENT_API_TOKEN", "tok-from-env")
    entry = load_profiles(root / "reflekt_profiles.yml").get("dev").registry("segment")
    assert entry.api_token.get_secret_value() == "tok-from-env"


def test_plain_secret_flag_is_written_but_env_var_is_suggested(cli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    result = _init(
        cli, "--dir", root, "--profiles-dir", root, "--source", "postgres", "--database", "raw",
        "--user", "reflekt", "--password", "pw-plain-1234",
    )
    assert result.code == ExitCode.OK, result.output
    assert "consider {{ env_var('NAME') }}" in result.stderr
    assert "pw-plain-1234" not in result.output
    source = load_profiles(root / "reflekt_profiles.yml").get("dev").source("postgres")
    assert (source.host, source.port, source.password.get_secret_value()) == ("localhost", 5432, "pw-plain-1234")


def test_missing_required_answer_names_the_flag(cli, tmp_path: Path) -> None:
    result = _init(cli, "--dir", tmp_path / "p", "--source", "postgres", "--user", "u")
    assert result.code == ExitCode.USAGE
    assert "error: missing --database" in result.stderr and "hint: pass --database VALUE" in result.stderr
    assert not (tmp_path / "p" / "reflekt_project.yml").exists()


def test_unknown_choice_suggests_the_closest(cli, tmp_path: Path) -> None:
    result = _init(cli, "--dir", tmp_path / "p", "--source", "duckbd")
    assert result.code == ExitCode.USAGE
    assert "invalid --source 'duckbd'" in result.stderr and "did you mean 'duckdb'?" in result.stderr


def test_invalid_project_name_is_refused(cli, tmp_path: Path) -> None:
    result = _init(cli, "--dir", tmp_path / "p", "--name", "1-shop")
    assert result.code == ExitCode.USAGE and "invalid project name '1-shop'" in result.stderr


def test_existing_project_is_never_overwritten_without_force(cli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _init(cli, "--dir", root, "--profiles-dir", root).code == ExitCode.OK
    (root / "reflekt_project.yml").write_text("name: mine\nvendor: me\n")
    (root / "README.md").write_text("my notes\n")
    again = _init(cli, "--dir", root, "--profiles-dir", root)
    assert again.code == ExitCode.USAGE
    assert "a Reflekt project already exists in" in again.stderr and "--force" in again.stderr
    assert (root / "reflekt_project.yml").read_text() == "name: mine\nvendor: me\n"
    forced = _init(cli, "--dir", root, "--profiles-dir", root, "--force", "--name", "shop")
    assert forced.code == ExitCode.OK, forced.output
    assert load_project(root).config.name == "shop"
    assert (root / "README.md").read_text() == "my notes\n"  # user files are kept even with --force


EXISTING_PROFILES = """\
# my team's profiles -- keep this comment
version: 1.0

prod:   # production, do not touch
  source:
    - id: wh
      type: duckdb
      path: prod.duckdb   # the real one
"""


def test_profile_is_appended_keeping_other_profiles_text(cli, tmp_path: Path) -> None:
    profiles = tmp_path / "conf" / "reflekt_profiles.yml"
    profiles.parent.mkdir()
    profiles.write_text(EXISTING_PROFILES)
    result = _init(cli, "--dir", tmp_path / "p", "--profiles-dir", profiles, "--profile-name", "dev")
    assert result.code == ExitCode.OK, result.output
    text = profiles.read_text()
    assert text.startswith(EXISTING_PROFILES)
    assert set(load_profiles(profiles).profiles) == {"prod", "dev"}
    assert "profile 'dev' added" in result.stdout.lower()


def test_existing_profile_name_is_refused_unless_force(cli, tmp_path: Path) -> None:
    profiles = tmp_path / "reflekt_profiles.yml"
    profiles.write_text(EXISTING_PROFILES + "\ndev:\n  source: []\n")
    result = _init(cli, "--dir", tmp_path / "p", "--profiles-dir", profiles, "--profile-name", "prod")
    assert result.code == ExitCode.USAGE
    assert f"{profiles}:4:1: profile 'prod' already exists" in result.stderr
    assert not (tmp_path / "p" / "reflekt_project.yml").exists()  # nothing written on refusal
    forced = _init(
        cli, "--dir", tmp_path / "p", "--profiles-dir", profiles, "--profile-name", "prod", "--force",
        "--source", "duckdb", "--duckdb-path", "new.duckdb",
    )
    assert forced.code == ExitCode.OK, forced.output
    text = profiles.read_text()
    assert text.startswith("# my team's profiles -- keep this comment\nversion: 1.0\n")
    assert "dev:\n  source: []\n" in text and "the real one" not in text
    assert load_profiles(profiles).get("prod").source("duckdb").path.endswith("new.duckdb")


def test_meta_schema_is_valid_and_metadata_can_be_required(cli, tmp_path: Path) -> None:
    import jsonschema

    root = tmp_path / "p"
    assert _init(cli, "--dir", root, "--profiles-dir", root).code == ExitCode.OK
    meta = json.loads((root / "schemas/.reflekt/meta/1-0.json").read_text())
    jsonschema.Draft7Validator.check_schema(meta)
    event = {
        "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {},
        "self": {"vendor": "com.acme", "name": "Order Completed", "format": "jsonschema", "version": "1-0"},
    }
    assert list(jsonschema.Draft7Validator(meta).iter_errors(event)) == []
    broken = {**event, "self": {"name": "Order Completed", "format": "jsonschema", "version": "1-0"}}
    assert any("'vendor' is a required property" in e.message for e in jsonschema.Draft7Validator(meta).iter_errors(broken))
    # the documented way ($comment) to require code_owner
    self_schema = meta["allOf"][1]["properties"]["self"]
    self_schema["required"].append("metadata")
    self_schema["properties"]["metadata"]["required"] = ["code_owner"]
    errors = [e.message for e in jsonschema.Draft7Validator(meta).iter_errors(event)]
    assert "'metadata' is a required property" in errors
    owned = {**event, "self": {**event["self"], "metadata": {"code_owner": "web-team"}}}
    assert list(jsonschema.Draft7Validator(meta).iter_errors(owned)) == []


def _run_interactive(args: list[str], answers: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "reflekt", "init", *args], input=answers, capture_output=True, text=True,
        env=env, timeout=60, check=False,
    )


def test_interactive_prompts_read_answers_from_stdin(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    answers = (
        "shop_events\ncom.acme\nprofiles/reflekt_profiles.yml\ndev\n"  # project, vendor, profiles file, profile
        "avo\nws-1\nreflekt-bot\navo-secret-9876\n"  # registry + its credentials
        "postgres\npg\n127.0.0.1\n5433\nraw\nreflekt\npg-secret-5432\n"  # source + its fields
    )
    result = _run_interactive(["--dir", str(root)], answers, tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Project name [shop]:" in result.stdout and "Avo service account secret:" in result.stdout
    for secret in ("avo-secret-9876", "pg-secret-5432"):
        assert secret not in result.stdout + result.stderr  # hidden input is never echoed
    profile = load_profiles(root / "profiles" / "reflekt_profiles.yml").get("dev").profile
    assert profile.registry[0].service_account_secret.get_secret_value() == "avo-secret-9876"
    source = profile.source[0]
    assert (source.id, source.host, source.port, source.database) == ("pg", "127.0.0.1", 5433, "raw")
    assert load_project(root).config.name == "shop_events"


def test_interactive_defaults_and_reprompt_on_a_bad_choice(tmp_path: Path) -> None:
    root = tmp_path / "p"
    answers = "\n\n\nnope\nnone\nduckdb\n\nevents.duckdb\n"  # name, vendor, profile: defaults
    result = _run_interactive(["--dir", str(root), "--profiles-dir", str(root)], answers, tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Please choose one of: none, segment, avo, iglu" in result.stdout
    assert load_profiles(root / "reflekt_profiles.yml").get("dev").source("duckdb").path == str(root / "events.duckdb")


def test_input_ending_early_is_a_usage_error(tmp_path: Path) -> None:
    result = _run_interactive(["--dir", str(tmp_path / "p")], "shop\n", tmp_path / "home")
    assert result.returncode == ExitCode.USAGE
    assert "input ended while a prompt was waiting" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p" / "reflekt_project.yml").exists()


def test_existing_project_is_refused_before_any_prompt(cli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _init(cli, "--dir", root, "--profiles-dir", root).code == ExitCode.OK
    result = _run_interactive(["--dir", str(root)], "", tmp_path / "home")
    assert result.returncode == ExitCode.USAGE and "already exists" in result.stderr
    assert "Project name" not in result.stdout


@pytest.mark.parametrize("flag", ["--segment-api-token", "--password", "--avo-service-account-secret"])
def test_secret_flags_suggest_env_var_in_help(cli, flag: str) -> None:
    result = cli("init", "--help")
    assert result.code == 0 and flag in result.stdout and "env_var" in result.stdout


def test_global_profile_option_names_the_profile_and_the_run_is_logged(cli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    result = cli("init", "--no-input", "--dir", root, "--profiles-dir", root, "--profile", "ci",
                 "--registry", "segment", "--segment-api-token", "tok-plain-never-logged")
    assert result.code == ExitCode.OK, result.output
    assert load_project(root).config.default_profile == "ci"
    assert set(load_profiles(root / "reflekt_profiles.yml").profiles) == {"ci"}
    log_files = list((root / ".logs").glob("reflekt-*-init.log"))
    assert len(log_files) == 1 and "profile ci created" in log_files[0].read_text()
    assert "tok-plain-never-logged" not in log_files[0].read_text() + result.output


# -- a real terminal (pty): secrets typed at prompts are not echoed ------------------------------

TTY_SECRET = "tty-secret-31337"


def _read_until(fd: int, needle: str, seen: list[str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while needle not in "".join(seen):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"prompt {needle!r} never came; output so far:\n{''.join(seen)}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child exited and closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"init exited before {needle!r}; output:\n{''.join(seen)}")
            seen.append(chunk.decode(errors="replace"))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_secret_prompt_is_hidden_on_a_terminal(tmp_path: Path) -> None:
    root = tmp_path / "p"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("CI", None)
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child: the terminal is its stdin, stdout and controlling tty
        os.execve(sys.executable, [sys.executable, "-m", "reflekt", "init", "--dir", str(root),
                                   "--profiles-dir", str(root)], env)
    seen: list[str] = []
    # click prints "Segment API token:" and only then getpass turns echo off and prints " ":
    # wait for that space, or a fast test would type before echo is off
    script = [
        ("Project name", ""), ("Default vendor", ""), ("Profile name", ""),
        ("Schema registry", "segment"), ("Segment API token: ", TTY_SECRET), ("Segment region", ""),
        ("Warehouse source", "none"), ("Next:", None),
    ]
    try:
        for prompt, answer in script:
            _read_until(fd, prompt, seen)
            if answer is not None:
                os.write(fd, answer.encode() + b"\r")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    output = "".join(seen)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert TTY_SECRET not in output
    token = load_profiles(root / "reflekt_profiles.yml").get("dev").registry("segment").api_token
    assert token.get_secret_value() == TTY_SECRET
