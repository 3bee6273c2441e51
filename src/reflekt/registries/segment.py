"""Segment Protocols tracking plans over the Segment Public API.

Local layout: schemas/segment/<plan>/<Event>/<MAJOR-MINOR>.json. A TRACK rule's folder is its key;
other rule types use a fixed folder ("Identify", "Group", "Page", "Screen", "Common", plus
" - <key>" when the rule has a key), so a folder name alone says which rule it is.
Segment keeps only MAJOR versions: rule version N is the highest local N-x file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from reflekt.errors import ConnectionFailed, ReflektError, UsageError
from reflekt.registries.base import Change, PulledSchema, PullResult, PushOptions, PushResult, Scope
from reflekt.registries.files import (
    DRAFT_07,
    UnsafeName,
    build_schema,
    existing_versions,
    safe_segment,
    version_parts,
)
from reflekt.registries.http import HttpClient, RegistryRequestError

US_URL = "https://api.segmentapis.com"
EU_URL = "https://eu1.api.segmentapis.com"
MEDIA_TYPE = "application/vnd.segment.v1+json"
PAGE_SIZE = 200
TYPE_FOLDERS = {
    "IDENTIFY": "Identify",
    "GROUP": "Group",
    "PAGE": "Page",
    "SCREEN": "Screen",
    "COMMON": "Common",
}
_FOLDER_TYPES = {v: k for k, v in TYPE_FOLDERS.items()}
_TYPED_FOLDER = re.compile(r"^(Identify|Group|Page|Screen|Common)(?: - (.+))?$")
TRAIT_TYPES = ("IDENTIFY", "GROUP")


def rule_folder(rule_type: str, key: str | None) -> str:
    if rule_type == "TRACK":
        return key or ""
    base = TYPE_FOLDERS.get(rule_type, rule_type.title())
    return f"{base} - {key}" if key else base


def rule_identity(folder: str) -> tuple[str, str]:
    """(type, key) of the rule an event folder stands for."""
    match = _TYPED_FOLDER.match(folder)
    if match:
        return _FOLDER_TYPES[match.group(1)], match.group(2) or ""
    return "TRACK", folder


def rule_ident(rule: Any) -> tuple[str, str, int] | None:
    """(type, key, version) of a remote rule, or None when the registry sent something unusable."""
    if not isinstance(rule, dict):
        return None
    rule_type, key, version = rule.get("type"), rule.get("key"), rule.get("version")
    if not isinstance(rule_type, str) or not isinstance(version, (int, float)) or int(version) != version:
        return None
    if int(version) < 1 or not isinstance(key, (str, type(None))):
        return None
    return rule_type, key or "", int(version)


class SegmentRegistry:
    def __init__(self, entry: Any, project: Any) -> None:
        self.entry = entry
        self.project = project
        self.base_url = entry.url or (EU_URL if entry.region == "eu" else US_URL)

    # -- plumbing -------------------------------------------------------------------------------

    def _client(self) -> HttpClient:
        token = self.entry.api_token.get_secret_value()
        return HttpClient(
            "Segment",
            self.base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": MEDIA_TYPE},
        )

    def _send(
        self, client: HttpClient, method: str, path: str, doing: str, body: Any = None, **kw: Any
    ) -> Any:
        content = None if body is None else json.dumps(body)
        headers = {"Content-Type": MEDIA_TYPE} if body is not None else None
        response = client.request(method, path, doing=doing, content=content, headers=headers, **kw)
        if not response.content:
            return {}
        envelope = client.json(response, doing)
        data = envelope.get("data") if isinstance(envelope, dict) else None
        if not isinstance(data, dict):
            raise ReflektError(
                f"Segment answered without a `data` object while {doing}",
                hint="check the registry `url:`; it should be the Segment Public API",
            )
        return data

    def _paginate(self, client: HttpClient, path: str, key: str, doing: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            params: dict[str, Any] = {"pagination.count": PAGE_SIZE}
            if cursor:
                params["pagination.cursor"] = cursor
            data = self._send(client, "GET", path, doing, params=params)
            page = data.get(key)
            if not isinstance(page, list):
                raise ReflektError(
                    f"Segment returned no '{key}' list while {doing}", hint="check the registry `url:`"
                )
            items.extend(page)
            pagination = data.get("pagination")
            if pagination is not None and not isinstance(pagination, dict):
                raise _malformed("`pagination` is not an object", doing)
            cursor = (pagination or {}).get("next")
            if cursor is not None and not isinstance(cursor, str):
                raise _malformed("`pagination.next` is not a string cursor", doing)
            if not cursor or cursor in seen:  # a repeating cursor would loop forever
                return items
            seen.add(cursor)

    def check(self) -> str:
        with self._client() as client:
            data = self._send(client, "GET", "/", "reading the workspace")
        workspace = data.get("workspace")
        if not isinstance(workspace, dict):
            raise _malformed("`workspace` is not an object", "reading the workspace")
        name = workspace.get("name")
        return f"Segment workspace '{name if isinstance(name, str) else '?'}' ({self.base_url})"

    def _plans(self, client: HttpClient) -> list[dict[str, Any]]:
        plans = self._paginate(client, "/tracking-plans", "trackingPlans", "listing tracking plans")
        return [p for p in plans if isinstance(p, dict) and isinstance(p.get("id"), str) and p["id"]]

    def _rules(self, client: HttpClient, plan: dict[str, Any]) -> list[dict[str, Any]]:
        doing = f"listing the rules of tracking plan '{plan.get('name')}'"
        return self._paginate(
            client, f"/tracking-plans/{quote(str(plan['id']), safe='')}/rules", "rules", doing
        )

    @staticmethod
    def _plan_folder(plan: dict[str, Any]) -> str:
        return safe_segment(plan.get("name") or plan.get("slug") or plan["id"], "Segment tracking plan name")

    def _find_plan(self, plans: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
        for plan in plans:
            names = {plan.get("id"), plan.get("name"), plan.get("slug")}
            try:
                names.add(self._plan_folder(plan))
            except UnsafeName:
                pass
            if wanted in names:
                return plan
        return None

    # -- pull -----------------------------------------------------------------------------------

    def pull(self, scope: Scope) -> PullResult:
        result = PullResult()
        with self._client() as client:
            plans = self._plans(client)
            if scope.path:
                plan = self._find_plan(plans, scope.path[0])
                if plan is None:
                    known = ", ".join(sorted(str(p.get("name")) for p in plans)) or "(none)"
                    raise UsageError(
                        f"no Segment tracking plan named '{scope.path[0]}'",
                        hint=f"tracking plans in this workspace: {known}",
                    )
                plans = [plan]
            fetched = [(plan, self._rules(client, plan)) for plan in plans]
        for plan, rules in fetched:
            try:
                plan_folder = self._plan_folder(plan)
            except UnsafeName as exc:
                result.skipped.append(str(exc))
                continue
            unusable = [r for r in rules if rule_ident(r) is None]
            if unusable:
                result.skipped.append(
                    f"plan '{plan.get('name')}': {len(unusable)} rule(s) without a usable type/key/version"
                )
            selected = [r for r in rules if self._in_scope(r, scope.path[1:])]
            if len(scope.path) > 1 and not selected:
                raise UsageError(
                    f"tracking plan '{plan.get('name')}' has no rule for '{'/'.join(scope.path[1:])}'"
                )
            if len(scope.path) <= 1:
                result.covered_folders.append(f"segment/{plan_folder}")
            for rule in selected:
                if _dict(_dict(_dict(rule.get("jsonSchema")).get("properties")).get("context")):
                    result.notes.append(
                        f"{rule_folder(rule.get('type', ''), rule.get('key'))}: its context rules stay in Segment "
                        "(not in the local schema); push keeps them"
                    )
                try:
                    result.schemas.append(self._to_schema(plan_folder, rule))
                except (UnsafeName, ValueError) as exc:
                    result.skipped.append(f"plan '{plan.get('name')}': {exc}")
        return result

    def _in_scope(self, rule: dict[str, Any], path: tuple[str, ...]) -> bool:
        ident = rule_ident(rule)
        if ident is None or not path:
            return ident is not None
        if rule_folder(ident[0], ident[1]) != path[0]:
            return False
        return len(path) < 2 or str(path[1]).split("-")[0] == str(ident[2])

    def _version_text(self, folder: str, major: int) -> str:
        """Keep writing into the highest local N-x file, so pull and push agree on where rule N lives."""
        schemaver = self.project.config.schemas.versioning == "schemaver"
        mine = [
            v for v in existing_versions(self.project.schemas_dir, folder) if v.split("-")[0] == str(major)
        ]
        if mine:
            return max(mine, key=lambda v: tuple(int(p) for p in v.split("-") if p.isdigit()))
        return f"{major}-0-0" if schemaver else f"{major}-0"

    def _to_schema(self, plan_folder: str, rule: dict[str, Any]) -> PulledSchema:
        rule_type, key, _version = rule_ident(rule) or ("TRACK", "", 0)
        if rule_type == "TRACK" and _TYPED_FOLDER.match(key):
            raise ValueError(
                f"TRACK rule '{key}' collides with the folder reserved for a {key.split()[0]} rule"
            )
        if rule_type == "TRACK" and not key:
            raise ValueError("a TRACK rule without a key was skipped")
        event = safe_segment(rule_folder(rule_type, key), "Segment rule key")
        version = rule.get("version")
        if not isinstance(version, (int, float)) or int(version) < 1:
            raise ValueError(f"rule '{event}' has version {version!r}, not a positive integer")
        folder = f"segment/{plan_folder}/{event}"
        version_text = self._version_text(folder, int(version))
        schema_id = f"{folder}/{version_text}.json"
        fields = rule_fields(rule)
        data = build_schema(
            schema_id,
            vendor=self.project.config.vendor,
            name=event,
            version=version_text,
            description=fields["description"],
            metadata=fields["labels"],
            properties=fields["properties"],
            required=fields["required"],
            additional_properties=fields["additionalProperties"],
        )
        return PulledSchema(schema_id, data)

    # -- push -----------------------------------------------------------------------------------

    def push(self, scope: Scope, schemas: list[Any], options: PushOptions) -> PushResult:
        if not scope.path:
            raise UsageError(
                "pushing to Segment needs a tracking plan: --select segment/<tracking_plan>",
                hint="one plan per push keeps replaces and deletes easy to review",
            )
        plan_name = scope.path[0]
        whole_plan = len(scope.path) == 1 and not options.delete
        result = PushResult(target=f"Segment tracking plan '{plan_name}'")
        desired = self._desired_rules(schemas, result)
        with self._client() as client:
            plan = self._find_plan(self._plans(client), plan_name)
            remote = self._rules(client, plan) if plan else []
            remote_by_id = {rule_ident(r): r for r in remote if rule_ident(r) is not None}
            if options.delete:
                targets = [
                    ident
                    for ident, r in sorted(remote_by_id.items(), key=str)
                    if self._in_scope(r, scope.path[1:])
                ]
                result.changes = [Change("removed", _rule_label(i)) for i in targets]
                if not targets or options.dry_run:
                    return result
                if not options.confirm(
                    f"Delete {len(targets)} rule(s) from Segment tracking plan '{plan_name}'?"
                ):
                    raise UsageError("push --delete cancelled; nothing was deleted")
                self._delete(client, plan, targets)
                result.applied = True
                return result
            for ident, body in desired.items():
                context = _dict(
                    _dict(_dict(remote_by_id.get(ident, {}).get("jsonSchema")).get("properties")).get(
                        "context"
                    )
                )
                if context:  # Reflekt does not model context rules; keep Segment's instead of erasing them
                    body["jsonSchema"]["properties"]["context"] = context
            if not whole_plan:
                selected = {(t, k) for (t, k, _v) in desired}
                remote_by_id = {i: r for i, r in remote_by_id.items() if (i[0], i[1]) in selected}
            result.changes = diff_rules(desired, remote_by_id, removals=whole_plan)
            if plan is None:
                result.notes.insert(0, f"tracking plan '{plan_name}' does not exist and will be created")
            if options.dry_run or (not result.changes and plan is not None):
                return result
            created = False
            if plan is None:
                body = {"name": plan_name, "type": "LIVE"}
                doing = f"creating tracking plan '{plan_name}'"
                data = self._send(client, "POST", "/tracking-plans", doing, body)
                plan = data.get("trackingPlan")
                if not isinstance(plan, dict) or not isinstance(plan.get("id"), str) or not plan["id"]:
                    raise _malformed("no `trackingPlan` object with an `id`", doing)
                created = True
            try:
                self._send_rules(client, plan, desired, result.changes, whole_plan)
            except ReflektError as exc:
                if created:
                    exc.message += f" (tracking plan '{plan_name}' was created, but has no rules yet)"
                raise
        result.applied = True
        return result

    def _desired_rules(
        self, schemas: list[Any], result: PushResult
    ) -> dict[tuple[str, str, int], dict[str, Any]]:
        by_rule: dict[tuple[str, str, int], list[Any]] = defaultdict(list)
        versioning = self.project.config.schemas.versioning
        for schema in schemas:
            rule_type, key = rule_identity(schema.id.event_name)
            major = version_parts(schema, versioning)[0]
            by_rule[(rule_type, key, major)].append(schema)
        desired = {}
        for ident, group in sorted(by_rule.items(), key=str):
            group.sort(key=lambda s: version_parts(s, versioning))
            chosen = group[-1]
            if chosen.id.version_text.split("-")[1:] not in ([], ["0"], ["0", "0"]):
                result.notes.append(
                    f"{chosen.id.event_name} {chosen.id.version_text} is pushed as Segment rule version {ident[2]} "
                    "(Segment keeps only MAJOR versions)"
                )
            desired[ident] = rule_body(ident, chosen, result.notes)
        return desired

    def _send_rules(
        self, client: HttpClient, plan: dict[str, Any], desired: dict, changes: list[Change], whole_plan: bool
    ) -> None:
        path = f"/tracking-plans/{quote(str(plan['id']), safe='')}/rules"
        name = plan.get("name")
        if whole_plan:
            rules = [desired[i] for i in sorted(desired, key=str)]
            self._send(
                client, "PUT", path, f"replacing the rules of tracking plan '{name}'", {"rules": rules}
            )
            return
        touched = {c.name for c in changes}
        rules = [desired[i] for i in sorted(desired, key=str) if _rule_label(i) in touched]
        if rules:
            self._send(client, "PATCH", path, f"updating rules in tracking plan '{name}'", {"rules": rules})

    def _delete(self, client: HttpClient, plan: dict[str, Any], targets: list[tuple[str, str, int]]) -> None:
        params: list[tuple[str, Any]] = []
        for index, (rule_type, key, version) in enumerate(targets):
            params += [(f"rules[{index}][type]", rule_type), (f"rules[{index}][version]", version)]
            if key:
                params.append((f"rules[{index}][key]", key))
        doing = f"deleting rules from tracking plan '{plan.get('name')}'"
        self._send(
            client, "DELETE", f"/tracking-plans/{quote(str(plan['id']), safe='')}/rules", doing, params=params
        )


def _rule_label(ident: tuple[str, str, int]) -> str:
    rule_type, key, version = ident
    name = key if rule_type == "TRACK" else rule_folder(rule_type, key)
    return f"{name} (rule version {version})"


def _malformed(what: str, doing: str) -> ConnectionFailed:
    return ConnectionFailed(
        f"Segment answered with an unexpected body while {doing}: {what}",
        hint="check the registry `url:`; it should be the Segment Public API",
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def rule_fields(rule: dict[str, Any]) -> dict[str, Any]:
    """The parts of a rule's jsonSchema Reflekt keeps: description, labels, and the event's section."""
    js = _dict(rule.get("jsonSchema"))
    section = "traits" if rule.get("type") in TRAIT_TYPES else "properties"
    inner = _dict(_dict(js.get("properties")).get(section))
    required = inner.get("required")
    labels = {str(k): v for k, v in _dict(js.get("labels")).items()}
    return {
        "description": js.get("description") if isinstance(js.get("description"), str) else "",
        "labels": labels,
        "properties": _dict(inner.get("properties")),
        "required": [r for r in required if isinstance(r, str)] if isinstance(required, list) else [],
        "additionalProperties": inner.get("additionalProperties", True),
    }


def rule_body(ident: tuple[str, str, int], schema: Any, notes: list[str] | None = None) -> dict[str, Any]:
    """A RuleInputV1 from a local schema, in the shape Segment's own UI writes."""
    rule_type, key, version = ident
    labels = {}
    for name, value in schema.metadata.items():
        if isinstance(value, str):
            labels[name] = value
        elif notes is not None:
            notes.append(
                f"{schema.id.event_name}: metadata '{name}' is not a string and is not sent as a label"
            )
    return _rule(
        rule_type,
        key,
        version,
        schema.description or "",
        labels,
        schema.properties,
        schema.required,
        schema.data.get("additionalProperties", True),
    )


def _rule(rule_type, key, version, description, labels, properties, required, additional) -> dict[str, Any]:
    section = "traits" if rule_type in TRAIT_TYPES else "properties"
    inner: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    if additional is not True:
        inner["additionalProperties"] = additional
    sections: dict[str, Any] = {"context": {}, "traits": {}, "properties": {}}
    sections[section] = inner
    js = {
        "$schema": DRAFT_07,
        "type": "object",
        "description": description,
        "labels": labels,
        "properties": sections,
        "required": [section],
    }
    body: dict[str, Any] = {"type": rule_type, "version": version, "jsonSchema": js}
    if key:
        body["key"] = key
    return body


def normalized_remote(rule: dict[str, Any]) -> dict[str, Any]:
    """What pushing the pulled form of a remote rule would send: the basis of a fair diff."""
    fields = rule_fields(rule)
    return _rule(
        rule.get("type"),
        rule.get("key") or "",
        int(rule.get("version", 0)),
        fields["description"],
        {k: v for k, v in fields["labels"].items() if isinstance(v, str)},
        fields["properties"],
        fields["required"],
        fields["additionalProperties"],
    )


def diff_rules(desired: dict, remote: dict, *, removals: bool) -> list[Change]:
    changes = []
    for ident in sorted(set(desired) | set(remote), key=str):
        if ident not in remote:
            changes.append(Change("added", _rule_label(ident)))
        elif ident not in desired:
            if removals:
                changes.append(Change("removed", _rule_label(ident)))
        elif _canonical(_without_context(desired[ident])) != _canonical(normalized_remote(remote[ident])):
            changes.append(
                Change("changed", _rule_label(ident), _what_changed(desired[ident], remote[ident]))
            )
    return changes


def _without_context(rule: dict[str, Any]) -> dict[str, Any]:
    js = rule["jsonSchema"]
    return {**rule, "jsonSchema": {**js, "properties": {**js["properties"], "context": {}}}}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _what_changed(local: dict[str, Any], remote: dict[str, Any]) -> str:
    mine, theirs = local["jsonSchema"], normalized_remote(remote)["jsonSchema"]
    parts = [k for k in ("description", "labels") if _canonical(mine.get(k)) != _canonical(theirs.get(k))]
    section = mine["required"][0]
    a, b = mine["properties"][section], theirs["properties"][section]
    props_a, props_b = a.get("properties", {}), b.get("properties", {})
    added = sorted(set(props_a) - set(props_b))
    removed = sorted(set(props_b) - set(props_a))
    modified = sorted(
        k for k in set(props_a) & set(props_b) if _canonical(props_a[k]) != _canonical(props_b[k])
    )
    for label, names in (("+", added), ("-", removed), ("~", modified)):
        parts += [f"{label}{n}" for n in names]
    if _canonical(a.get("required")) != _canonical(b.get("required")):
        parts.append("required")
    return ", ".join(parts)


__all__ = ["RegistryRequestError", "SegmentRegistry"]
