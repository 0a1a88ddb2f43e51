"""MCP servers for the troubleshooting page: one slow tool, and one server with many tools.

    python -m gatewaylab.slow_backend slow --port 8103      # slow-tools: sleep(seconds)
    python -m gatewaylab.slow_backend wide --port 8104      # wide-tools: item_000 ... item_119

`slow-tools` answers after the time it is asked to wait, to meet pflow's and the gateway's
timeouts on purpose. `wide-tools` has more tools than ContextForge puts on one page of
`tools/list` (100 by default).
"""

from __future__ import annotations

import asyncio

from mcp.server.fastmcp import FastMCP

from . import backends

WIDE_TOOL_COUNT = 120


def slow_tools(host: str, port: int) -> FastMCP:
    server = FastMCP("slow-tools", host=host, port=port, log_level="WARNING")

    @server.tool()
    async def sleep(seconds: float) -> str:
        """Wait the given number of seconds, then say how long it waited."""
        await asyncio.sleep(seconds)
        return f"slept {seconds:g} s"

    return server


def wide_tools(host: str, port: int, count: int = WIDE_TOOL_COUNT) -> FastMCP:
    server = FastMCP("wide-tools", host=host, port=port, log_level="WARNING")

    def make(number: int):
        def item() -> int:
            return number

        return item

    for number in range(count):
        server.add_tool(make(number), name=f"item_{number:03d}", description=f"Return the number {number}.")
    return server


BACKENDS = {"slow": slow_tools, "wide": wide_tools}


def main(argv: list[str] | None = None) -> None:
    backends.main(argv, kinds=BACKENDS, description=__doc__)


if __name__ == "__main__":
    main()
