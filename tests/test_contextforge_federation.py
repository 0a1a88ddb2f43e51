"""Claims of docs/how-to/contextforge/federation.md: calls really cross both instances."""

import asyncio

import pytest
from gatewaylab.lab import Lab
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client


async def _call(url: str, token: str, tool: str, arguments: dict):
    async with streamablehttp_client(url, headers={"Authorization": f"Bearer {token}"}) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool(tool, arguments)


@pytest.fixture(scope="module")
def federation(tmp_path_factory):
    with Lab(tmp_path_factory.mktemp("federation")) as lab:
        text, math = lab.start_backend("text-tools"), lab.start_backend("math-tools")
        far = lab.start_contextforge("contextforge-far")
        far.register("math-tools", math.url)
        near = lab.start_contextforge()
        near.register("text-tools", text.url)
        answer = near.api(
            "POST",
            "/v1/gateways",
            json={
                "name": "far",
                "url": far.mcp_url,
                "transport": "STREAMABLEHTTP",
                "auth_type": "bearer",
                "auth_token": far.token,
            },
        )
        assert answer.status_code in (200, 201), answer.text
        yield lab, near, far, answer.json()["id"]


def test_far_token_can_be_replaced_with_put(federation):
    lab, near, far, far_id = federation
    answer = near.api("PUT", f"/v1/gateways/{far_id}", json={"auth_type": "bearer", "auth_token": far.mint_token(30)})
    assert answer.status_code == 200, answer.text
    result = asyncio.run(_call(near.mcp_url, near.token, "far-math-tools-multiply", {"a": 3, "b": 12}))
    assert not result.isError and result.structuredContent == {"result": 36.0}


def test_far_tools_go_through_the_far_instance(federation):
    """Stop the far instance: its tools fail through the near one, the near one's own still work."""
    lab, near, far, _ = federation
    lab.stop(far.process)
    far_call = asyncio.run(_call(near.mcp_url, near.token, "far-math-tools-multiply", {"a": 3, "b": 12}))
    assert far_call.isError
    near_call = asyncio.run(_call(near.mcp_url, near.token, "text-tools-word-count", {"text": "still here"}))
    assert not near_call.isError and near_call.structuredContent == {"result": 2}
