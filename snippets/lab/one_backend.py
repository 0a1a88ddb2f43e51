import asyncio
import tempfile
from pathlib import Path

from gatewaylab.lab import Lab
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client


async def call_square(url: str) -> float:
    async with streamablehttp_client(url) as (read, write, _), ClientSession(read, write) as session:
        await session.initialize()
        answer = await session.call_tool("square", {"x": 7})
        return answer.structuredContent["result"]


with Lab(Path(tempfile.mkdtemp())) as lab:  # stops everything on leaving the block
    backend = lab.start_backend("math-tools")
    result = asyncio.run(call_square(backend.url))
    assert result == 49.0, result
