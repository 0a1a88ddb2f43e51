"""Small MCP servers over Streamable HTTP or stdio: the reader's "own servers" behind a gateway.

`text-tools` works on strings and `math-tools` on numbers, so a gateway's aggregated tool
list shows plainly which backend each tool came from. Their tools declare a typed return value.
`plain-tools` is not behind any gateway: its tool declares no output type and answers in plain
text, as many MCP servers do (the tutorial runs it over stdio).

    python -m gatewaylab.backends text --port 8101
    python -m gatewaylab.backends plain --stdio
    python -m gatewaylab.backends text --stdio --start-delay 8   # answers nothing for 8 s first

`--start-delay` stands for a server that is slow to start (an image to pull, a model to load).

With BACKEND_BEARER_TOKEN set (one token, or several separated by commas), the HTTP server
answers 401 to any request to /mcp that does not carry `Authorization: Bearer <one of them>`: a remote server with a credential of its own, which
the gateway in front must send. With BACKEND_TLS_CERT and BACKEND_TLS_KEY (PEM files) it serves
HTTPS instead of HTTP.
"""

from __future__ import annotations

import argparse
import hmac
import os
import time

from mcp.server.fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse


def text_tools(host: str, port: int) -> FastMCP:
    server = FastMCP("text-tools", host=host, port=port, log_level="WARNING")

    @server.tool()
    def word_count(text: str) -> int:
        """Count the words in a text."""
        return len(text.split())

    @server.tool()
    def shout(text: str) -> str:
        """Return the text in upper case."""
        return text.upper()

    @server.tool()
    def reverse_words(text: str) -> str:
        """Return the words of a text in reverse order."""
        return " ".join(reversed(text.split()))

    return server


def math_tools(host: str, port: int) -> FastMCP:
    server = FastMCP("math-tools", host=host, port=port, log_level="WARNING")

    @server.tool()
    def add(a: float, b: float) -> float:
        """Add two numbers."""
        return a + b

    @server.tool()
    def multiply(a: float, b: float) -> float:
        """Multiply two numbers."""
        return a * b

    @server.tool()
    def square(x: float) -> float:
        """Square a number."""
        return x * x

    return server


def plain_tools(host: str, port: int) -> FastMCP:
    server = FastMCP("plain-tools", host=host, port=port, log_level="WARNING")

    @server.tool(structured_output=False)  # no output schema: the answer is a plain text block
    def initials(text: str) -> str:
        """Return the first letter of each word."""
        return "".join(word[0] for word in text.split())

    return server


BACKENDS = {"text": text_tools, "math": math_tools, "plain": plain_tools}


def main(argv: list[str] | None = None, kinds: dict = BACKENDS, description: str = __doc__) -> None:
    """Serve one of `kinds` (name -> factory(host, port) -> FastMCP) over HTTP, or over stdio."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("kind", choices=sorted(kinds))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, help="serve Streamable HTTP on this port")
    parser.add_argument("--stdio", action="store_true", help="speak MCP on stdin/stdout instead")
    parser.add_argument("--start-delay", type=float, default=0, help="seconds to wait before serving")
    args = parser.parse_args(argv)
    if args.stdio == (args.port is not None):
        parser.error("give either --port or --stdio")
    server = kinds[args.kind](args.host, args.port or 0)
    time.sleep(args.start_delay)
    if args.stdio:
        server.run(transport="stdio")
        return

    @server.custom_route("/health", methods=["GET"])
    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "server": server.name})

    token = os.environ.get("BACKEND_BEARER_TOKEN")
    cert, key = os.environ.get("BACKEND_TLS_CERT"), os.environ.get("BACKEND_TLS_KEY")
    if not (token or cert):
        server.run(transport="streamable-http")
        return
    import uvicorn

    app = server.streamable_http_app()
    uvicorn.run(
        bearer_required(app, token) if token else app,
        host=server.settings.host,
        port=server.settings.port,
        log_level="warning",
        ssl_certfile=cert,
        ssl_keyfile=key,
    )


def bearer_required(app, token: str):
    """ASGI: 401 on /mcp unless `Authorization: Bearer <one of the comma-separated tokens>`; /health stays open."""
    accepted = [f"Bearer {one}".encode() for one in token.split(",")]

    async def guarded(scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/mcp"):
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not any(hmac.compare_digest(given, one) for one in accepted):
                await JSONResponse({"error": "invalid_token"}, status_code=401)(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded


if __name__ == "__main__":
    main()
