"""The OAuth page's lab: an OAuth-protected MCP backend, ContextForge, and the authorization server's script.

    with Lab(root) as lab, contextforge_oauth(lab) as env:   # env: what the page's shell exports
        start_authorization_server(lab, env)                  # tests; the page's reader starts it in a fence
        ...

Readers start it with `lab up contextforge-oauth`. It starts, on free loopback ports:

- `notes` (`gatewaylab.oauth_backend`), a Streamable HTTP MCP server that takes only access tokens
  the authorization server says are active, issued for it, with scope `notes:read`;
- `contextforge`, with the setup guide's settings and nothing registered.

It picks the authorization server's port and makes both clients' secrets, as the server's
administrator would hand them out, but does not start the server: the page's reader does, in the
background (`AUTH_SERVER_SCRIPT`: oidc-provider from npm, installed by `scripts/setup`), so that
they can stop it and read its log. Whatever runs there is stopped when the scenario ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import sys
from collections.abc import Iterator

from .envs import REPO, SetupError
from .lab import GENERATED_SECRETS, Backend, Lab
from .procs import processes

AUTH_SERVER_DIR = REPO / "scripts" / "oauth-server"
AUTH_SERVER_SCRIPT = AUTH_SERVER_DIR / "authorization-server.mjs"
# Short-lived access tokens, so that a workflow outlives one within seconds (but long enough for a
# loaded machine to get from the token request to the backend's check).
TOKEN_TTL = 10


def _check_installed() -> None:
    if not shutil.which("node"):
        raise SetupError("node is not installed: the OAuth page's authorization server runs on Node.js 20+.")
    if not (AUTH_SERVER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise SetupError(f"oidc-provider is not installed in {AUTH_SERVER_DIR}: run `bash scripts/setup`.")


def auth_server_argv(port: int) -> list[str]:
    """The command the page shows, `node "$AUTH_SERVER_SCRIPT" --port "$AUTH_SERVER_PORT"`."""
    return ["node", str(AUTH_SERVER_SCRIPT), "--port", str(port)]


def start_authorization_server(lab: Lab, env: dict[str, str], ttl: int = TOKEN_TTL):
    """Start the authorization server as the page's reader does (tests), and wait for its metadata."""
    port = int(env["AUTH_SERVER_PORT"])
    return lab.start_server(
        "auth-server",
        auth_server_argv(port),
        f"http://127.0.0.1:{port}/.well-known/openid-configuration",
        port=port,
        env={**env, "AUTH_TOKEN_TTL": str(ttl)},
    )


def _stop_reader_auth_server(port: int) -> None:
    """Stop an authorization server the page's reader started on `port` (found by its command line)."""
    wanted = auth_server_argv(port)[1:]
    for proc in processes():
        if proc.argv[1:4] == wanted:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)


@contextlib.contextmanager
def contextforge_oauth(lab: Lab) -> Iterator[dict[str, str]]:
    """An OAuth-protected backend (notes), ContextForge, and an authorization server's port and clients."""
    _check_installed()
    auth_port, notes_port = lab.port("auth-server"), lab.port("notes")
    clients = {
        "GATEWAY_CLIENT_ID": "contextforge",
        "GATEWAY_CLIENT_SECRET": secrets.token_urlsafe(32),
        "NOTES_CLIENT_ID": "notes",
        "NOTES_CLIENT_SECRET": secrets.token_urlsafe(32),
        # The gateway's next secret, for the page's section on a rotated secret.
        "ROTATED_CLIENT_SECRET": secrets.token_urlsafe(32),
    }
    GENERATED_SECRETS.update(value for key, value in clients.items() if key.endswith("SECRET"))
    try:
        notes = lab.start_server(
            "notes",
            [
                sys.executable,
                "-m",
                "gatewaylab.oauth_backend",
                "--port",
                str(notes_port),
                "--issuer",
                f"http://127.0.0.1:{auth_port}",
            ],
            f"http://127.0.0.1:{notes_port}/health",
            port=notes_port,
            env={key: clients[key] for key in ("NOTES_CLIENT_ID", "NOTES_CLIENT_SECRET")},
        )
        lab.backends["notes"] = Backend("notes", notes_port, notes)  # listed with its MCP URL, NOTES_PORT in env()
        lab.start_contextforge()
        yield {
            **lab.env(),
            **clients,
            "NOTES_URL": f"http://127.0.0.1:{notes_port}/mcp",
            "AUTH_SERVER_PORT": str(auth_port),
            "AUTH_SERVER_SCRIPT": str(AUTH_SERVER_SCRIPT),
        }
    finally:
        _stop_reader_auth_server(auth_port)


__all__ = ["contextforge_oauth", "start_authorization_server", "TOKEN_TTL", "AUTH_SERVER_SCRIPT"]
