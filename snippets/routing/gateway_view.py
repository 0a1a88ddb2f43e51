import asyncio
import os

import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client

base = os.environ["CONTEXTFORGE_URL"]
headers = {"Authorization": f"Bearer {os.environ['CONTEXTFORGE_TOKEN']}"}


async def list_tools() -> tuple[str, list[str]]:
    async with streamablehttp_client(f"{base}/mcp", headers=headers) as (read, write, _):
        async with ClientSession(read, write) as session:
            hello = await session.initialize()
            tools = await session.list_tools()
            return hello.serverInfo.name, sorted(tool.name for tool in tools.tools)


server, names = asyncio.run(list_tools())
print(server)  # ContextForge: the client sees the gateway, not the backends

# The admin API says where each aggregated tool really lives.
for tool in httpx.get(f"{base}/v1/tools", headers=headers).json():
    print(f"{tool['name']:26} -> {tool['gatewaySlug']}: {tool['originalName']}")
    assert tool["name"] in names
