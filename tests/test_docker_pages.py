"""Claims of the Docker MCP Gateway pages (docs/how-to/docker/*.md, docs/explanation/comparison.md)
beyond their shown output.

Two kinds of tests:

- pflow's side, run everywhere: the harness runs the page's command, pflow's names for the tool
  names the gateway publishes, where the token lives, URL variables, timeouts. Where a server is
  needed, it is one of ours (tests/helpers/docker_style_server.py) publishing the names the
  gateway's source says it publishes; it stands in for no page fence.
- the gateway's side, run only where the `docker mcp` plugin and an engine are present: real
  gateways started by gatewaylab.docker_gateway with the pages' catalogs.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from gatewaylab import docker_gateway as dg
from gatewaylab.envs import REPO
from gatewaylab.fences import read_fences
from gatewaylab.lab import Lab

SETUP = REPO / "snippets" / "docker-setup"
CONFIG = REPO / "snippets" / "docker-configuration"
TROUBLE = REPO / "snippets" / "docker-troubleshooting"
PAGES = sorted((REPO / "docs" / "how-to" / "docker").glob("*.md"))
HELPER = REPO / "tests" / "helpers" / "docker_style_server.py"


def _catalog(path: Path = SETUP / "gatewaylab.yaml") -> dict:
    return yaml.safe_load(path.read_text())["registry"]


# -- the harness runs what the page shows ------------------------------------------------------
def test_harness_runs_the_page_command_with_only_port_and_catalog_changed():
    shown = dg.page_command()
    run = dg.gateway_argv(40123, "gatewaylab-1-abcd.yaml")
    changed = [(a, b) for a, b in zip(shown, run, strict=True) if a != b]
    assert changed == [("8811", "40123"), ("gatewaylab.yaml", "gatewaylab-1-abcd.yaml")]


def test_page_command_serves_the_page_catalog_and_all_its_servers():
    argv = dg.page_command()
    assert argv[:4] == ["docker", "mcp", "gateway", "run"]
    options = dict(zip(argv[4::2], argv[5::2], strict=True))
    assert options["--transport"] == "streaming" and options["--host"] == "127.0.0.1"
    assert options["--catalog"] == "gatewaylab.yaml"  # the file the page saves and copies
    assert options["--servers"].split(",") == list(_catalog())


def test_harness_catalog_changes_only_the_backend_ports():
    text = dg.catalog_text({"text-tools": 50001, "math-tools": 50002})
    registry = yaml.safe_load(text)["registry"]
    assert registry["text-tools"]["remote"]["url"] == "http://127.0.0.1:50001/mcp"
    assert registry["math-tools"]["remote"]["url"] == "http://127.0.0.1:50002/mcp"
    page = _catalog()
    for entry in (*registry.values(), *page.values()):
        entry["remote"].pop("url")
    assert registry == page


def test_the_catalog_ports_are_the_lab_reader_ports():
    from gatewaylab.lab import DEFAULT_PORTS

    urls = {name: entry["remote"]["url"] for name, entry in _catalog().items()}
    assert urls == {name: f"http://127.0.0.1:{DEFAULT_PORTS[name]}/mcp" for name in urls}


def test_without_a_gateway_the_requirement_names_both_routes(monkeypatch):
    if dg.unavailable() is None:
        pytest.skip("a Docker MCP Gateway is reachable here")
    reason = dg.unavailable()
    assert "DOCKER_MCP_GATEWAY_URL" in reason and "docker mcp" in reason and "\n" not in reason


# -- pages: what runs where ----------------------------------------------------------------------
@pytest.mark.parametrize("page", [*PAGES, REPO / "docs" / "explanation" / "comparison.md"], ids=lambda p: p.stem)
def test_each_page_says_what_our_ci_runs(page):
    text = page.read_text()
    assert re.search(r'!!! abstract "What (our CI runs|is run)', text)
    assert "reachable" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_fences_that_run_docker_are_skipped_and_gateway_fences_are_marked(page):
    """The page's shell has a temporary HOME, where your `docker mcp` plugin is not found: a fence
    that runs the docker CLI must be skipped (the harness runs the gateway); a fence that talks to
    the gateway (curl to /health or /mcp, sync, probe, a workflow) must say needs=docker-gateway."""
    for fence in read_fences(page):
        if fence.kind not in ("shell", "skip", "file"):
            continue
        lines = [line for line in fence.text.splitlines() if not line.lstrip().startswith("#")]
        if any(re.match(r"\s*(\w+=\S*\s+)*docker\s", line) for line in lines):
            assert fence.kind == "skip", f"{fence.where} runs the docker CLI"
        talks = any(re.search(r"curl .*(/health|/mcp)|pflow (mcp sync|probe)|pflow -p", line) for line in lines)
        offline = "DOCKER_MCP_PORT=9 " in fence.text or "unset MCP_GATEWAY_AUTH_TOKEN" in fence.text
        if talks and not offline and fence.kind != "skip":
            assert fence.directive.get("needs") == "docker-gateway", f"{fence.where} needs a gateway"


# -- pflow's side ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def docker_style_server(tmp_path_factory):
    """Our server publishing the setup catalog's tool names, plus `slow`; its URL."""
    root = tmp_path_factory.mktemp("docker-style")
    with Lab(root) as lab:
        port = lab.port("docker-style")
        lab.start_server("docker-style", [sys.executable, str(HELPER), str(port), str(SETUP / "gatewaylab.yaml")],
                         f"http://127.0.0.1:{port}/health", port=port)
        yield port


@pytest.fixture
def shell(reader_shell, docker_style_server):
    for name in ("docker-gateway.json",):
        (reader_shell.work / name).write_text((SETUP / name).read_text())
    done = reader_shell.run(f"export DOCKER_MCP_PORT={docker_style_server} MCP_GATEWAY_AUTH_TOKEN=t0k3n-not-checked-here\n"
                            "pflow mcp add ./docker-gateway.json")
    assert done.returncode == 0, done.stdout
    return reader_shell


def test_pflow_names_are_mcp_server_then_the_published_name(shell):
    """Expected names come from the catalog (prefixes) and our backends' tools, not from the page;
    the page's sync output must list exactly these."""
    from gatewaylab.backends import BACKENDS

    expected = set()
    for name, entry in _catalog().items():
        for tool in BACKENDS[name.split("-")[0]]("127.0.0.1", 0)._tool_manager.list_tools():
            published = f"{entry['prefix']}__{tool.name}" if entry.get("prefix") else tool.name
            expected.add(f"mcp-docker-{published}")
    assert shell.run("pflow mcp sync docker").returncode == 0
    listed = json.loads(shell.run("pflow mcp list --json").stdout)["servers"]["docker"]
    assert {t["node_name"] for t in listed} == expected | {"mcp-docker-slow"}
    for out in (SETUP / "07-sync.out", CONFIG / "04-sync.out"):
        shown = set(re.findall(r"^  - (mcp-docker-\S+)$", out.read_text(), re.MULTILINE))
        assert shown == expected, out
    assert "mcp-docker-math__multiply" in expected and "mcp-docker-word_count" in expected


def test_a_prefixed_name_can_be_called(shell):
    shell.run("pflow mcp sync docker")
    done = shell.run("pflow probe mcp-docker-math__multiply a=6 b=7")
    assert "= 42.0" in done.stdout, done.stdout


def test_token_is_never_written_to_pflow_config(shell):
    config = shell.home / ".pflow" / "mcp-servers.json"
    text = config.read_text()
    assert "t0k3n-not-checked-here" not in text and '"token": "${MCP_GATEWAY_AUTH_TOKEN}"' in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_whole_url_variable_given_as_json_string_is_stored_and_expanded(reader_shell, docker_style_server):
    """The configuration page's aside: the string form is not checked, and it works."""
    entry = json.dumps({"docker": {"type": "http", "url": "${DOCKER_MCP_URL:-http://127.0.0.1:8811/mcp}"}})
    done = reader_shell.run(f"pflow mcp add {shlex.quote(entry)}\n"
                            f"DOCKER_MCP_URL=http://127.0.0.1:{docker_style_server}/mcp pflow mcp sync docker")
    assert done.returncode == 0 and "Discovered 7 tools" in done.stdout, done.stdout


def test_sync_all_exits_zero_even_when_a_server_fails(reader_shell):
    """troubleshooting: `pflow mcp sync NAME` exits 1, `--all` prints the error and exits 0."""
    (reader_shell.work / "g.json").write_text((SETUP / "docker-gateway.json").read_text())
    reader_shell.run("pflow mcp add ./g.json")
    port = _closed_port()
    one = reader_shell.run(f"DOCKER_MCP_PORT={port} MCP_GATEWAY_AUTH_TOKEN=x pflow mcp sync docker")
    every = reader_shell.run(f"DOCKER_MCP_PORT={port} MCP_GATEWAY_AUTH_TOKEN=x pflow mcp sync --all")
    assert (one.returncode, every.returncode) == (1, 0)
    assert "Could not connect to MCP server." in one.stdout and "Could not connect to MCP server." in every.stdout


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_timeout_message_for_a_port_that_accepts_and_never_answers(reader_shell):
    """What a starting gateway looks like to pflow: the port accepts, nothing answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        entry = json.dumps({"docker": {"type": "http", "url": f"http://127.0.0.1:{port}/mcp", "timeout": 2}})
        start = time.monotonic()
        done = reader_shell.run(f"pflow mcp add {shlex.quote(entry)} >/dev/null\npflow mcp sync docker", timeout=60)
        took = time.monotonic() - start
    assert done.returncode == 1
    assert "Error: Request Timed Out" in done.stdout and "Request timed out after 2 seconds." in done.stdout
    assert took < 20


def test_a_step_timeout_stops_one_slow_step(shell):
    """configuration: `- timeout:` on a step fails that step, though the server entry allows 120 s;
    the run itself still lasts as long as the call."""
    shell.run("pflow mcp sync docker")
    step = re.search(r"^- timeout: \d+$", (CONFIG / "count.pflow.md").read_text(), re.MULTILINE)
    assert step, "the page's workflow no longer shows a step timeout"
    (shell.work / "slow.pflow.md").write_text(
        "# Slow\n\nOne slow step.\n\n## Inputs\n\n### seconds\n\nHow long.\n\n- type: number\n- required: true\n\n"
        "## Steps\n\n### wait\n\nWait.\n\n- type: mcp-docker-slow\n- timeout: 2\n- seconds: ${seconds}\n\n"
        "## Outputs\n\n### waited\n\nSeconds waited.\n\n- source: ${wait.result.result}\n")
    start = time.monotonic()
    done = shell.run("pflow -p -o waited ./slow.pflow.md seconds=4 </dev/null", timeout=60)
    took = time.monotonic() - start
    assert done.returncode == 1, done.stdout
    assert "MCP tool failed: Request timed out after 2 seconds" in done.stdout, done.stdout
    # pflow 0.16.0 reports the timeout, but the run still waits for the call to come back.
    assert took >= 4, f"the run ended after {took:.1f} s, before the 4-second call: update the page"
    quick = shell.run("pflow -p -o waited ./slow.pflow.md seconds=0.5 </dev/null", timeout=60)
    assert quick.returncode == 0 and quick.stdout.strip() == "0.5", quick.stdout


def test_the_page_workflow_runs_against_the_published_names(shell):
    """count.pflow.md uses only names the gateway publishes for the setup catalog."""
    shell.run("pflow mcp sync docker")
    (shell.work / "count.pflow.md").write_text((CONFIG / "count.pflow.md").read_text())
    done = shell.run(f"{(CONFIG / '06-run.sh').read_text()} </dev/null")
    assert done.stdout.strip() == (CONFIG / "06-run.out").read_text().strip(), done.stdout


# -- the gateway's side: real gateways, only where `docker mcp` and an engine are present -----------
def _plugin_route() -> str | None:
    if dg.plugin_version() is None:
        return "needs the `docker mcp` plugin: these tests start gateways with their own catalogs"
    return dg.unavailable()


needs_plugin = pytest.mark.skipif(_plugin_route() is not None, reason=str(_plugin_route()))


@pytest.fixture
def backends(tmp_path):
    with Lab(tmp_path / "lab") as lab:
        for name in dg.READER_PORTS:
            lab.start_backend(name)
        yield lab


@needs_plugin
def test_gateway_wants_the_token_and_a_local_origin(backends):
    with dg.docker_gateway(backends) as gateway:
        assert httpx.get(f"{gateway.base}/health").status_code == 200
        wrong = httpx.get(gateway.url, headers={"Authorization": "Bearer not-the-token"})
        assert (wrong.status_code, wrong.text.strip()) == (401, "Unauthorized")
        assert wrong.headers["www-authenticate"] == 'Bearer realm="MCP Gateway"'
        foreign = httpx.get(gateway.url, headers={"Authorization": f"Bearer {gateway.token}",
                                                  "Origin": "https://example.com"})
        assert foreign.status_code == 403
        assert foreign.text.strip() == (TROUBLE / "05-origin.out").read_text().splitlines()[0]
        assert set(dg.list_tools(gateway.url, gateway.token)) == dg.EXPECTED_TOOLS


@needs_plugin
def test_gateway_exits_on_a_tool_name_collision(backends):
    text = (TROUBLE / "collide.yaml").read_text().replace("127.0.0.1:8101/", f"127.0.0.1:{backends.backends['text-tools'].port}/")
    with dg.catalog_file(text) as path:
        argv = dg.gateway_argv(_closed_port(), path.name, "text-tools,text-tools-copy")
        done = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "MCP_GATEWAY_AUTH_TOKEN": secrets.token_hex(16),
                                   "DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": "1"})
    assert done.returncode != 0
    assert 'both expose tool name "word_count"' in done.stderr + done.stdout


@needs_plugin
def test_a_backend_down_at_start_gives_zero_of_its_tools_and_health_200(backends):
    text = dg.catalog_text({"text-tools": _closed_port(), "math-tools": backends.backends["math-tools"].port})
    with dg.docker_gateway(backends, catalog=text, require_tools=False) as gateway:
        assert httpx.get(f"{gateway.base}/health").status_code == 200
        assert set(dg.list_tools(gateway.url, gateway.token)) == {"math__add", "math__multiply", "math__square"}
        log = backends.state_dir / "logs" / "docker-gateway.log"
        assert "Can't start text-tools" in log.read_text() or "Can't list tools text-tools" in log.read_text()


@needs_plugin
def test_plain_http_remote_urls_need_the_opt_in(backends):
    with dg.docker_gateway(backends, extra_env={"DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": ""},
                           require_tools=False) as gateway:
        assert dg.list_tools(gateway.url, gateway.token) == []
        log = (backends.state_dir / "logs" / "docker-gateway.log").read_text()
        assert "unsafe remote MCP URL for text-tools" in log
