"""A fake Segment Public API (tracking plans) that checks every request and response against
the published OpenAPI subset in ../shared/apis/segment. Anything off-spec is recorded in
`violations` (tests assert it stays empty) and answered with a 400, like a strict server."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from tests.fakes.server import FakeServer, Reply, Request, ServedFake

SPEC_FILE = "apis/segment/tracking-plans-subset.v36.2.0.openapi.json"
STAMP = "2026-01-02T15:04:05.000Z"
ZERO_TIME = "0001-01-01T00:00:00.000Z"


class SegmentSpec:
    def __init__(self, shared_dir: Path) -> None:
        self.doc = json.loads((shared_dir / SPEC_FILE).read_text(encoding="utf-8"))
        self.routes = []
        for template, ops in self.doc["paths"].items():
            pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
            for method, op in ops.items():
                if isinstance(op, dict) and "operationId" in op:
                    self.routes.append((re.compile(pattern), method.upper(), op))

    def route(self, method: str, path: str) -> tuple[dict[str, Any], dict[str, str]] | None:
        for pattern, route_method, op in self.routes:
            match = pattern.match(path)
            if match and route_method == method:
                return op, match.groupdict()
        return None

    def validate(self, schema: dict[str, Any], value: Any) -> list[str]:
        wrapped = {**schema, "components": self.doc["components"]}
        validator = jsonschema.Draft7Validator(wrapped)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in validator.iter_errors(value)
        ]

    def component(self, ref: str) -> dict[str, Any]:
        return self.doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def deep_object(query: list[tuple[str, str]], name: str) -> Any:
    """Decode `name.count=1` / `name[count]=1` / `name[0][key]=x` into dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in query:
        parts = re.findall(r"[^.\[\]]+", key)
        if not parts or parts[0] != name:
            continue
        node = root
        for part in parts[1:-1]:
            node = node.setdefault(part, {})
        if len(parts) == 1:
            root["__value__"] = value
        else:
            node[parts[-1]] = value
    if all(k.isdigit() for k in root) and root:
        return [root[k] for k in sorted(root, key=int)]
    return root or None


class FakeSegment(ServedFake):
    """State: tracking plans and their rules. `max_page` lets tests force many pages."""

    def __init__(self, shared_dir: Path, token: str = "sgp_test_token") -> None:
        self.spec = SegmentSpec(shared_dir)
        self.token = token
        self.plans: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, list[dict[str, Any]]] = {}
        self.violations: list[str] = []
        self.max_page = 200
        self.server = FakeServer(self.handle)
        self._next_id = 0

    # -- state helpers for tests ------------------------------------------------------------------

    def add_plan(self, name: str, rules: list[dict[str, Any]] | None = None) -> str:
        self._next_id += 1
        plan_id = f"tp_{self._next_id:04d}" + "".join(c for c in name if c.isalnum())[:8]
        self.plans[plan_id] = {
            "id": plan_id,
            "name": name,
            "slug": "",
            "description": "",
            "type": "LIVE",
            "updatedAt": STAMP,
            "createdAt": STAMP,
        }
        self.rules[plan_id] = [self._stored(r) for r in rules or []]
        return plan_id

    def plan_by_name(self, name: str) -> str | None:
        return next((i for i, p in self.plans.items() if p["name"] == name), None)

    @staticmethod
    def _stored(rule: dict[str, Any]) -> dict[str, Any]:
        stored = {k: v for k, v in rule.items() if k in ("type", "key", "version", "jsonSchema")}
        return {**stored, "createdAt": STAMP, "updatedAt": STAMP, "deprecatedAt": ZERO_TIME}

    # -- HTTP --------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        if request.header("authorization") != f"Bearer {self.token}":
            return self._error(401, "Unauthorized", "Unauthorized")
        found = self.spec.route(request.method, request.path)
        if found is None:
            return self._error(404, "NotFound", "Resource not found")
        op, params = found
        problems = self._check_request(op, request)
        if problems:
            self.violations += [f"{op['operationId']} request: {p}" for p in problems]
            return self._error(400, "BadRequest", "; ".join(problems))
        handler = getattr(self, "op_" + op["operationId"])
        body = json.loads(request.body) if request.body else None
        status, data = handler(request, params, body)
        if status != 200:
            return self._error(status, data[0], data[1])
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        envelope = {"data": data}
        problems = self.spec.validate(schema, envelope)
        if problems:
            self.violations += [f"{op['operationId']} response: {p}" for p in problems]
        return Reply(200, json.dumps(envelope).encode(), {"Content-Type": "application/vnd.segment.v1+json"})

    def _error(self, status: int, kind: str, message: str) -> Reply:
        envelope = {"errors": [{"type": kind, "message": message}]}
        problems = self.spec.validate(self.spec.component("RequestErrorEnvelope"), envelope)
        self.violations += [f"error response: {p}" for p in problems]
        return Reply(status, json.dumps(envelope).encode())

    def _check_request(self, op: dict[str, Any], request: Request) -> list[str]:
        problems = []
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            value = deep_object(request.query, param["name"])
            if value is None:
                if param.get("required"):
                    problems.append(f"missing required query parameter '{param['name']}'")
                continue
            if param["name"] == "pagination":
                try:
                    value = {**value, "count": int(value["count"])} if "count" in value else value
                except ValueError:
                    problems.append("pagination.count is not a number")
                    continue
                if not 1 <= value.get("count", 0) <= 200:
                    problems.append("pagination.count must be between 1 and 200")
            if param["name"] == "rules" and isinstance(value, list):
                value = [{**v, "version": int(v["version"])} if "version" in v else v for v in value]
            problems += self.spec.validate(param["schema"], value)
        body_spec = op.get("requestBody")
        if body_spec:
            content_type = (request.header("content-type") or "").split(";")[0].strip()
            if content_type not in body_spec["content"]:
                problems.append(f"content type {content_type!r} is not one of {sorted(body_spec['content'])}")
                return problems
            try:
                body = json.loads(request.body)
            except ValueError:
                return problems + ["request body is not JSON"]
            problems += self.spec.validate(body_spec["content"][content_type]["schema"], body)
        elif request.body:
            problems.append("unexpected request body")
        return problems

    def _page(self, request: Request, items: list[Any]) -> tuple[list[Any], dict[str, Any]]:
        pagination = deep_object(request.query, "pagination") or {}
        count = min(int(pagination.get("count", 10)), self.max_page)
        cursor = pagination.get("cursor")
        start = int(base64.b64decode(cursor).decode()) if cursor else 0
        page = items[start : start + count]
        meta: dict[str, Any] = {
            "current": base64.b64encode(str(start).encode()).decode(),
            "totalEntries": len(items),
        }
        if start + count < len(items):  # `next` is omitted on the last page, never null
            meta["next"] = base64.b64encode(str(start + count).encode()).decode()
        if start:
            meta["previous"] = base64.b64encode(str(max(0, start - count)).encode()).decode()
        return page, meta

    # -- operations --------------------------------------------------------------------------------

    def op_getWorkspace(self, request, params, body):
        return 200, {"workspace": {"id": "ws_1", "slug": "acme", "name": "Acme"}}

    def op_listTrackingPlans(self, request, params, body):
        page, meta = self._page(request, list(self.plans.values()))
        return 200, {"trackingPlans": page, "pagination": meta}

    def op_createTrackingPlan(self, request, params, body):
        plan_id = self.add_plan(body["name"])
        self.plans[plan_id]["type"] = body["type"]
        return 200, {"trackingPlan": self.plans[plan_id]}

    def op_getTrackingPlan(self, request, params, body):
        plan = self.plans.get(params["trackingPlanId"])
        return (200, {"trackingPlan": plan}) if plan else (404, ("NotFound", "Resource not found"))

    def op_listRulesFromTrackingPlan(self, request, params, body):
        if params["trackingPlanId"] not in self.plans:
            return 404, ("NotFound", "Resource not found")
        page, meta = self._page(request, self.rules[params["trackingPlanId"]])
        return 200, {"rules": page, "pagination": meta}

    def op_replaceRulesInTrackingPlan(self, request, params, body):
        if params["trackingPlanId"] not in self.plans:
            return 404, ("NotFound", "Resource not found")
        self.rules[params["trackingPlanId"]] = [self._stored(r) for r in body["rules"]]
        return 200, {"status": "SUCCESS"}

    def op_updateRulesInTrackingPlan(self, request, params, body):
        if params["trackingPlanId"] not in self.plans:
            return 404, ("NotFound", "Resource not found")
        rules = self.rules[params["trackingPlanId"]]
        for new in body["rules"]:
            ident = (new["type"], new.get("key"), new["version"])
            rules[:] = [r for r in rules if (r["type"], r.get("key"), r["version"]) != ident]
            rules.append(self._stored(new))
        return 200, {"status": "SUCCESS"}

    def op_removeRulesFromTrackingPlan(self, request, params, body):
        if params["trackingPlanId"] not in self.plans:
            return 404, ("NotFound", "Resource not found")
        gone = {
            (r["type"], r.get("key"), int(r["version"])) for r in deep_object(request.query, "rules") or []
        }
        self.rules[params["trackingPlanId"]] = [
            r
            for r in self.rules[params["trackingPlanId"]]
            if (r["type"], r.get("key"), r["version"]) not in gone
        ]
        return 200, {"status": "SUCCESS"}


def track_rule(
    key: str,
    version: int = 1,
    properties: dict | None = None,
    required: list | None = None,
    description: str = "",
    labels: dict | None = None,
    rule_type: str = "TRACK",
) -> dict[str, Any]:
    """A rule in the shape Segment's own UI stores (properties nested under properties.properties)."""
    section = "traits" if rule_type in ("IDENTIFY", "GROUP") else "properties"
    sections: dict[str, Any] = {"context": {}, "traits": {}, "properties": {}}
    sections[section] = {"type": "object", "properties": properties or {}, "required": required or []}
    rule: dict[str, Any] = {
        "type": rule_type,
        "version": version,
        "jsonSchema": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "description": description,
            "labels": labels or {},
            "properties": sections,
            "required": [section],
        },
    }
    if key:
        rule["key"] = key
    return rule
