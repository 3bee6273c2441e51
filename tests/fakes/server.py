"""A tiny threaded HTTP server on 127.0.0.1 (ephemeral port) that hands requests to a fake app."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Fault:
    """A canned failure for the next matching request(s): status/body/headers, or a delay (timeout)."""

    reply: Reply
    method: str | None = None
    path_prefix: str = ""
    times: int = 1


class FakeServer:
    def __init__(self, handle: Callable[[Request], Reply]) -> None:
        self.handle = handle
        self.faults: list[Fault] = []
        self.log: list[Request] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:  # keep test output clean
                pass

            def _serve(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command,
                    split.path,
                    parse_qsl(split.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                owner.log.append(request)
                reply = owner._fault_for(request) or owner.handle(request)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def _fault_for(self, request: Request) -> Reply | None:
        for fault in self.faults:
            if fault.times <= 0:
                continue
            if fault.method and fault.method != request.method:
                continue
            if not request.path.startswith(fault.path_prefix):
                continue
            fault.times -= 1
            return fault.reply
        return None

    def fail(self, reply: Reply, *, method: str | None = None, path_prefix: str = "", times: int = 1) -> None:
        self.faults.append(Fault(reply, method, path_prefix, times))

    def requests(self, method: str | None = None) -> list[Request]:
        return [r for r in self.log if method is None or r.method == method]

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_Fake = TypeVar("_Fake", bound="ServedFake")


class ServedFake:
    """Base of a fake registry: it answers through `self.server` (a FakeServer) while in `with`."""

    server: FakeServer

    def __enter__(self: _Fake) -> _Fake:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    @property
    def url(self) -> str:
        return self.server.url
