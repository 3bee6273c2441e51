"""A fake Avo public API: the export endpoint serves the real export payload from
../shared/apis/avo/examples; the import endpoint applies JSON events to that state."""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

EXPORT_FILE = "apis/avo/examples/export-v1.jsonSchema.response.json"
IMPORT_METHODS = {"addOnly", "addAndUpdate", "addUpdateAndRemove"}


class FakeAvo:
    def __init__(
        self, shared_dir: Path, workspace: str = "ws123", name: str = "reflekt-ci", secret: str = "s3cret"
    ) -> None:
        self.workspace = workspace
        self.auth = "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()
        real = json.loads((shared_dir / EXPORT_FILE).read_text(encoding="utf-8"))
        self.branches: dict[str, dict[str, Any]] = {"main": real}
        self.imports: list[dict[str, Any]] = []
        self.server = FakeServer(self.handle)

    def handle(self, request: Request) -> Reply:
        if request.header("authorization") != self.auth:
            return Reply(401, b'{"message": "Unauthorized"}')
        match = re.fullmatch(r"/workspaces/([^/]+)/branches/([^/]+)/(export|import)/v1", request.path)
        if not match or match.group(1) != self.workspace:
            return Reply(404, b'{"message": "Not found"}')
        branch = self.branches.get(match.group(2))
        if branch is None:
            return Reply(404, b'{"message": "Branch not found"}')
        query = dict(request.query)
        if match.group(3) == "export":
            if request.method != "GET":
                return Reply(405, b'{"message": "Method not allowed"}')
            if query.get("payloadFormat", "jsonSchema") != "jsonSchema":
                return Reply(400, b'{"message": "only jsonSchema is faked"}')
            return Reply(200, json.dumps(branch).encode())
        if request.method != "POST":
            return Reply(405, b'{"message": "Method not allowed"}')
        method = query.get("importMethod", "addOnly")
        if method not in IMPORT_METHODS:
            return Reply(400, json.dumps({"message": f"Invalid importMethod {method}"}).encode())
        if (request.header("content-type") or "").split(";")[0] != "application/json":
            return Reply(415, b'{"message": "Unsupported content type"}')
        body = json.loads(request.body)
        self.imports.append({"importMethod": method, **body})
        new = updated = 0
        by_name = {e["name"]: e for e in branch["events"]}
        for event in body["events"]:
            current = by_name.get(event["name"])
            if current is None:
                branch["events"].append(copy.deepcopy(event))
                new += 1
            elif method != "addOnly":
                current.update(copy.deepcopy(event))
                updated += 1
        result = {"newEvents": new, "updatedEvents": updated, "newProperties": 0, "updatedProperties": 0}
        return Reply(200, json.dumps({"message": "Import completed", "result": result}).encode())

    def __enter__(self) -> FakeAvo:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    @property
    def url(self) -> str:
        return self.server.url


def avo_profiles(url: str, secret: str = "s3cret") -> str:
    return (
        "dev:\n  registry:\n    - type: avo\n      workspace_id: ws123\n      service_account_name: reflekt-ci\n"
        f"      service_account_secret: {secret}\n      url: {url}\n"
    )
