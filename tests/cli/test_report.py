from pathlib import Path

import pytest

from reflekt.errors import ExitCode
from tests.helpers import event_schema

V1 = "segment/ecommerce/Order Completed/1-0.json"
V2 = "segment/ecommerce/Order Completed/2-0.json"
CART = "segment/ecommerce/Cart Viewed/1-0.json"


@pytest.fixture
def project(make_project) -> Path:
    v2 = event_schema(V2, properties={"order_id": {"type": "string", "description": "Order id."}}, required=["order_id"])
    return make_project(schemas={V1: event_schema(V1), V2: v2, CART: event_schema(CART), "web/Signed Up/1-0.json":
                                 event_schema("web/Signed Up/1-0.json")})


def test_markdown_to_stdout_by_default(cli, project: Path) -> None:
    result = cli("--project-dir", project, "report", "--select", "segment/ecommerce")
    assert result.code == ExitCode.OK, result.output
    assert result.stdout.startswith("# Tracking plan: test_project\n\n2 events, 3 schema versions.")
    assert "| `order_id` | string | yes | Order id. |  |" in result.stdout
    assert "breaking change since 1-0" in result.stdout
    assert "Signed Up" not in result.stdout


def test_html_file_from_the_output_suffix(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site" / "plan.html"
    result = cli("--project-dir", project, "report", "--output", out)
    assert result.code == ExitCode.OK, result.output
    assert f"Wrote html report of 3 events to {out}" in result.stdout
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'data-name="Signed Up"' in html


def test_rewrites_its_own_report_but_never_a_users_file(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "PLAN.md"
    assert cli("--project-dir", project, "report", "-o", out).code == ExitCode.OK
    assert cli("--project-dir", project, "report", "-o", out, "--select", "web").code == ExitCode.OK
    assert "Signed Up" in out.read_text() and "Cart Viewed" not in out.read_text()

    notes = tmp_path / "notes.md"
    notes.write_text("my notes\n")
    refused = cli("--project-dir", project, "report", "-o", notes)
    assert refused.code == ExitCode.USAGE
    assert "exists and was not written by reflekt report" in refused.stderr and "--force" in refused.stderr
    assert notes.read_text() == "my notes\n"
    forced = cli("--project-dir", project, "report", "-o", notes, "--force")
    assert forced.code == ExitCode.OK and "# Tracking plan" in notes.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "pdf"], "unknown --format 'pdf'"),
        (["--select", "nope"], "--select 'nope' matches no schema"),
    ],
)
def test_usage_errors_exit_2(cli, project: Path, args: list[str], message: str) -> None:
    result = cli("--project-dir", project, "report", *args)
    assert result.code == ExitCode.USAGE
    assert message in result.stderr and "Traceback" not in result.output


def test_output_folder_is_a_usage_error(cli, project: Path, tmp_path: Path) -> None:
    result = cli("--project-dir", project, "report", "--output", tmp_path, "--format", "html")
    assert result.code == ExitCode.USAGE and "is a folder" in result.stderr
