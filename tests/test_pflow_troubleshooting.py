"""Claims of docs/how-to/pflow-troubleshooting.md beyond what its fences show.

The page's fences run in `pytest docs/` against its own gateway (TOOL_TIMEOUT=5). Here: the
defaults its timeout table quotes, read from the installed ContextForge and seen in pflow's
behaviour; and the fix for the gateway's tool timeout: a gateway with the default limit (the
suite's shared lab) lets the same 8-second call through.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from gatewaylab.envs import REPO, contextforge_bin
from gatewaylab.lab import Lab
from gatewaylab.pytest_plugin import ReaderShell

SNIPPETS = REPO / "snippets" / "pflow-troubleshooting"


@pytest.fixture(scope="module")
def slow_tools(tmp_path_factory):
    """slow-tools alone, on a free port: the server a long call waits on."""
    with Lab(tmp_path_factory.mktemp("slow-tools")) as lab:
        yield lab.start_backend("slow-tools", "slow", "gatewaylab.slow_backend").url


def _workflow(tool: str, step_timeout: int | None) -> str:
    """long-nap.pflow.md with another tool and step timeout (None: no `timeout` line at all)."""
    text = (SNIPPETS / "long-nap.pflow.md").read_text().replace("mcp-gateway-slow-tools-sleep", tool)
    assert "- timeout: 20\n" in text
    return text.replace("- timeout: 20\n", "" if step_timeout is None else f"- timeout: {step_timeout}\n")


def test_quoted_contextforge_defaults():
    code = (
        "import json; from mcpgateway.config import Settings as S; f = S.model_fields\n"
        "low = [m.ge for m in f['gateway_auto_refresh_interval'].metadata if hasattr(m, 'ge')]\n"
        "print(json.dumps({n: f[n].default for n in ('tool_timeout', 'auto_refresh_servers',"
        " 'gateway_auto_refresh_interval')} | {'refresh_min': low}))"
    )
    done = subprocess.run([str(contextforge_bin("python")), "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "tool_timeout": 60,
        "auto_refresh_servers": False,
        "gateway_auto_refresh_interval": 300,
        "refresh_min": [60],
    }


def test_timeouts_given_to_mcp_add_are_kept(reader_shell):
    done = reader_shell.run(
        "pflow mcp add --timeout 45 --sse-timeout 90 "
        """'{"slow": {"type": "http", "url": "http://127.0.0.1:9/mcp"}}'"""
    )
    assert done.returncode == 0, done.stdout
    stored = json.loads((reader_shell.home / ".pflow" / "mcp-servers.json").read_text())
    entry = stored["mcpServers"]["slow"]
    assert (entry["timeout"], entry["sse_timeout"]) == (45, 90)


def test_a_step_without_timeout_gives_up_after_30_seconds(reader_shell, slow_tools):
    """The entry allows 120 s; a step with no `timeout` of its own still stops at 30."""
    entry = {"slow": {"type": "http", "url": slow_tools, "timeout": 120}}
    assert reader_shell.run(f"pflow mcp add '{json.dumps(entry)}' && pflow mcp sync slow").returncode == 0
    (reader_shell.work / "nap.pflow.md").write_text(_workflow("mcp-slow-sleep", None))
    done = reader_shell.run("pflow -p -o said ./nap.pflow.md seconds=45 </dev/null", timeout=120)
    # Neither the entry's 120 s nor the tool's 45 s: the step's own default ended the call.
    assert done.returncode == 1, done.stdout
    assert "MCP tool failed: Request timed out after 30 seconds" in done.stdout


def test_a_gateway_with_the_default_tool_timeout_lets_the_8_second_call_through(lab, tmp_path, slow_tools):
    """The fix of the page's `MCP server error:`: the same call through a gateway whose TOOL_TIMEOUT is 60."""
    gateway = lab.gateways["contextforge"]
    record = gateway.register("slow-tools", slow_tools)
    try:
        env = lab.env()
        shell = ReaderShell(tmp_path / "reader", env)
        gateway_json = (REPO / "snippets" / "contextforge-troubleshooting" / "gateway.json").read_text()
        (shell.work / "gateway.json").write_text(gateway_json)
        (shell.work / "long-nap.pflow.md").write_text(_workflow("mcp-gateway-slow-tools-sleep", 20))
        assert shell.run("pflow mcp add ./gateway.json && pflow mcp sync gateway").returncode == 0
        done = shell.run("pflow -p -o said ./long-nap.pflow.md seconds=8 </dev/null", timeout=120)
        assert (done.returncode, done.stdout.strip()) == (0, "slept 8 s")
        shell.close()
    finally:
        answer = gateway.api("DELETE", f"/v1/gateways/{record['id']}")
        assert answer.status_code == 200, answer.text
        # The shared lab's gateway lists what it did before, for the pages that use it after this test.
        assert not [t for t in gateway.tools() if t["name"].startswith("slow-tools")]


def test_the_same_server_under_another_name_is_refused_too(lab):
    """The page: registering again does not help, under another name either (same URL, same credentials)."""
    gateway = lab.gateways["contextforge"]
    body = {"name": "math-tools-again", "url": lab.backends["math-tools"].url, "transport": "STREAMABLEHTTP"}
    answer = gateway.api("POST", "/v1/gateways", json=body)
    if answer.status_code in (200, 201):  # leave the shared lab as it was, then fail
        gateway.api("DELETE", f"/v1/gateways/{answer.json()['id']}")
    assert (answer.status_code, answer.json()) == (409, {"message": "Gateway already exists"})


def test_quoted_pflow_entry_defaults():
    """The table's defaults for an entry without `timeout` or `sse_timeout`, from the installed pflow."""
    import inspect

    from pflow.mcp import pool

    source = inspect.getsource(pool)
    assert 'config.get("timeout", 30)' in source
    assert 'config.get("sse_timeout", 300)' in source
