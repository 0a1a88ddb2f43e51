"""`notes`: an MCP server over Streamable HTTP that takes only access tokens from an OAuth 2 authorization server.

It is a resource server as the MCP authorization spec describes one, built with the `mcp` SDK's
own auth support: it publishes its protected resource metadata (RFC 9728) at
`/.well-known/oauth-protected-resource/mcp`, answers a request without a valid token with 401 and
a `WWW-Authenticate` header that points there, and one without the scope `notes:read` with 403.
It asks the authorization server about each token (RFC 7662 introspection, with its own client
id and secret) and accepts it only while active and issued for this server's URL.

    NOTES_CLIENT_ID=... NOTES_CLIENT_SECRET=... \
        python -m gatewaylab.oauth_backend --port 8104 --issuer http://127.0.0.1:9400
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import time

import httpx
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.fastmcp import FastMCP
from pydantic import AnyHttpUrl, BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse

REQUIRED_SCOPE = "notes:read"
log = logging.getLogger("notes")


class TokenInfo(BaseModel):
    token_id: str  # as the authorization server's log names it
    client_id: str
    scopes: list[str]
    expires_at: int  # Unix time
    expires_in: int  # seconds left when the call arrived


def token_id(token: str) -> str:
    """How the authorization server's log names a token: the first 8 hex digits of its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()[:8]


class IntrospectionVerifier:
    """Ask the authorization server whether a bearer token is active (RFC 7662)."""

    def __init__(self, introspection_url: str, client_id: str, client_secret: str):
        self.url, self.auth = introspection_url, (client_id, client_secret)

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.post(self.url, data={"token": token}, auth=self.auth)
        except httpx.HTTPError as error:
            log.warning("token %s refused: the authorization server did not answer (%s)", token_id(token), error)
            return None
        claims = answer.json() if answer.status_code == 200 else {}
        if not claims.get("active"):
            log.warning("token %s refused: not active (HTTP %s)", token_id(token), answer.status_code)
            return None
        log.info("token %s accepted: audience %s, scope %r", token_id(token), claims.get("aud"), claims.get("scope"))
        return AccessToken(
            token=token,
            client_id=claims["client_id"],
            scopes=claims.get("scope", "").split(),
            expires_at=claims.get("exp"),
            resource=claims.get("aud"),
        )


def notes_server(host: str, port: int, issuer: str) -> FastMCP:
    url = f"http://{host}:{port}/mcp"
    verifier = IntrospectionVerifier(
        f"{issuer}/token/introspection", os.environ["NOTES_CLIENT_ID"], os.environ["NOTES_CLIENT_SECRET"]
    )
    server = FastMCP(
        "notes",
        host=host,
        port=port,
        log_level="INFO",
        token_verifier=verifier,
        auth=AuthSettings(
            issuer_url=AnyHttpUrl(issuer),
            resource_server_url=AnyHttpUrl(url),
            required_scopes=[REQUIRED_SCOPE],
            validate_token_resource=True,  # refuse tokens issued for another resource (audience)
        ),
    )
    notes: list[str] = []

    @server.tool()
    def add_note(text: str) -> int:
        """Keep a note; returns how many notes there are."""
        notes.append(text)
        return len(notes)

    @server.tool()
    def list_notes() -> list[str]:
        """All notes kept so far, oldest first."""
        return list(notes)

    @server.tool()
    def whoami() -> TokenInfo:
        """Which access token this call came with: its id (as the authorization server logs it), client, scopes, expiry."""
        token = get_access_token()
        assert token is not None  # the auth middleware lets no call through without one
        expires_at = token.expires_at or 0
        return TokenInfo(
            token_id=token_id(token.token),
            client_id=token.client_id,
            scopes=token.scopes,
            expires_at=expires_at,
            expires_in=expires_at - int(time.time()),
        )

    @server.custom_route("/health", methods=["GET"])
    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "server": "notes"})

    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--issuer", required=True, help="the authorization server's URL (its issuer)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per token is enough
    notes_server(args.host, args.port, args.issuer).run(transport="streamable-http")


if __name__ == "__main__":
    main()
