"""An MCP server of ours that publishes our backends' tools under the names the Docker gateway
gives them for a catalog (`<prefix>__<tool>` when the entry sets `prefix`, else the tool's own
name), plus a `slow` tool. It checks pflow's half of the naming and timeout rules; it is never
shown or used as the Docker gateway.

    python docker_style_server.py PORT CATALOG.yaml
"""

import sys
import time
from pathlib import Path

import yaml
from gatewaylab.backends import BACKENDS
from mcp.server.fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse


def main(port: int, catalog_path: str) -> None:
    registry = yaml.safe_load(Path(catalog_path).read_text())["registry"]
    server = FastMCP("docker-style", host="127.0.0.1", port=port, log_level="WARNING")
    for name, entry in registry.items():
        backend = BACKENDS[name.split("-")[0]]("127.0.0.1", 0)  # text-tools -> text, math-tools -> math
        for tool in backend._tool_manager.list_tools():
            published = f"{entry['prefix']}__{tool.name}" if entry.get("prefix") else tool.name
            server.add_tool(tool.fn, name=published, description=tool.description)

    @server.tool()
    def slow(seconds: float) -> float:
        """Sleep, then answer: a call that takes long, as a container's cold start does."""
        time.sleep(seconds)
        return seconds

    @server.custom_route("/health", methods=["GET"])
    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    server.run("streamable-http")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
