"""Avo tracking plans: pull with the export API, push with the import API.

Local layout: schemas/avo/<branch>/<Event>/1-0.json. Avo branches have no versions, so every
event is version 1-0 (1-0-0 under SchemaVer). Branch names map to Avo branch ids through
`registry.avo.branches` in reflekt_project.yml.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from reflekt.errors import ReflektError, UsageError
from reflekt.registries.base import Change, PulledSchema, PullResult, PushOptions, PushResult, Scope
from reflekt.registries.files import UnsafeName, build_schema, safe_segment, version_parts
from reflekt.registries.http import HttpClient

DEFAULT_URL = "https://api.avo.app"
AVO_ONLY_KEYS = ("id", "index", "nameMapping", "isSystemProperty")
IMPORT_METHODS = ("addOnly", "addAndUpdate", "addUpdateAndRemove")
DEFAULT_IMPORT_METHOD = "addAndUpdate"


def strip_avo_keys(node: Any) -> Any:
    """Remove Avo bookkeeping from a JSON Schema node, recursing only into sub-schemas
    (so a property *named* `id` survives)."""
    if not isinstance(node, dict):
        return node
    out = {k: v for k, v in node.items() if k not in AVO_ONLY_KEYS}
    if isinstance(out.get("properties"), dict):
        out["properties"] = {name: strip_avo_keys(sub) for name, sub in out["properties"].items()}
    for key in ("items", "additionalProperties", "not"):
        if isinstance(out.get(key), dict):
            out[key] = strip_avo_keys(out[key])
    if isinstance(out.get("items"), list):
        out["items"] = [strip_avo_keys(s) for s in out["items"]]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(out.get(key), list):
            out[key] = [strip_avo_keys(s) for s in out[key]]
    return out


def tags_to_metadata(tags: list[Any], categories: list[str]) -> dict[str, Any]:
    """`key: value` tags become metadata keys; any other tag is kept in a `tags` list."""
    metadata: dict[str, Any] = {}
    plain: list[str] = []
    for tag in tags:
        text = str(tag)
        key, sep, value = text.partition(": ")
        if sep and key.strip() and key.strip() not in ("tags", "categories"):
            metadata[key.strip()] = value.strip()
        else:
            plain.append(text)
    if plain:
        metadata["tags"] = plain
    if categories:
        metadata["categories"] = categories
    return metadata


def metadata_to_tags(metadata: dict[str, Any]) -> tuple[list[str], list[str]]:
    tags = [
        f"{k}: {v}" for k, v in metadata.items() if k not in ("tags", "categories") and isinstance(v, str)
    ]
    tags += [str(t) for t in metadata.get("tags", []) if isinstance(metadata.get("tags"), list)]
    categories = metadata.get("categories")
    return tags, [str(c) for c in categories] if isinstance(categories, list) else []


class AvoRegistry:
    def __init__(self, entry: Any, project: Any) -> None:
        self.entry = entry
        self.project = project
        self.base_url = entry.url or DEFAULT_URL

    def _client(self) -> HttpClient:
        auth = (self.entry.service_account_name, self.entry.service_account_secret.get_secret_value())
        return HttpClient("Avo", self.base_url, auth=auth, headers={"Accept": "application/json"})

    def _branch_id(self, branch: str) -> str:
        branches = self.project.config.registry.avo.branches
        if branch in branches:
            return branches[branch]
        if branch == "main":
            return "main"
        known = ", ".join(sorted(branches)) or "(none)"
        raise UsageError(
            f"Avo branch '{branch}' has no id in reflekt_project.yml",
            hint=f"add it under registry: avo: branches: ({branch}: <branch id>); configured: {known}",
        )

    def _branch_path(self, branch_id: str) -> str:
        ws = quote(self.entry.workspace_id, safe="")
        return f"/workspaces/{ws}/branches/{quote(branch_id, safe='')}"

    def _export(self, client: HttpClient, branch: str) -> dict[str, Any]:
        branch_id = self._branch_id(branch)
        doing = f"exporting Avo branch '{branch}' ({branch_id})"
        response = client.request(
            "GET",
            self._branch_path(branch_id) + "/export/v1",
            doing=doing,
            params={"payloadFormat": "jsonSchema"},
        )
        payload = client.json(response, doing)
        if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
            raise ReflektError(
                f"Avo returned no 'events' list while {doing}", hint="check the registry `url:`"
            )
        return payload

    def check(self) -> str:
        with self._client() as client:
            payload = self._export(client, "main")
        return f"Avo workspace {self.entry.workspace_id}: {len(payload['events'])} events on main ({self.base_url})"

    # -- pull -------------------------------------------------------------------------------------

    def pull(self, scope: Scope) -> PullResult:
        branch = scope.path[0] if scope.path else "main"
        with self._client() as client:
            payload = self._export(client, branch)
        result = PullResult()
        branch_folder = safe_segment(branch, "Avo branch name")
        if len(scope.path) <= 1:
            result.covered_folders.append(f"avo/{branch_folder}")
        for event in payload["events"]:
            try:
                schema = self._to_schema(branch_folder, event, payload)
            except (UnsafeName, ValueError) as exc:
                result.skipped.append(str(exc))
                continue
            if len(scope.path) > 1 and schema.data["self"]["name"] != scope.path[1]:
                continue
            result.schemas.append(schema)
        if len(scope.path) > 1 and not result.schemas:
            raise UsageError(f"Avo branch '{branch}' has no event named '{scope.path[1]}'")
        return result

    def _version(self) -> str:
        return "1-0-0" if self.project.config.schemas.versioning == "schemaver" else "1-0"

    def _to_schema(self, branch_folder: str, event: dict[str, Any], payload: dict[str, Any]) -> PulledSchema:
        if not isinstance(event, dict):
            raise ValueError("an Avo event that is not an object was skipped")
        name = safe_segment(event.get("name"), "Avo event name")
        rules = event.get("rules") if isinstance(event.get("rules"), dict) else {}
        block = rules.get("properties") if isinstance(rules.get("properties"), dict) else {}
        inner = strip_avo_keys(block["properties"]) if isinstance(block.get("properties"), dict) else {}
        category_names = payload.get("categories") if isinstance(payload.get("categories"), dict) else {}
        raw_categories = event.get("categories") if isinstance(event.get("categories"), list) else []
        categories = []
        for category in raw_categories:
            found = category_names.get(category) if isinstance(category, str) else None
            categories.append(str(found.get("name", category)) if isinstance(found, dict) else str(category))
        version = self._version()
        schema_id = f"avo/{branch_folder}/{name}/{version}.json"
        required = inner.get("required")
        data = build_schema(
            schema_id,
            vendor=self.project.config.vendor,
            name=name,
            version=version,
            description=event.get("description") if isinstance(event.get("description"), str) else "",
            metadata=tags_to_metadata(
                event.get("tags") if isinstance(event.get("tags"), list) else [], categories
            ),
            properties=inner.get("properties") if isinstance(inner.get("properties"), dict) else {},
            required=[r for r in required if isinstance(r, str)] if isinstance(required, list) else [],
            additional_properties=inner.get("additionalProperties", True),
        )
        return PulledSchema(schema_id, data)

    # -- push -------------------------------------------------------------------------------------

    def push(self, scope: Scope, schemas: list[Any], options: PushOptions) -> PushResult:
        if options.delete:
            raise UsageError(
                "Avo's import API cannot delete events; archive them in Avo",
                hint="--import-method addUpdateAndRemove removes properties that are not in the pushed events",
            )
        method = options.import_method or DEFAULT_IMPORT_METHOD
        if method not in IMPORT_METHODS:
            raise UsageError(
                f"unknown --import-method '{method}'", hint="one of: " + ", ".join(IMPORT_METHODS)
            )
        branch = scope.path[0] if scope.path else "main"
        result = PushResult(target=f"Avo branch '{branch}'")
        local = self._latest_per_event(schemas, result)
        with self._client() as client:
            payload = self._export(client, branch)
            remote = {}
            for event in payload["events"]:
                try:
                    converted = self._to_schema("x", event, payload)
                except (UnsafeName, ValueError):
                    continue
                remote[converted.data["self"]["name"]] = converted.data
            sent = []
            for name, schema in sorted(local.items()):
                mine = _essentials(schema.data)
                if name not in remote:
                    result.changes.append(Change("added", name))
                elif mine != _essentials(remote[name]):
                    result.changes.append(Change("changed", name))
                else:
                    continue
                sent.append(self._to_event(name, schema))
            if options.dry_run or not sent:
                return result
            branch_id = self._branch_id(branch)
            doing = f"importing {len(sent)} event(s) into Avo branch '{branch}'"
            response = client.request(
                "POST",
                self._branch_path(branch_id) + "/import/v1",
                doing=doing,
                params={"importMethod": method},
                content=json.dumps({"events": sent}),
                headers={"Content-Type": "application/json"},
            )
            answer = client.json(response, doing) if response.content else {}
            counts = answer.get("result") if isinstance(answer, dict) else None
            if isinstance(counts, dict):
                result.notes.append("Avo: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        result.applied = True
        return result

    def _latest_per_event(self, schemas: list[Any], result: PushResult) -> dict[str, Any]:
        latest: dict[str, Any] = {}
        versioning = self.project.config.schemas.versioning
        for schema in sorted(schemas, key=lambda s: version_parts(s, versioning)):
            if schema.name in latest:
                result.notes.append(f"{schema.name}: Avo has no versions; pushing {schema.id.version_text}")
            latest[schema.name] = schema
        return latest

    def _to_event(self, name: str, schema: Any) -> dict[str, Any]:
        tags, categories = metadata_to_tags(schema.metadata)
        inner: dict[str, Any] = {
            "type": "object",
            "properties": schema.properties,
            "required": schema.required,
        }
        if schema.data.get("additionalProperties", True) is not True:
            inner["additionalProperties"] = schema.data["additionalProperties"]
        return {
            "name": name,
            "description": schema.description or "",
            "tags": tags,
            "categories": categories,
            "rules": {
                "$schema": "http://json-schema.org/draft-06/schema#",
                "type": "object",
                "required": ["properties"],
                "properties": {"properties": inner},
            },
        }


def _essentials(data: dict[str, Any]) -> str:
    keep = {k: data.get(k) for k in ("description", "properties", "required")}
    keep["additionalProperties"] = data.get("additionalProperties", True)
    self_block = data.get("self") if isinstance(data.get("self"), dict) else {}
    keep["metadata"] = self_block.get("metadata") or data.get("metadata") or {}
    return json.dumps(keep, sort_keys=True)
