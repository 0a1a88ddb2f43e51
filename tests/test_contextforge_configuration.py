"""Claims of docs/how-to/contextforge/configuration.md beyond its shown output."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from gatewaylab.envs import REPO, contextforge_bin
from gatewaylab.lab import Lab, new_contextforge_secrets


@pytest.fixture(scope="module")
def defaults() -> dict:
    done = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-c",
            "import json; from mcpgateway.config import Settings; "
            "print(json.dumps({k.upper(): f.default for k, f in Settings.model_fields.items()}, default=str))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_performance_table_defaults_are_contextforge_defaults(defaults):
    assert defaults["USE_STATEFUL_SESSIONS"] is False
    assert defaults["RATE_LIMITING_ENABLED"] is True
    assert defaults["MCP_LIST_PAGE_SIZE"] == 100
    assert defaults["HEALTH_CHECK_INTERVAL"] == 60
    assert defaults["GATEWAY_TOOL_NAME_SEPARATOR"] == "-"


def test_an_unsupported_separator_is_ignored_with_a_warning(tmp_path):
    """`__` is not one of - -- _ . : ContextForge logs a warning and keeps `-`."""
    with Lab(tmp_path) as lab:
        backend = lab.start_backend("text-tools")
        gateway = lab.start_contextforge(settings={"GATEWAY_TOOL_NAME_SEPARATOR": "__"})
        gateway.register("text-tools", backend.url)
        names = sorted(tool["name"] for tool in gateway.tools())
        log = gateway.process.log.read_text()
    assert names == ["text-tools-reverse-words", "text-tools-shout", "text-tools-word-count"]
    assert "Invalid gateway_tool_name_separator '__'" in log


def test_virtual_server_url_names_port_4444_whatever_the_real_port(lab):
    gateway = lab.gateways["contextforge"]
    assert gateway.port != 4444
    tool_id = next(t["id"] for t in gateway.tools() if t["name"] == "math-tools-add")
    answer = gateway.api("POST", "/v1/servers", json={"server": {"name": "url-check", "associated_tools": [tool_id]}})
    assert answer.status_code in (200, 201), answer.text
    server = answer.json()
    assert f":{gateway.port}/" not in server["url"] and ":4444/" in server["url"]
    gateway.api("DELETE", f"/v1/servers/{server['id']}")


def test_virtual_server_without_the_wrapper_is_refused(lab):
    """The body must be {"server": {...}}; without the wrapper ContextForge answers 422."""
    gateway = lab.gateways["contextforge"]
    answer = gateway.api("POST", "/v1/servers", json={"name": "no-wrapper", "associated_tools": []})
    assert answer.status_code == 422


def _get_env_through_bridge(url: str) -> str:
    """Call server-everything's `get-env` through the bridge with the MCP Python SDK."""
    import anyio
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def call() -> str:
        async with streamablehttp_client(url) as (read, write, _), ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("get-env", {})
            return result.content[0].text

    return anyio.run(call)


@pytest.fixture(scope="module")
def everything_server(tmp_path_factory) -> Path:
    """The page's stdio server, installed as the page installs it (npm's cache makes it quick)."""
    if not shutil.which("npm"):
        pytest.skip("npm is not installed; the page's stdio section needs Node.js")
    prefix = tmp_path_factory.mktemp("mcp-servers")
    script = (REPO / "snippets" / "contextforge-configuration" / "09-install-stdio-server.sh").read_text()
    package = re.search(r'"(@modelcontextprotocol/server-everything@[\d.]+)"', script)[1]
    done = subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(prefix),
            "--no-audit",
            "--no-fund",
            "--update-notifier=false",
            "--loglevel=error",
            package,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return prefix / "node_modules" / ".bin" / "mcp-server-everything"


@pytest.mark.parametrize("clean", [False, True], ids=["inherits", "env-i"])
def test_the_bridged_server_sees_the_gateway_secret_unless_started_with_env_i(tmp_path, everything_server, clean):
    """The page's warning: translate needs ContextForge's secrets, and its child inherits them."""
    made = new_contextforge_secrets()
    secret = made["JWT_SECRET_KEY"]
    command = f"{everything_server} stdio"
    if clean:
        command = f"env -i PATH={os.environ['PATH']} {command}"
    with Lab(tmp_path) as lab:
        _, url = lab.start_stdio_bridge("translate", command, made)
        environment = json.loads(_get_env_through_bridge(url))
    if clean:
        assert sorted(environment) == ["PATH"]
    else:
        assert environment["JWT_SECRET_KEY"] == secret
