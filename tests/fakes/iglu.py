"""A fake Iglu Server (REST API of snowplow/iglu-server as documented in ../shared/apis/iglu):
health, list, read, and PUT with the apikey header, version-order (409) and validation (400)
errors. Error bodies are the documented examples."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request, ServedFake

SELF_DESC_PREFIX = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0"
_KEY = re.compile(r"^/api/schemas/([^/]+)/([^/]+)/([^/]+)/([1-9][0-9]*-[0-9]+-[0-9]+)$")


class FakeIgluServer(ServedFake):
    def __init__(self, shared_dir: Path, api_key: str = "6175aa41-d3b7-4e4f-9fb4-3a170f3c6c16") -> None:
        self.examples = shared_dir / "apis/iglu/examples"
        self.api_key = api_key
        self.schemas: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.server = FakeServer(self.handle)

    def _example(self, name: str, status: int) -> Reply:
        return Reply(status, (self.examples / name).read_bytes())

    def add(self, schema: dict[str, Any]) -> None:
        s = schema["self"]
        self.schemas[(s["vendor"], s["name"], s["format"], s["version"])] = schema

    def handle(self, request: Request) -> Reply:
        if request.path == "/api/meta/health" and request.method == "GET":
            return Reply(200, b"OK", {"Content-Type": "text/plain"})
        if request.path == "/api/schemas" and request.method == "GET":
            uris = sorted("iglu:" + "/".join(k) for k in self.schemas)
            return Reply(200, json.dumps(uris).encode())
        match = _KEY.match(request.path)
        if not match:
            return self._example("schema-not-found.404.response.json", 404)
        key = match.groups()
        if request.method == "GET":
            if key not in self.schemas:
                return self._example("schema-not-found.404.response.json", 404)
            return Reply(200, json.dumps(self.schemas[key]).encode())
        if request.method != "PUT":
            return Reply(405, b'{"message": "Method not allowed"}')
        if request.header("apikey") != self.api_key:
            return self._example("forbidden.403.response.json", 403)
        try:
            body = json.loads(request.body)
        except ValueError:
            return Reply(400, b'{"message": "The request body is invalid"}')
        block = body.get("self") if isinstance(body, dict) else None
        if not isinstance(block, dict) or not str(body.get("$schema", "")).startswith(SELF_DESC_PREFIX):
            return self._example("schema-validation-report.400.response.json", 400)
        if (block.get("vendor"), block.get("name"), block.get("format"), block.get("version")) != key:
            return Reply(
                400,
                json.dumps(
                    {
                        "uriSchemaKey": "iglu:" + "/".join(key),
                        "payloadSchemaKey": "iglu:"
                        + "/".join(str(block.get(k)) for k in ("vendor", "name", "format", "version")),
                        "message": "Mismatch: the schema metadata does not match the payload and URI",
                    }
                ).encode(),
            )
        existed = key in self.schemas
        if not existed and not self._previous_exists(key):
            return self._example("previous-missing.409.response.json", 409)
        self.schemas[key] = body
        uri = "iglu:" + "/".join(key)
        if existed:
            return Reply(
                200,
                json.dumps(
                    {"message": "Schema updated", "updated": True, "location": uri, "status": 200}
                ).encode(),
            )
        return Reply(
            201,
            json.dumps(
                {"message": "Schema created", "updated": False, "location": uri, "status": 201}
            ).encode(),
        )

    def _previous_exists(self, key: tuple[str, str, str, str]) -> bool:
        vendor, name, fmt, version = key
        model, revision, addition = (int(p) for p in version.split("-"))
        versions = {
            tuple(int(p) for p in k[3].split("-")) for k in self.schemas if k[:3] == (vendor, name, fmt)
        }
        if (model, revision, addition) == (1, 0, 0):
            return True
        if addition > 0:
            return (model, revision, addition - 1) in versions
        if revision > 0:
            return any(v[:2] == (model, revision - 1) for v in versions)
        return any(v[0] == model - 1 for v in versions)


def iglu_profiles(url: str, api_key: str | None = None) -> str:
    key = f"      api_key: {api_key}\n" if api_key else ""
    return f"dev:\n  registry:\n    - type: iglu\n      url: {url}\n{key}"
