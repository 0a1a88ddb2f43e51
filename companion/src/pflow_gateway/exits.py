"""pflow-gateway's exit statuses, as data: each status, what it means, and the causes that end in it.

A cause is the `cause` of the JSON output: what went wrong, named for scripts. Every cause ends in
exactly one exit status. `--help` prints this table, and docs/reference/companion.md shows it
(tests/test_companion.py compares the page's table with this one, row by row).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Cause(StrEnum):
    TOOL_ERROR = "tool_error"
    DEGRADED = "degraded"
    NOT_CONFIGURED = "not_configured"
    NOT_HTTP = "not_http"
    MISSING_ENV = "missing_env"
    NO_URL = "no_url"
    BAD_ARGS = "bad_args"
    REFUSED = "refused"
    DNS = "dns"
    TLS = "tls"
    TIMEOUT = "timeout"
    NETWORK = "network"
    AUTH = "auth"
    EXPIRED_TOKEN = "expired_token"
    PATH = "path"
    NOT_MCP = "not_mcp"
    PROTOCOL = "protocol"
    RPC_ERROR = "rpc_error"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    PFLOW_ADD = "pflow_add"


class Exit(IntEnum):
    """An exit status: its number, its meaning (as `--help` and the page say it) and its causes."""

    meaning: str
    causes: tuple[Cause, ...]

    def __new__(cls, code: int, meaning: str, causes: tuple[Cause, ...]) -> Exit:
        member = int.__new__(cls, code)
        member._value_ = code
        member.meaning = meaning
        member.causes = causes
        return member

    OK = 0, "everything checked works (health: healthy)", ()
    DEGRADED = (
        1,
        "degraded: the gateway answers, but a tool call failed or a backend service is unreachable",
        (Cause.TOOL_ERROR, Cause.DEGRADED),
    )
    USAGE = 2, "wrong command-line arguments", ()
    CONFIG = (
        3,
        "pflow's entry cannot be used: no such server, not HTTP, a variable is missing, bad --args",
        (Cause.NOT_CONFIGURED, Cause.NOT_HTTP, Cause.MISSING_ENV, Cause.NO_URL, Cause.BAD_ARGS),
    )
    NETWORK = (
        4,
        "no connection: refused, DNS failure, TLS verification, timeout",
        (Cause.REFUSED, Cause.DNS, Cause.TLS, Cause.TIMEOUT, Cause.NETWORK),
    )
    AUTH = 5, "the server refused the credentials: HTTP 401 or 403, expired token", (Cause.AUTH, Cause.EXPIRED_TOKEN)
    ENDPOINT = (
        6,
        "no MCP endpoint at that URL: HTTP 404 or 405, or an answer that is not MCP",
        (Cause.PATH, Cause.NOT_MCP),
    )
    SERVER = (
        7,
        "the server failed: HTTP 5xx or 429, a JSON-RPC error, a broken event stream",
        (Cause.PROTOCOL, Cause.RPC_ERROR, Cause.SERVER_ERROR, Cause.RATE_LIMITED),
    )
    PFLOW = 8, "setup: `pflow mcp add` refused the entry or could not run", (Cause.PFLOW_ADD,)

    @classmethod
    def of(cls, cause: Cause) -> Exit:
        """The exit status a cause ends in."""
        return next(status for status in cls if cause in status.causes)


def help_epilog() -> str:
    """The `exit status:` section at the end of every `--help`."""
    return "exit status:\n" + "\n".join(f"  {status.value}  {status.meaning}" for status in Exit)
