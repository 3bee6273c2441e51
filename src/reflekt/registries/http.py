"""One HTTP client for every registry: timeouts, bounded retries with backoff, error mapping.

Retries cover 429 and 5xx (and timeouts / refused connections), honour Retry-After and
X-RateLimit-Reset, and never sleep longer than `max_retry_sleep`. Non-idempotent requests
(POST) are retried only when the server surely did not act on them (429, connect errors).
Redirects are followed only within the same origin, so credentials never reach another host.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from reflekt import logs
from reflekt.errors import ConnectionFailed, ReflektError


@dataclass
class HttpSettings:
    timeout: float = 30.0
    connect_timeout: float = 10.0
    retries: int = 4  # extra attempts after the first
    backoff_base: float = 0.5  # seconds; doubles each attempt
    max_retry_sleep: float = 30.0  # cap for any single wait, whatever the server asks


# Module-level so tests (and a future config key) can shrink timeouts and backoff.
SETTINGS = HttpSettings()


MAX_REDIRECTS = 10


class RegistryRequestError(ReflektError):
    """The registry understood the request and refused it (404, 409, 422 ...)."""


class HttpClient:
    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        settings: HttpSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        error_message: Callable[[httpx.Response], str] | None = None,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.settings = settings or SETTINGS
        self._sleep = sleep
        self._error_message = error_message or default_error_message
        timeout = httpx.Timeout(self.settings.timeout, connect=self.settings.connect_timeout)
        self._client = httpx.Client(
            # Redirects are followed by hand: httpx strips only `Authorization` when a redirect
            # leaves the origin, so an `apikey` header would reach the other host.
            base_url=self.base_url,
            headers=headers or {},
            auth=auth,
            timeout=timeout,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        params: Any = None,
        json_body: Any = None,
        content: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
        allow: tuple[int, ...] = (),
    ) -> httpx.Response:
        """Send with retries. `doing` names the action for messages ('listing rules of plan X').

        Statuses in `allow` are returned to the caller instead of raised (e.g. 404 = missing).
        """
        idempotent = method.upper() != "POST"
        attempt = 0
        while True:
            try:
                response = self._send(method, path, doing, params, json_body, content, headers)
            except httpx.HTTPError as exc:
                # A connect failure means the server never saw the request: even a POST may retry.
                retry = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)) or (
                    idempotent and isinstance(exc, httpx.TimeoutException)
                )
                if retry and attempt < self.settings.retries:
                    self._wait(attempt, None, f"{_failure_word(exc)} while {doing}")
                    attempt += 1
                    continue
                raise _connection_failed(self.service, self.base_url, doing, exc) from None
            status = response.status_code
            logs.logger.debug("%s %s -> %s", method, response.request.url, status)
            retryable = status == 429 or (status >= 500 and idempotent)
            if retryable and attempt < self.settings.retries:
                self._wait(attempt, response, f"{status} while {doing}")
                attempt += 1
                continue
            if status in ok or status in allow:
                return response
            raise self._failure(response, doing)

    def _send(
        self, method: str, path: str, doing: str, params: Any, json_body: Any, content: Any, headers: Any
    ) -> httpx.Response:
        """One attempt, following redirects that stay on the same origin (scheme, host and port)."""
        response = self._client.request(
            method, path, params=params, json=json_body, content=content, headers=headers
        )
        for _hop in range(MAX_REDIRECTS):
            redirect = response.next_request  # httpx builds it (without following) for any 3xx + Location
            if redirect is None:
                return response
            origin, target = response.request.url, redirect.url
            if not _same_origin(origin, target):
                raise ConnectionFailed(
                    f"{self.service} redirected to another host while {doing}: {_origin(origin)} -> "
                    f"{_origin(target)}; not followed, so the credentials stay with {_origin(origin)}",
                    hint=f"set the registry `url:` in reflekt_profiles.yml to the final address ({_origin(target)})",
                )
            logs.logger.debug("%s %s -> %s, following to %s", method, origin, response.status_code, target)
            response.close()
            response = self._client.send(redirect)
        raise ConnectionFailed(
            f"{self.service} redirected more than {MAX_REDIRECTS} times while {doing} ({self.base_url})",
            hint="check the registry `url:` in reflekt_profiles.yml",
        )

    def json(self, response: httpx.Response, doing: str) -> Any:
        """Parse a body; a truncated or non-JSON body is a connection problem, not a crash."""
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            raise ConnectionFailed(
                f"{self.service} returned an invalid JSON body while {doing} "
                f"(HTTP {response.status_code}, {len(response.content)} bytes)",
                hint="the response was cut off or is not JSON; try again, or check the registry `url:`",
            ) from None

    def _wait(self, attempt: int, response: httpx.Response | None, why: str) -> None:
        delay = self.settings.backoff_base * (2**attempt)
        if response is not None:
            asked = server_delay(response.headers, response.content)
            if asked is not None:
                delay = asked
        delay = max(0.0, min(delay, self.settings.max_retry_sleep))
        logs.logger.info("%s: %s; retrying in %.2fs", self.service, why, delay)
        self._sleep(delay)

    def _failure(self, response: httpx.Response, doing: str) -> ReflektError:
        status = response.status_code
        detail = self._error_message(response)
        suffix = f": {detail}" if detail else ""
        if status in (401, 403):
            word = "rejected the credentials" if status == 401 else "refused access"
            return ConnectionFailed(
                f"{self.service} {word} (HTTP {status}) while {doing}{suffix}",
                hint="check the token / key in reflekt_profiles.yml and its permissions",
            )
        if status == 429:
            return ConnectionFailed(
                f"{self.service} kept rate-limiting (HTTP 429) while {doing}; gave up after "
                f"{self.settings.retries + 1} attempts",
                hint="wait a minute and run again",
            )
        if status >= 500:
            return ConnectionFailed(
                f"{self.service} failed with HTTP {status} while {doing}{suffix}",
                hint="the registry had an internal error; try again later",
            )
        hints = {
            404: "check the name in --select and the registry `url:`",
            409: "the registry refused the change as a conflict",
            413: "the payload is too large; push fewer schemas at once",
            422: "the registry rejected the data; fix the schema and push again",
        }
        return RegistryRequestError(
            f"{self.service} answered HTTP {status} while {doing}{suffix}",
            hint=hints.get(status, "see the registry's message above"),
        )


def _same_origin(origin: httpx.URL, target: httpx.URL) -> bool:
    """Same scheme, host and port; or the same host upgraded from http to https on default ports."""
    if (target.scheme, target.host, target.port) == (origin.scheme, origin.host, origin.port):
        return True
    return (
        target.host == origin.host
        and (origin.scheme, origin.port, target.scheme, target.port) == ("http", None, "https", None)
    )


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"


def _failure_word(exc: httpx.HTTPError) -> str:
    return "timeout" if isinstance(exc, httpx.TimeoutException) else "cannot connect"


def _connection_failed(service: str, base_url: str, doing: str, exc: httpx.HTTPError) -> ConnectionFailed:
    if isinstance(exc, httpx.TimeoutException):
        return ConnectionFailed(
            f"{service} did not answer in time while {doing} ({base_url})",
            hint="check the network or the registry `url:`; the registry may be slow or down",
        )
    return ConnectionFailed(
        f"cannot reach {service} at {base_url} while {doing}: {type(exc).__name__}",
        hint="check the registry `url:` in reflekt_profiles.yml and your network",
    )


def json_or_none(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON (or nested too deeply to parse): for error bodies."""
    try:
        return response.json()
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def server_delay(headers: httpx.Headers, body: bytes = b"") -> float | None:
    """Seconds the server asked us to wait, from (first match wins):
    Retry-After (seconds or HTTP date); X-RateLimit-Reset (Segment: an RFC 5322 date; others:
    epoch seconds/milliseconds or seconds from now); Segment's 429 body `errors[].data.msBeforeNext`.
    """
    value = headers.get("retry-after")
    if value:
        seconds = _seconds_until(value, relative_numbers=True)
        if seconds is not None:
            return seconds
    reset = headers.get("x-ratelimit-reset")
    if reset:
        seconds = _seconds_until(reset, relative_numbers=False)
        if seconds is not None:
            return seconds
    return _ms_before_next(body)


def _seconds_until(value: str, *, relative_numbers: bool) -> float | None:
    try:
        number = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, parsed.timestamp() - time.time())
    if relative_numbers:
        return max(0.0, number)
    now = time.time()
    if number > now * 100:  # epoch milliseconds
        return max(0.0, number / 1000 - now)
    if number > now / 2:  # epoch seconds
        return max(0.0, number - now)
    return max(0.0, number)  # seconds from now


def _ms_before_next(body: bytes) -> float | None:
    try:
        errors = json.loads(body).get("errors") if body else None
    except (ValueError, AttributeError, RecursionError):
        return None
    for item in errors if isinstance(errors, list) else []:
        data = item.get("data") if isinstance(item, dict) else None
        if isinstance(data, dict) and isinstance(data.get("msBeforeNext"), (int, float)):
            return max(0.0, data["msBeforeNext"] / 1000)
    return None


def default_error_message(response: httpx.Response) -> str:
    """The registry's own words: Segment `errors[].message`, Iglu/Avo `message`, else short text."""
    body = json_or_none(response)
    if body is None:
        return response.text.strip()[:200]
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            parts = []
            for item in errors:
                if isinstance(item, dict):
                    msg = str(item.get("message") or item.get("type") or "")
                    if item.get("field"):
                        msg += f" (field {item['field']})"
                    parts.append(msg)
            return "; ".join(p for p in parts if p)
        for key in ("message", "error"):
            if isinstance(body.get(key), str):
                return body[key]
    return ""
