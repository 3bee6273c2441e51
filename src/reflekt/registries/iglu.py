"""Snowplow Iglu: static registries (a folder, or the same layout over HTTP) and Iglu Server.

Local layout: schemas/iglu/<vendor>/<name>/<version>.json. Iglu versions are SchemaVer
MODEL-REVISION-ADDITION; a MAJOR-MINOR project maps M-0-A <-> M-A, and a version with a revision
(1-1-0) has no MAJOR-MINOR equivalent: it is reported, never guessed.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpx

from reflekt import fsutil
from reflekt.errors import ConfigError, ReflektError, SchemaError, UsageError
from reflekt.registries.base import Change, PulledSchema, PullResult, PushOptions, PushResult, Scope
from reflekt.registries.files import UnsafeName, render_schema, safe_segment
from reflekt.registries.http import HttpClient, default_error_message, json_or_none
from reflekt.schema import decode_schema_bytes, parse_schema_text

SELF_DESC = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"
READ_CONCURRENCY = 8
_SCHEMAVER = re.compile(r"^([1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$")


class IgluKey(tuple):
    """(vendor, name, format, version) of one Iglu schema."""

    @property
    def uri(self) -> str:
        return "iglu:" + "/".join(self)


def local_version(iglu_version: str, versioning: str) -> str | None:
    match = _SCHEMAVER.match(iglu_version)
    if not match:
        return None
    if versioning == "schemaver":
        return iglu_version
    model, revision, addition = match.groups()
    return f"{model}-{addition}" if revision == "0" else None


def iglu_version(local: str, versioning: str) -> str | None:
    parts = local.split("-")
    if versioning == "schemaver":
        return local if _SCHEMAVER.match(local) else None
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{parts[0]}-0-{parts[1]}"
    return None


def iglu_error_message(response: httpx.Response) -> str:
    """Iglu Server's `message`, plus the lines of a validation report when there is one."""
    message = default_error_message(response)
    body = json_or_none(response)
    report = body.get("report") if isinstance(body, dict) else None
    if isinstance(report, list):
        lines = [f"{r.get('message')} at {r.get('pointer', '/')}" for r in report if isinstance(r, dict)]
        message += " [" + "; ".join(lines) + "]" if lines else ""
    return message


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


class IgluRegistry:
    def __init__(self, entry: Any, project: Any) -> None:
        self.entry = entry
        self.project = project
        self.url = entry.url.rstrip("/")
        self.versioning = project.config.schemas.versioning if project is not None else "schemaver"

    # -- where the registry lives -----------------------------------------------------------------

    def _folder(self) -> Path | None:
        split = urlsplit(self.url)
        if split.scheme in ("http", "https"):
            return None
        raw = unquote(split.path) if split.scheme == "file" else self.url
        folder = Path(raw).expanduser()
        if not folder.is_absolute() and self.project is not None:
            folder = self.project.root / folder
        return folder if folder.name == "schemas" else folder / "schemas"

    def _client(self) -> HttpClient:
        headers = {"Accept": "application/json"}
        if self.entry.api_key is not None:
            headers["apikey"] = self.entry.api_key.get_secret_value()
        return HttpClient("Iglu", self.url, headers=headers, error_message=iglu_error_message)

    def _is_server(self, client: HttpClient) -> bool:
        response = client.request(
            "GET", "/api/meta/health", doing="checking for an Iglu Server", allow=(404, 403, 401)
        )
        return response.status_code == 200

    def check(self) -> str:
        folder = self._folder()
        if folder is not None:
            if not folder.is_dir():
                raise ConfigError(f"Iglu static registry folder not found: {folder}")
            return f"Iglu static registry folder {folder}"
        with self._client() as client:
            kind = "Iglu Server" if self._is_server(client) else "static Iglu registry"
        return f"{kind} at {self.url}"

    # -- listing and reading ----------------------------------------------------------------------

    def _wanted(self, key: tuple[str, ...], scope: Scope) -> bool:
        vendor, name, _fmt, version = key
        want = scope.path
        if len(want) > 0 and want[0] != vendor:
            return False
        if len(want) > 1 and want[1] != name:
            return False
        return not (len(want) > 2 and want[2] != local_version(version, self.versioning))

    def _list_folder(self, folder: Path) -> Iterator[IgluKey]:
        if not folder.is_dir():
            raise ConfigError(
                f"Iglu static registry folder not found: {folder}",
                hint="the registry `url:` is a folder holding schemas/<vendor>/<name>/<format>/<version>",
            )
        for path in sorted(folder.glob("*/*/*/*")):
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                yield IgluKey(path.relative_to(folder).parts)

    def _list_static_http(self, client: HttpClient) -> list[IgluKey]:
        """Walk HTML directory listings (what plain static servers produce) four levels deep."""
        keys: list[IgluKey] = []

        def children(prefix: str) -> list[str]:
            doing = f"listing {prefix or '/'} of the static Iglu registry"
            response = client.request("GET", "/schemas/" + prefix, doing=doing)
            parser = _Links()
            parser.feed(response.text)
            names = []
            for href in parser.links:
                name = unquote(href.split("?")[0].split("#")[0]).rstrip("/")
                if name and "/" not in name and not name.startswith("."):
                    names.append(name)
            return sorted(set(names))

        def walk(prefix: str, parts: tuple[str, ...]) -> list[IgluKey]:
            found: list[IgluKey] = []
            for child in children(prefix):
                if len(parts) == 3:
                    found.append(IgluKey((*parts, child)))
                else:
                    found += walk(prefix + quote(child) + "/", (*parts, child))
            return found

        try:
            vendors = children("")
            with ThreadPoolExecutor(max_workers=READ_CONCURRENCY) as pool:
                for found in pool.map(lambda v: walk(quote(v) + "/", (v,)), vendors):
                    keys += found
        except ReflektError as exc:
            raise ReflektError(
                f"cannot list the static Iglu registry at {self.url}: {exc.message}",
                hint="the server must serve folder listings (python -m http.server does); "
                "or point `url:` at a local folder or an Iglu Server",
            ) from None
        return keys

    def _list_server(self, client: HttpClient) -> list[IgluKey]:
        response = client.request("GET", "/api/schemas", doing="listing schemas on the Iglu Server")
        uris = client.json(response, "listing schemas on the Iglu Server")
        keys = []
        for uri in uris if isinstance(uris, list) else []:
            if isinstance(uri, str) and uri.startswith("iglu:") and uri.count("/") == 3:
                keys.append(IgluKey(uri[len("iglu:") :].split("/")))
        return sorted(keys)

    def _read(self, client: HttpClient | None, key: IgluKey, server: bool, folder: Path | None) -> Any:
        if folder is not None:
            path = folder.joinpath(*key)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise SchemaError(
                    f"cannot read the Iglu registry file: {exc.strerror or type(exc).__name__}",
                    hint="check the file's permissions",
                    path=path,
                ) from None
            try:
                return parse_schema_text(decode_schema_bytes(raw, path), path)
            except SchemaError as exc:
                # valid JSON that is not an object: pull skips it ("not a JSON object"), like a server body
                if exc.message.startswith("a schema must be a JSON object"):
                    return None
                raise
        assert client is not None
        route = ("/api/schemas/" if server else "/schemas/") + "/".join(quote(p, safe="") for p in key)
        doing = f"reading {key.uri}"
        return client.json(client.request("GET", route, doing=doing), doing)

    # -- pull -------------------------------------------------------------------------------------

    def pull(self, scope: Scope) -> PullResult:
        folder = self._folder()
        result = PullResult()
        documents: list[tuple[IgluKey, Any]] = []
        if folder is not None:
            keys = [k for k in self._list_folder(folder) if self._wanted(k, scope)]
            documents = [(k, self._read(None, k, False, folder)) for k in keys if k[2] == "jsonschema"]
        else:
            with self._client() as client:
                server = self._is_server(client)
                keys = self._list_server(client) if server else self._list_static_http(client)
                keys = [k for k in keys if self._wanted(k, scope)]
                wanted = [k for k in keys if k[2] == "jsonschema"]
                # reads are independent and latency-bound: a few in flight at once (httpx.Client is thread-safe)
                with ThreadPoolExecutor(max_workers=READ_CONCURRENCY) as pool:
                    bodies = list(pool.map(lambda k: self._read(client, k, server, None), wanted))
                documents = list(zip(wanted, bodies))
        for key in keys:
            if key[2] != "jsonschema":
                result.skipped.append(f"{key.uri}: format '{key[2]}' is not JSON Schema")
        result.notes.append(f"Found {len(keys)} schema(s) in the Iglu registry")
        if not scope.path or len(scope.path) <= 2:
            result.covered_folders.append("/".join(("iglu", *scope.path)))
        for key, document in documents:
            try:
                result.schemas.append(self._to_schema(key, document))
            except (UnsafeName, ValueError) as exc:
                result.skipped.append(f"{key.uri}: {exc}")
        return result

    def _to_schema(self, key: IgluKey, document: Any) -> PulledSchema:
        if not isinstance(document, dict):
            raise ValueError("the schema is not a JSON object")
        vendor, name, _fmt, version = key
        local = local_version(version, self.versioning)
        if local is None:
            raise ValueError(
                f"version {version} has no MAJOR-MINOR equivalent (only M-0-A maps to M-A)"
                if _SCHEMAVER.match(version)
                else f"version {version!r} is not SchemaVer",
            )
        folder = f"iglu/{safe_segment(vendor, 'Iglu vendor')}/{safe_segment(name, 'Iglu schema name')}"
        schema_id = f"{folder}/{local}.json"
        data = copy.deepcopy(document)
        block = data.get("self") if isinstance(data.get("self"), dict) else {}
        data["$id"] = schema_id
        data["self"] = {
            **block,
            "vendor": block.get("vendor", vendor),
            "name": block.get("name", name),
            "format": block.get("format", "jsonschema"),
            "version": local,
        }
        return PulledSchema(schema_id, data)

    # -- push -------------------------------------------------------------------------------------

    def _to_iglu(self, schema: Any) -> tuple[IgluKey, dict[str, Any]]:
        block = schema.self_block
        vendor = block.get("vendor") or (schema.id.parts[1] if len(schema.id.parts) > 3 else None)
        version = iglu_version(schema.id.version_text, self.versioning)
        if not vendor or version is None:
            raise UsageError(
                f"cannot map schemas/{schema.id} to an Iglu schema key (vendor {vendor!r}, "
                f"version {schema.id.version_text!r})",
                hint="Iglu needs self.vendor and a SchemaVer (or MAJOR-MINOR, sent as M-0-m) version",
            )
        for part in (vendor, schema.name):
            try:
                ok = safe_segment(part, "Iglu vendor/name") == part
            except UnsafeName:
                ok = False
            if not ok:
                raise UsageError(f"cannot push schemas/{schema.id}: {part!r} is not a safe Iglu vendor/name")
        key = IgluKey((vendor, schema.name, "jsonschema", version))
        data = copy.deepcopy(schema.data)
        data.pop("$id", None)
        if data.get("$schema") in (
            None,
            "http://json-schema.org/draft-07/schema#",
            "http://json-schema.org/schema#",
        ):
            data["$schema"] = SELF_DESC
        data["self"] = {"vendor": vendor, "name": schema.name, "format": "jsonschema", "version": version}
        return key, data

    def push(self, scope: Scope, schemas: list[Any], options: PushOptions) -> PushResult:
        if options.delete:
            raise UsageError(
                "deleting schemas from an Iglu registry is not supported",
                hint="Iglu schemas are immutable once published; publish a new version",
            )
        result_notes = [
            f"{s.name}: self.metadata is not part of Iglu's self block and is not sent"
            for s in schemas
            if s.metadata
        ]
        pairs = sorted((self._to_iglu(s) for s in schemas), key=lambda p: (p[0][0], p[0][1], _ver(p[0][3])))
        folder = self._folder()
        if folder is not None:
            result = self._push_folder(folder, pairs, options)
        else:
            with self._client() as client:
                if not self._is_server(client):
                    raise UsageError(
                        f"{self.url} is a static Iglu registry over HTTP, which cannot be written to",
                        hint="push to its folder (url: a path) or to an Iglu Server",
                    )
                result = self._push_server(client, pairs, options)
        result.notes[:0] = result_notes
        return result

    def _push_folder(self, folder: Path, pairs: list, options: PushOptions) -> PushResult:
        result = PushResult(target=f"Iglu static registry {folder}")
        writes = []
        for key, data in pairs:
            path = folder.joinpath(*key)
            old = _load_or_none(path)
            if old == data:
                continue
            # an unreadable or unparsable file is still there: overwriting it is a change, not an addition
            result.changes.append(Change("changed" if path.exists() else "added", key.uri))
            writes.append((path, data))
        if options.dry_run or not writes:
            return result
        for path, data in writes:
            fsutil.atomic_write_text(path, render_schema(data))
        result.applied = True
        return result

    def _push_server(self, client: HttpClient, pairs: list, options: PushOptions) -> PushResult:
        result = PushResult(target=f"Iglu Server {self.url}")
        sends = []
        for key, data in pairs:
            route = "/api/schemas/" + "/".join(quote(p, safe="") for p in key)
            response = client.request("GET", route, doing=f"reading {key.uri}", allow=(404,))
            old = client.json(response, f"reading {key.uri}") if response.status_code == 200 else None
            if isinstance(old, dict):
                old.pop("metadata", None)  # repr=meta style bookkeeping is not part of the schema
            if old == data:
                continue
            result.changes.append(Change("added" if old is None else "changed", key.uri))
            sends.append((key, route, data))
        if options.dry_run or not sends:
            return result
        for done, (key, route, data) in enumerate(sends):
            try:
                client.request(
                    "PUT",
                    route,
                    doing=f"publishing {key.uri}",
                    content=json.dumps(data),
                    headers={"Content-Type": "application/json"},
                    params={"isPublic": "false"},
                )
            except ReflektError as exc:
                if done:
                    exc.message += f" ({done} of {len(sends)} schema(s) were published before this failure)"
                raise
        result.applied = True
        return result


def _ver(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("-") if p.isdigit())


def _load_or_none(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable: compared as different, reported as changed
        return None
