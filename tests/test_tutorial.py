"""Claims of docs/tutorial/index.md beyond its shown output (the fences themselves run in `pytest docs/`).

Each test uses the page's own snippet files against the suite's lab.
"""

import difflib
import json
import stat

import pytest

from gatewaylab.envs import REPO

SNIPPETS = REPO / "snippets" / "tutorial"


@pytest.fixture
def shell_with_gateway(reader_shell, lab_env):
    """A reader who has exported the lab's variables and added gateway.json, then synced."""
    for name in ("gateway.json", "direct.json", "quote.pflow.md", "quote-direct.pflow.md"):
        (reader_shell.work / name).write_text((SNIPPETS / name).read_text())
    exports = "".join(f"export {key}='{value}'\n" for key, value in lab_env.items())
    done = reader_shell.run(exports + "pflow mcp add ./gateway.json && pflow mcp sync gateway")
    assert done.returncode == 0, done.stdout
    return reader_shell


def test_tool_names_are_pflow_prefix_server_slug_and_tool_with_dashes(shell_with_gateway, lab):
    """The page's table: mcp-<server>-<gateway slug>-<tool, _ turned into ->, for every tool."""
    listed = json.loads(shell_with_gateway.run("pflow mcp list --json").stdout)
    pflow_names = {tool["node_name"] for tool in listed["servers"]["gateway"]}
    gateway_tools = lab.gateways["contextforge"].tools()
    expected = {f"mcp-gateway-{t['gatewaySlug']}-{t['originalName'].replace('_', '-')}" for t in gateway_tools}
    assert pflow_names == expected
    assert "mcp-gateway-text-tools-word-count" in expected and "word_count" in {t["originalName"] for t in gateway_tools}


def test_token_is_never_written_to_pflow_config(shell_with_gateway, lab_env):
    config = shell_with_gateway.home / ".pflow" / "mcp-servers.json"
    text = config.read_text()
    assert lab_env["CONTEXTFORGE_TOKEN"] not in text
    assert '"token": "${CONTEXTFORGE_TOKEN}"' in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_token_comes_from_the_shell_at_connect_time(shell_with_gateway):
    done = shell_with_gateway.run("unset CONTEXTFORGE_TOKEN; pflow mcp sync gateway")
    assert "Missing environment variable(s): CONTEXTFORGE_TOKEN" in done.stdout


@pytest.mark.parametrize("text, rate", [("the quick brown fox", 12), ("one", 7), ("a b c d e f g h", 3)])
def test_gateway_and_direct_give_the_same_answer(shell_with_gateway, text, rate):
    done = shell_with_gateway.run("pflow mcp add ./direct.json && pflow mcp sync --all")
    assert done.returncode == 0, done.stdout
    answers = [
        shell_with_gateway.run(f"pflow -p -o cents ./{flow} text='{text}' rate={rate}").stdout.strip()
        for flow in ("quote.pflow.md", "quote-direct.pflow.md")
    ]
    assert answers[0] == answers[1] == f"{len(text.split()) * rate:.1f}"


def test_direct_workflow_differs_only_in_the_two_type_lines():
    diff = [line for line in difflib.unified_diff(
        (SNIPPETS / "quote.pflow.md").read_text().splitlines(),
        (SNIPPETS / "quote-direct.pflow.md").read_text().splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(diff) == sorted([
        "-- type: mcp-gateway-text-tools-word-count", "+- type: mcp-text-word_count",
        "-- type: mcp-gateway-math-tools-multiply", "+- type: mcp-math-multiply",
    ])
