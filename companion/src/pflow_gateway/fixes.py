"""For every cause of failure, the fix to print: what to change, named with the reader's own values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from .client import Failure, Session
from .config import Server, jwt_claims
from .exits import Cause
from .output import Report

Fix = Callable[[Report, Server, Failure], str]


def fix_for(report: Report, server: Server, failure: Failure) -> str:
    fix = FIXES.get(report["cause"])
    return fix(report, server, failure) if fix else "see the message above"


def refine_auth(report: Report, server: Server) -> None:
    """A 401 with an expired JWT is an expired token, not a wrong one: say so, with the time."""
    if report["cause"] != Cause.AUTH:
        return
    claims = jwt_claims(server.bearer_token)
    if claims and isinstance(claims.get("exp"), (int, float)):
        expired = datetime.fromtimestamp(claims["exp"], UTC)
        now = datetime.now(UTC)
        if expired <= now:
            ago = int((now - expired).total_seconds() // 60)
            report["cause"] = Cause.EXPIRED_TOKEN
            report["token_expired_at"] = expired.isoformat(timespec="seconds")
            report["message"] += f"; the token expired at {expired:%Y-%m-%d %H:%M:%S} UTC ({ago} min ago)"
    elif claims is not None and "exp" not in claims:
        report["message"] += "; the token has no exp claim"


def _says(text: str) -> Fix:
    return lambda report, server, failure: text


def _refused(report: Report, server: Server, failure: Failure) -> str:
    u = httpx.URL(server.url)
    return (
        f"start the server, or correct the port in pflow's entry (url {_written_url(server)}); "
        f"nothing accepts connections on {u.host}:{u.port}"
    )


def _dns(report: Report, server: Server, failure: Failure) -> str:
    host = httpx.URL(server.url).host
    return f"correct the host name '{host}' in the url ({_written_url(server)}), or add it to DNS or /etc/hosts"


def _tls(report: Report, server: Server, failure: Failure) -> str:
    if "WRONG_VERSION_NUMBER" in failure.message or "wrong version number" in failure.message:
        return "the server speaks plain HTTP here: use http:// in the url"
    return (
        "give the server a certificate this machine trusts, or trust its CA: export SSL_CERT_FILE=/path/"
        "to/ca.pem (pflow's HTTP client reads it; it replaces the default CA bundle)"
    )


def _timeout(report: Report, server: Server, failure: Failure) -> str:
    return (
        f"the server took longer than {server.timeout:g} s: check that it is up and is an MCP server, "
        'or raise the entry\'s "timeout" (seconds, as pflow reads it)'
    )


def _expired_token(report: Report, server: Server, failure: Failure) -> str:
    said_detail = "detail" in (report.get("server_said") or "")  # ContextForge's error bodies are {"detail": ...}
    contextforge = said_detail or (report.get("gateway") or {}).get("kind") == "contextforge"
    mint = (
        'python -m mcpgateway.utils.create_jwt_token --username EMAIL --exp MINUTES --secret "$JWT_SECRET_KEY"'
        if contextforge
        else "a new token from the gateway"
    )
    return f"mint a new token ({mint}) and export {_token_var(server) or 'the variable the entry names'} again"


def _auth(report: Report, server: Server, failure: Failure) -> str:
    var = _token_var(server)
    claims = jwt_claims(server.bearer_token)
    if "Authorization" not in server.headers and server.auth_type is None:
        return (
            'the entry sends no credentials: add "auth": {"type": "bearer", "token": "${VAR}"} '
            "(pflow-gateway setup KIND NAME --url URL --token-env VAR)"
        )
    if "Authorization" not in server.headers:
        return f"the token is empty after expansion: export {var or 'the token variable'} with a real token"
    source = server.sources.get(var or "", "the entry")
    if report.get("http_status") == 403:
        return (
            f"the token in {var or 'the entry'} ({source}) is valid but not allowed here: use a token "
            "with access to this server (Docker's gateway also answers 403 to a non-localhost Origin)"
        )
    if claims is not None and "exp" not in claims:
        return (
            "ContextForge refuses tokens without an expiry (REQUIRE_TOKEN_EXPIRATION): mint one with "
            "--exp MINUTES greater than 0"
        )
    return (
        f"the token in {var or 'the entry'} (from {source}) is not accepted: use a token made for this "
        "gateway (ContextForge: signed with its JWT_SECRET_KEY, for a user it knows; Docker: "
        "MCP_GATEWAY_AUTH_TOKEN as the gateway was started with)"
    )


def _path(report: Report, server: Server, failure: Failure) -> str:
    found = find_mcp_path(server)
    where = f"; an MCP endpoint answers at {found}" if found else ""
    return (
        f"the path '{httpx.URL(server.url).path}' is not an MCP endpoint{where}. Gateways serve /mcp "
        "(ContextForge also /servers/<id>/mcp); correct the url in pflow's entry"
    )


def find_mcp_path(server: Server) -> str | None:
    """After a 404/405, try the usual paths at the same host: an MCP answer there is the fix."""
    u = httpx.URL(server.url)
    for path in ("/mcp", "/mcp/"):
        if path == u.path:
            continue
        candidate = str(u.copy_with(path=path, query=None))
        try:
            with Session(candidate, server.headers, timeout=min(server.timeout, 5.0)) as probe:
                probe.initialize()
                return candidate
        except Failure as failure:
            if failure.cause in (Cause.AUTH, Cause.EXPIRED_TOKEN):
                return candidate
    return None


def _written_url(server: Server) -> str:
    """The url as the entry writes it, variables unexpanded."""
    return str(server.raw.get("url", server.url))


def _token_var(server: Server) -> str | None:
    auth = server.raw.get("auth") or {}
    found = re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", str(auth.get("token") or auth.get("key") or ""))
    return found[0] if found else None


FIXES: dict[Cause, Fix] = {
    Cause.REFUSED: _refused,
    Cause.DNS: _dns,
    Cause.TLS: _tls,
    Cause.TIMEOUT: _timeout,
    Cause.EXPIRED_TOKEN: _expired_token,
    Cause.AUTH: _auth,
    Cause.PATH: _path,
    Cause.NOT_MCP: _says(
        "this URL answers, but not with MCP: check the path and that no proxy or login page is in the way"
    ),
    Cause.RATE_LIMITED: _says(
        "wait and retry; ContextForge limits requests per minute (RATE_LIMITING_ENABLED, RATE_LIMIT_*)"
    ),
    Cause.SERVER_ERROR: _says("the server failed on its side: read its log"),
    Cause.TOOL_ERROR: _says(
        "the gateway answered but the tool failed: check the backend service behind it "
        "(pflow-gateway services NAME) and the arguments"
    ),
    Cause.RPC_ERROR: _says(
        "the server rejected the request: check the tool name and arguments (pflow-gateway test NAME lists tools)"
    ),
}
