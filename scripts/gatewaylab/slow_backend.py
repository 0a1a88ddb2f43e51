"""MCP servers for the troubleshooting page: one slow tool, and one server with many tools.

    python -m gatewaylab.slow_backend slow --port 8103      # slow-tools: sleep(seconds)
    python -m gatewaylab.slow_backend wide --port 8104      # wide-tools: item_000 ... item_119
    python -m gatewaylab.slow_backend session --port 8105   # session-tools: visit()
    python -m gatewaylab.slow_backend inventory --port 8106       # release 1: count_items
    python -m gatewaylab.slow_backend inventory-v2 --port 8106    # release 2: count_items, restock

`slow-tools` answers after the time it is asked to wait, to meet pflow's and the gateway's
timeouts on purpose. `wide-tools` has more tools than ContextForge puts on one page of
`tools/list` (100 by default). `session-tools` says which MCP session a call arrived in and how
many calls that session made, to show which clients keep a session. `inventory` comes in two
releases, the second with one more tool, to show what notices a new tool.
"""

from __future__ import annotations

import asyncio

from mcp.server.fastmcp import Context, FastMCP

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


def session_tools(host: str, port: int) -> FastMCP:
    server = FastMCP("session-tools", host=host, port=port, log_level="WARNING")
    visits: dict[str, int] = {}

    @server.tool()
    def visit(ctx: Context) -> str:
        """Say which MCP session this call arrived in, and how many calls that session has made."""
        request = ctx.request_context.request
        session = request.headers.get("mcp-session-id", "none") if request is not None else "none"
        visits[session] = visits.get(session, 0) + 1
        return f"visit {visits[session]} of session {session[:8]}"

    return server


def inventory(host: str, port: int, release: int = 1) -> FastMCP:
    server = FastMCP("inventory", host=host, port=port, log_level="WARNING")

    @server.tool()
    def count_items(shelf: str) -> int:
        """Count the items on a shelf."""
        return len(shelf)

    if release >= 2:

        @server.tool()
        def restock(shelf: str, items: int) -> str:
            """Put items on a shelf."""
            return f"{items} items put on {shelf}"

    return server


def inventory_v2(host: str, port: int) -> FastMCP:
    return inventory(host, port, release=2)


BACKENDS = {
    "slow": slow_tools,
    "wide": wide_tools,
    "session": session_tools,
    "inventory": inventory,
    "inventory-v2": inventory_v2,
}


def main(argv: list[str] | None = None) -> None:
    backends.main(argv, kinds=BACKENDS, description=__doc__)


if __name__ == "__main__":
    main()
