"""A small Streamable HTTP MCP client on httpx that keeps what the SDK hides: status codes,
the server's own error bodies, the session id and the time of every step.

It speaks what pflow's client (the MCP Python SDK 1.x) speaks: POST JSON-RPC with
`Accept: application/json, text/event-stream`, answers as JSON or as an SSE stream,
`Mcp-Session-Id` and `MCP-Protocol-Version` on every request after `initialize`.
"""

from __future__ import annotations

import itertools
import json
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import __version__
from .exits import Cause

PROTOCOL_VERSION = "2025-06-18"
CLIENT_INFO = {"name": "pflow-gateway", "version": __version__}


class Failure(Exception):
    """A step failed, for a cause (exits.py maps each cause to its exit status)."""

    def __init__(
        self,
        cause: Cause,
        message: str,
        *,
        step: str = "",
        status: int | None = None,
        body: str = "",
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.cause, self.message, self.step, self.status = cause, message, step, status
        self.body, self.headers = body, headers or {}


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def classify_transport_error(exc: httpx.HTTPError, url: str) -> Failure:
    """Name the cause of a failed connection from the exception chain, not from guesses."""
    text = " | ".join(str(e) for e in _chain(exc))
    if isinstance(exc, httpx.TimeoutException):
        what = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for an answer"
        return Failure(Cause.TIMEOUT, f"timed out {what} ({type(exc).__name__})")
    for inner in _chain(exc):
        if isinstance(inner, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(inner):
            reason = getattr(inner, "verify_message", "") or str(inner)
            return Failure(Cause.TLS, f"TLS certificate verification failed: {reason}")
        if isinstance(inner, ssl.SSLError):
            return Failure(Cause.TLS, f"TLS handshake failed: {inner}")
        if isinstance(inner, socket.gaierror):
            return Failure(Cause.DNS, f"cannot resolve the host name: {inner}")
        if isinstance(inner, ConnectionRefusedError):
            return Failure(Cause.REFUSED, f"connection refused: nothing listens at {_host_port(url)}")
    if "Connection refused" in text or "Errno 111" in text:
        return Failure(Cause.REFUSED, f"connection refused: nothing listens at {_host_port(url)}")
    if "Name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
        return Failure(Cause.DNS, f"cannot resolve the host name: {text}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return Failure(Cause.PROTOCOL, f"the server closed the connection or answered out of protocol: {text}")
    return Failure(Cause.NETWORK, f"{type(exc).__name__}: {text}")


def _host_port(url: str) -> str:
    u = httpx.URL(url)
    return f"{u.host}:{u.port or (443 if u.scheme == 'https' else 80)}"


@dataclass
class Session:
    url: str
    headers: dict[str, str] = field(repr=False)
    timeout: float = 30.0
    verify: bool | str = True
    session_id: str | None = None
    protocol_version: str | None = None
    server_info: dict[str, Any] = field(default_factory=dict)
    capabilities: dict[str, Any] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # step -> milliseconds
    _next_id: int = 0

    def __post_init__(self) -> None:
        self.http = httpx.Client(timeout=self.timeout, verify=self.verify, follow_redirects=False)

    # -- plumbing -------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        out = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json", **self.headers}
        if self.session_id:
            out["Mcp-Session-Id"] = self.session_id
        if self.protocol_version:
            out["MCP-Protocol-Version"] = self.protocol_version
        return out

    def _post(self, message: dict[str, Any], step: str) -> dict[str, Any] | None:
        """POST one JSON-RPC message; return the response to it (None for a notification)."""
        try:
            with self.http.stream("POST", self.url, json=message, headers=self._headers()) as resp:
                if step == "initialize":
                    self.response_headers = dict(resp.headers)
                if resp.status_code >= 400:
                    body = resp.read().decode("utf-8", "replace")
                    raise _http_failure(resp.status_code, body, dict(resp.headers), step)
                if "id" not in message:
                    resp.read()
                    return None
                sid = resp.headers.get("mcp-session-id")
                if sid and step == "initialize":
                    self.session_id = sid
                if resp.headers.get("content-type", "").startswith("text/event-stream"):
                    return self._read_sse(resp, message["id"], step)
                return _read_json(resp, step)
        except httpx.HTTPError as exc:
            failure = classify_transport_error(exc, self.url)
            failure.step = step
            raise failure from exc

    def _read_sse(self, resp: httpx.Response, wanted: int, step: str) -> dict[str, Any]:
        """The answer to request `wanted` from an event stream; other events are skipped."""
        data_lines: list[str] = []
        for line in itertools.chain(resp.iter_lines(), [""]):  # the blank line ends a last event
            if line.startswith("data:"):
                data_lines.append(line[5:].lstrip())
            elif line == "" and data_lines:
                try:
                    message = json.loads("\n".join(data_lines))
                except ValueError:
                    message = None
                data_lines = []
                if isinstance(message, dict) and message.get("id") == wanted:
                    return _check_rpc(message, step, resp.status_code)
        raise Failure(Cause.PROTOCOL, "the event stream ended without an answer to the request", step=step)

    def request(self, method: str, params: dict[str, Any], step: str) -> dict[str, Any]:
        self._next_id += 1
        message = {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}
        started = time.perf_counter()
        try:
            answer = self._post(message, step)
            assert answer is not None  # a request (it has an id) always gets an answer or a Failure
            result: dict[str, Any] = answer["result"]
            return result
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + (time.perf_counter() - started) * 1000

    # -- MCP ------------------------------------------------------------------------------------
    def initialize(self) -> dict[str, Any]:
        result = self.request(
            "initialize",
            {"protocolVersion": PROTOCOL_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO},
            "initialize",
        )
        self.protocol_version = result.get("protocolVersion") or PROTOCOL_VERSION
        self.server_info = result.get("serverInfo") or {}
        self.capabilities = result.get("capabilities") or {}
        self._post({"jsonrpc": "2.0", "method": "notifications/initialized"}, "initialized")
        return result

    def list_tools(self, progress: Callable[[str], None] | None = None) -> list[list[dict[str, Any]]]:
        """Every page of tools/list, following nextCursor. Returns the pages."""
        pages: list[list[dict[str, Any]]] = []
        cursor = None
        while True:
            if progress and pages:
                progress(f"listing tools: page {len(pages) + 1}")
            result = self.request("tools/list", {"cursor": cursor} if cursor else {}, "list")
            pages.append(list(result.get("tools") or []))
            cursor = result.get("nextCursor")
            if not cursor or len(pages) >= 1000:
                return pages

    def call_tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return self.request("tools/call", {"name": name, "arguments": arguments}, "call")

    def ping(self) -> dict[str, Any]:
        return self.request("ping", {}, "call")

    def close(self) -> None:
        if self.session_id:
            try:
                self.http.delete(self.url, headers=self._headers(), timeout=min(self.timeout, 5))
            except httpx.HTTPError:
                pass
        self.http.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_json(resp: httpx.Response, step: str) -> dict[str, Any]:
    """A JSON-RPC answer sent as plain JSON."""
    body = resp.read().decode("utf-8", "replace")
    try:
        data = json.loads(body)
    except ValueError:
        kind = resp.headers.get("content-type") or "no content type"
        raise Failure(
            Cause.NOT_MCP,
            f"HTTP {resp.status_code} with a body that is not JSON-RPC ({kind}): {body[:200]!r}",
            step=step,
            status=resp.status_code,
            body=body,
        ) from None
    return _check_rpc(data, step, resp.status_code)


def _check_rpc(data: Any, step: str, status: int) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("jsonrpc") != "2.0":
        raise Failure(
            Cause.NOT_MCP, f"HTTP {status} with JSON that is not JSON-RPC: {str(data)[:200]}", step=step, status=status
        )
    if "error" in data:
        err = data["error"] or {}
        raise Failure(
            Cause.RPC_ERROR,
            f"JSON-RPC error {err.get('code')}: {err.get('message')}",
            step=step,
            status=status,
            body=json.dumps(err),
        )
    if "result" not in data:
        raise Failure(Cause.NOT_MCP, f"a JSON-RPC answer without result: {str(data)[:200]}", step=step, status=status)
    return data


def _http_failure(status: int, body: str, headers: dict[str, str], step: str) -> Failure:
    said = _server_message(body)
    if status in (401, 403):
        cause = Cause.AUTH
        msg = f"HTTP {status} {'Unauthorized' if status == 401 else 'Forbidden'}: the server says {said!r}"
    elif status in (404, 405):
        cause = Cause.PATH
        msg = f"HTTP {status} {'Not Found' if status == 404 else 'Method Not Allowed'}: no MCP endpoint at this path ({said!r})"
    elif status == 429:
        cause = Cause.RATE_LIMITED
        msg = f"HTTP 429 Too Many Requests: {said!r}"
    else:
        cause = Cause.SERVER_ERROR
        msg = f"HTTP {status}: {said!r}"
    return Failure(cause, msg, step=step, status=status, body=body, headers=headers)


def _server_message(body: str) -> str:
    """The server's own words: `detail`/`message`/`error` of a JSON body, else the text."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip()[:300]
    if isinstance(data, dict):
        for key in ("detail", "message", "error"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message") or json.dumps(value)
            if value:
                return str(value)[:300]
    return body.strip()[:300]
