"""One log file per run under .logs (last 20 kept); secrets never reach logs or output."""

from __future__ import annotations

from pathlib import Path

from reflekt import logs
from reflekt.errors import ExitCode
from reflekt.init.templates import meta_schema_text

PASSWORD = "pw-Zq81-never-print-me"
TOKEN = "sgp_tok-4711-never-print-me"


def _project(root: Path, profiles: str) -> Path:
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True)
    (root / "schemas" / ".reflekt" / "meta" / "1-0.json").write_text(meta_schema_text())
    (root / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\ndefault_profile: dev\n")
    (root / "reflekt_profiles.yml").write_text(profiles)
    return root


def test_each_run_writes_a_log_and_only_the_last_20_are_kept(cli, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "dev: {}\n")
    logs_dir = root / ".logs"
    logs_dir.mkdir()
    for i in range(25):
        (logs_dir / f"reflekt-20000101-0000{i:02d}-000000-debug.log").write_text("old\n")
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.OK, result.output
    kept = sorted(p.name for p in logs_dir.glob("reflekt-*.log"))
    assert len(kept) == 20
    newest = kept[-1]
    assert newest.endswith("-debug.log") and not newest.startswith("reflekt-20000101")
    assert "check project file: ok" in (logs_dir / newest).read_text()


def test_secrets_never_appear_in_output_or_log_on_connection_failure(cli, tmp_path: Path) -> None:
    profiles = (
        "dev:\n"
        "  registry:\n"
        f"    - {{type: segment, api_token: {TOKEN}, url: 'http://127.0.0.1:9/'}}\n"
        "  source:\n"
        "    - type: postgres\n"
        "      host: 127.0.0.1\n"
        "      port: 9\n"  # discard port: nothing listens, the connection is refused at once
        "      database: raw\n"
        "      user: reflekt\n"
        f"      password: {PASSWORD}\n"
    )
    root = _project(tmp_path / "p", profiles)
    result = cli("--project-dir", root, "--debug", "debug")
    assert result.code == ExitCode.USAGE
    assert "source postgres (postgres)  FAIL" in result.stdout
    assert "registry segment" in result.stdout
    log_text = "".join(p.read_text() for p in (root / ".logs").glob("*.log"))
    assert "FAIL" in log_text
    for secret in (PASSWORD, TOKEN):
        assert secret not in result.output
        assert secret not in log_text


def test_mask_hides_registered_secrets_and_key_value_credentials() -> None:
    logs.register_secret("hunter2-long-secret")
    logs.register_secret("abc")  # too short to mask safely; would garble ordinary words
    text = logs.mask("conn failed for hunter2-long-secret password=xyz token=t0k abc")
    assert text == "conn failed for **** password=**** token=**** abc"
