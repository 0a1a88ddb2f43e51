"""Claims of docs/how-to/contextforge/observability.md: the counter rises, the spans arrive."""

import asyncio
import re
import time

import httpx
from gatewaylab.lab import Lab
from gatewaylab.scenarios import contextforge_observability
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client

COUNTER = re.compile(r'^http_requests_total\{handler="/mcp",method="POST",status="200"\} ([0-9.]+)$', re.MULTILINE)


def _count(base: str, token: str) -> float:
    text = httpx.get(f"{base}/metrics/prometheus", headers={"Authorization": f"Bearer {token}"}).text
    found = COUNTER.search(text)
    return float(found[1]) if found else 0.0


async def _call(url: str, token: str) -> None:
    async with streamablehttp_client(url, headers={"Authorization": f"Bearer {token}"}) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("text-tools-word-count", {"text": "one two"})
            assert result.structuredContent == {"result": 2}


def test_one_call_raises_the_counter_and_leaves_spans(tmp_path):
    with Lab(tmp_path) as lab, contextforge_observability(lab) as env:
        base, token = env["CONTEXTFORGE_URL"], env["CONTEXTFORGE_TOKEN"]
        before = _count(base, token)
        asyncio.run(_call(f"{base}/mcp", token))
        assert _count(base, token) >= before + 2  # at least initialize and the call
        spans_url = f"http://127.0.0.1:{env['OTLP_PORT']}/spans"
        deadline = time.monotonic() + 30  # batches leave every OTEL_BSP_SCHEDULE_DELAY (1 s)
        while True:
            spans = httpx.get(spans_url).json()
            names = {s["name"] for s in spans}
            if {"tool.lookup", "MCP send tools/call word_count"} <= names:
                break
            assert time.monotonic() < deadline, f"the call's spans did not all arrive within 30 s: {sorted(names)}"
            time.sleep(0.2)
        names = {(s["service"], s["name"]) for s in spans}
        assert ("contextforge", "MCP send tools/call word_count") in names
        assert any(
            s["name"] == "tool.lookup" and s["attributes"].get("tool.name") == "text-tools-word-count" for s in spans
        )


def test_metrics_are_refused_when_disabled(lab):
    """The lab's ContextForge runs without ENABLE_METRICS."""
    gateway = lab.gateways["contextforge"]
    answer = gateway.api("GET", "/metrics/prometheus")
    assert answer.status_code == 503 and "Metrics collection is disabled" in answer.text
