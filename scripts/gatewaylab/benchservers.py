"""MCP servers for the benchmark (`scripts/benchmark.py`): the math backend over stdio, and a
backend that exposes any number of generated tools.

    python -m gatewaylab.benchservers math-stdio                      # for mcpgateway.translate
    python -m gatewaylab.benchservers many --tools 1000 --port 8200   # Streamable HTTP, /mcp and /health
"""

from __future__ import annotations

import argparse

from mcp.server.fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse

from .backends import math_tools


def many_tools(name: str, count: int, host: str, port: int) -> FastMCP:
    """A server with `count` tools named t0000, t0001, ...; each adds its two arguments."""
    server = FastMCP(name, host=host, port=port, log_level="WARNING")
    width = max(4, len(str(count - 1)))
    for i in range(count):

        def add(a: float, b: float) -> float:
            return a + b

        server.add_tool(add, name=f"t{i:0{width}d}", description=f"Generated tool {i} of {count}: adds a and b.")
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["math-stdio", "many"])
    parser.add_argument("--tools", type=int, default=10)
    parser.add_argument("--name", default="many-tools")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    if args.kind == "math-stdio":
        math_tools(args.host, args.port or 1).run(transport="stdio")
        return
    server = many_tools(args.name, args.tools, args.host, args.port)

    @server.custom_route("/health", methods=["GET"])
    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "server": server.name, "tools": args.tools})

    server.run(transport="streamable-http")


if __name__ == "__main__":
    main()
