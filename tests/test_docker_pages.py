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
from gatewaylab import docker_engine
from gatewaylab import docker_gateway as dg
from gatewaylab.envs import REPO
from gatewaylab.fences import matches, read_fences
from gatewaylab.lab import GENERATED_SECRETS, Lab
from gatewaylab.procs import processes

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


def test_without_a_gateway_the_requirement_names_both_routes(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no docker CLI
    monkeypatch.delenv("DOCKER_MCP_GATEWAY_URL", raising=False)
    reason = dg.unavailable()
    assert "DOCKER_MCP_GATEWAY_URL" in reason and "docker mcp" in reason and "scripts/docker-gateway" in reason
    assert "\n" not in reason


def test_as_non_root_no_engine_is_started_and_the_reason_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nothing.sock")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(docker_engine, "_shared", None)
    reason = docker_engine.unavailable()
    assert reason and "root" in reason and "\n" not in reason and str(tmp_path) in reason
    with pytest.raises(Exception, match="root"):
        docker_engine.start_engine()
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(
    docker_engine.unavailable() is not None or bool(docker_engine.server_version(docker_engine.current_host())),
    reason="needs a machine where the suite starts its own engine (root, dockerd, none running)",
)
def test_an_engine_a_lab_starts_stops_with_the_lab(monkeypatch, tmp_path):
    """Outside a test run (`lab up`), the engine belongs to the lab: closing it (`lab down`) stops
    the engine, with the networks made on it, and deletes its folder."""
    monkeypatch.setattr(docker_engine, "_share", False)
    monkeypatch.setattr(docker_engine, "_shared", None)
    with Lab(tmp_path / "lab") as lab:
        engine = docker_engine.ensure_engine(lab)
        assert engine.owned and engine.process in lab.processes and docker_engine.shared() is None
        engine.docker("network", "create", "gatewaylab-lab-net")
        assert len(engine.networks()) == 1
    assert not engine.process.running()
    assert docker_engine.wait_gone(engine) == []


GATEWAY_VERSION = re.search(r"^VERSION=(v[\d.]+)$", (REPO / "scripts" / "docker-gateway").read_text(), re.MULTILINE)[1]


@pytest.mark.skipif(not os.environ.get("CI") or os.geteuid() != 0, reason="checks CI: a CI run as root")
def test_ci_runs_the_docker_pages_against_the_pinned_gateway():
    """In CI nothing Docker may be skipped for want of a gateway or an engine."""
    assert dg.unavailable() is None
    assert dg.plugin_version() == GATEWAY_VERSION


# -- pages: what runs where ----------------------------------------------------------------------
@pytest.mark.parametrize("page", [*PAGES, REPO / "docs" / "explanation" / "comparison.md"], ids=lambda p: p.stem)
def test_each_page_says_what_our_ci_runs(page):
    text = page.read_text()
    box = re.search(r'!!! abstract "What (?:our CI runs|is run)[^"]*"\n((?:    .*\n|\n)+)', text)
    assert box, page
    said = " ".join(box[1].split())
    assert GATEWAY_VERSION in said and "scripts/docker-gateway" in said, said
    assert "from the source" not in text and "from the gateway's source; checked" not in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_fences_that_run_docker_or_talk_to_the_gateway_are_marked(page):
    """A fence that runs the docker CLI or talks to the gateway (curl to /health or /mcp, sync,
    probe, a workflow) must say needs=docker-gateway, or be skipped with its reason. (The page's
    shell has a temporary HOME: the plugin is found in the system-wide folder.)"""
    for fence in read_fences(page):
        if fence.kind not in ("shell", "skip", "file"):
            continue
        lines = [line for line in fence.text.splitlines() if not line.lstrip().startswith("#")]
        if any(re.match(r"\s*(\w+=\S*\s+)*docker\s", line) for line in lines):
            assert fence.kind == "skip" or fence.directive.get("needs") == "docker-gateway", (
                f"{fence.where} runs docker"
            )
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
        lab.start_server(
            "docker-style",
            [sys.executable, str(HELPER), str(port), str(SETUP / "gatewaylab.yaml")],
            f"http://127.0.0.1:{port}/health",
            port=port,
        )
        yield port


def _add_page_entry(shell, env: dict[str, str]) -> None:
    """The setup page's pflow entry (docker-gateway.json), added in `shell` with `env` exported."""
    (shell.work / "docker-gateway.json").write_text((SETUP / "docker-gateway.json").read_text())
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    done = shell.run(f"export {exports}\npflow mcp add ./docker-gateway.json")
    assert done.returncode == 0, done.stdout


@pytest.fixture
def shell(reader_shell, docker_style_server):
    _add_page_entry(
        reader_shell, {"DOCKER_MCP_PORT": str(docker_style_server), "MCP_GATEWAY_AUTH_TOKEN": "t0k3n-not-checked-here"}
    )
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
    done = reader_shell.run(
        f"pflow mcp add {shlex.quote(entry)}\n"
        f"DOCKER_MCP_URL=http://127.0.0.1:{docker_style_server}/mcp pflow mcp sync docker"
    )
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


def test_a_step_timeout_stops_one_slow_step(shell):
    """configuration: `- timeout:` on a step fails that step, though the server entry allows 120 s;
    the run itself still lasts as long as the call."""
    shell.run("pflow mcp sync docker")
    step = re.search(r"^- timeout: \d+$", (CONFIG / "count.pflow.md").read_text(), re.MULTILINE)
    assert step, "the page's workflow no longer shows a step timeout"
    (shell.work / "slow.pflow.md").write_text(
        "# Slow\n\nOne slow step.\n\n## Inputs\n\n### seconds\n\nHow long.\n\n- type: number\n- required: true\n\n"
        "## Steps\n\n### wait\n\nWait.\n\n- type: mcp-docker-slow\n- timeout: 2\n- seconds: ${seconds}\n\n"
        "## Outputs\n\n### waited\n\nSeconds waited.\n\n- source: ${wait.result.result}\n"
    )
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
    """count.pflow.md uses only names the gateway publishes for the setup catalog. (Our server
    returns 8.0; the real gateway's 8 is on the page, from the page's own fence.)"""
    shell.run("pflow mcp sync docker")
    (shell.work / "count.pflow.md").write_text((CONFIG / "count.pflow.md").read_text())
    done = shell.run(f"{(CONFIG / '06-run.sh').read_text()} </dev/null")
    assert done.returncode == 0 and float(done.stdout.strip()) == float((CONFIG / "06-run.out").read_text()), (
        done.stdout
    )


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
        # The right token anywhere but in `Authorization: Bearer` is not read (the page says so).
        in_url = httpx.get(gateway.url, params={"MCP_GATEWAY_AUTH_TOKEN": gateway.token})
        as_basic = httpx.get(gateway.url, auth=("pflow", gateway.token))
        assert (in_url.status_code, as_basic.status_code) == (401, 401)
        foreign = httpx.get(
            gateway.url, headers={"Authorization": f"Bearer {gateway.token}", "Origin": "https://example.com"}
        )
        assert foreign.status_code == 403
        assert foreign.text.strip() == (TROUBLE / "05-origin.out").read_text().splitlines()[0]
        assert set(dg.list_tools(gateway.url, gateway.token)) == dg.EXPECTED_TOOLS


def _run_gateway_until_exit(lab: Lab, catalog: str, servers: str, docker_host: str | None = None):
    """The page's command on a catalog that makes the gateway stop at start; its exit and its output."""
    engine = docker_engine.ensure_engine(lab)
    with dg.catalog_file(catalog) as path:
        argv = dg.gateway_argv(_closed_port(), path.name, servers)
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=300,
            env={
                **os.environ,
                "MCP_GATEWAY_AUTH_TOKEN": secrets.token_hex(16),
                "DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": "1",
                "DOCKER_HOST": docker_host or engine.host,
            },
        )


@needs_plugin
def test_gateway_exits_on_a_tool_name_collision(backends):
    """Which server and tool the message names depends on map order: check its shape, not one name."""
    text = (
        (TROUBLE / "collide.yaml")
        .read_text()
        .replace("127.0.0.1:8101/", f"127.0.0.1:{backends.backends['text-tools'].port}/")
    )
    done = _run_gateway_until_exit(backends, text, "text-tools,text-tools-copy")
    assert done.returncode != 0
    said = done.stderr + done.stdout
    found = re.search(
        r'tool name collision: server "([\w-]+)" and server "([\w-]+)" both expose tool name "(\w+)"; '
        r"enable tool-name-prefix or set unique catalog prefixes",
        said,
    )
    assert found, said
    first, second, tool = found.groups()
    assert {first, second} == {"text-tools", "text-tools-copy"}
    assert tool in {"word_count", "shout", "reverse_words"}
    page = (REPO / "docs" / "how-to" / "docker" / "troubleshooting.md").read_text()
    shown = re.search(
        r'`loading configuration: (tool name collision: server "[\w-]+" and server "[\w-]+" both expose '
        r'tool name "\w+"; [^`]+)`',
        page,
    )
    assert shown and found.group(0).split(";")[1] == shown.group(1).split(";")[1]
    assert f"loading configuration: {found.group(0)}" in said


@needs_plugin
def test_gateway_stops_when_no_engine_answers(backends, tmp_path):
    """troubleshooting: the engine stopped. Our own socket path stands for the default one."""
    socket = tmp_path / "docker.sock"
    done = _run_gateway_until_exit(
        backends,
        dg.catalog_text({n: b.port for n, b in backends.backends.items()}),
        "text-tools,math-tools",
        docker_host=f"unix://{socket}",
    )
    assert done.returncode != 0
    said = (done.stderr + done.stdout).strip()
    page = (REPO / "docs" / "how-to" / "docker" / "troubleshooting.md").read_text()
    assert said.replace(str(socket), "/var/run/docker.sock") in " ".join(page.split()), said


TROUBLE_PAGE = REPO / "docs" / "how-to" / "docker" / "troubleshooting.md"


def _page_lines() -> str:
    return " ".join(TROUBLE_PAGE.read_text().split())


@needs_plugin
def test_a_backend_down_at_start_gives_zero_of_its_tools_and_health_200(backends):
    down = _closed_port()
    text = dg.catalog_text({"text-tools": down, "math-tools": backends.backends["math-tools"].port})
    with dg.docker_gateway(backends, catalog=text, require_tools=False) as gateway:
        assert httpx.get(f"{gateway.base}/health").status_code == 200
        assert set(dg.list_tools(gateway.url, gateway.token)) == {"math__add", "math__multiply", "math__square"}
        log = (backends.state_dir / "logs" / "docker-gateway.log").read_text()
    line = next(line for line in log.splitlines() if "Can't start text-tools" in line)
    assert line.replace(f":{down}", ":8101").strip() in _page_lines(), line
    assert "> 3 tools listed in" in log


@needs_plugin
def test_plain_http_and_loopback_remote_urls_need_the_opt_in(backends):
    """Each of the page's three messages, from one gateway: plain http, https to localhost, https to 127.0.0.1.
    Then the page's fix: the same plain-http server with DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS=1 gives its tools."""
    port = backends.backends["text-tools"].port
    entry = "  {name}:\n    type: remote\n    remote: {{url: '{url}', transport_type: streamable-http}}\n"
    catalog = "registry:\n" + "".join(
        entry.format(name=name, url=url)
        for name, url in (
            ("text-tools", f"http://127.0.0.1:{port}/mcp"),
            ("by-name", f"https://localhost:{port}/mcp"),
            ("by-address", f"https://127.0.0.1:{port}/mcp"),
        )
    )
    with dg.docker_gateway(
        backends,
        catalog=catalog,
        servers="text-tools,by-name,by-address",
        extra_env={"DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": ""},
        require_tools=False,
    ) as gateway:
        assert dg.list_tools(gateway.url, gateway.token) == []
        log = (backends.state_dir / "logs" / "docker-gateway.log").read_text()
    page = _page_lines()
    lines = [line.strip() for line in log.splitlines() if "unsafe remote MCP URL" in line]
    assert len(lines) == 3, log
    for line in lines:
        name = re.search(r"Can't start ([\w-]+):", line)[1]
        assert line.replace(name, "text-tools") in page, line
    plain_http = "registry:\n" + entry.format(name="text-tools", url=f"http://127.0.0.1:{port}/mcp")
    with dg.docker_gateway(
        backends,
        catalog=plain_http,
        servers="text-tools",
        extra_env={"DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": "1"},
        require_tools=False,
    ) as gateway:
        assert sorted(dg.list_tools(gateway.url, gateway.token)) == ["reverse_words", "shout", "word_count"]


def _call_tool(url: str, headers: dict[str, str], tool: str, arguments: dict) -> tuple[dict, object]:
    """(the tool's outputSchema as listed, the structured result of one call), with the MCP Python SDK."""
    import anyio
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def go():
        async with streamablehttp_client(url, headers=headers) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                listed = {t.name: t for t in (await session.list_tools()).tools}
                result = await session.call_tool(tool, arguments)
                return listed[tool].outputSchema, result.structuredContent

    return anyio.run(go)


@needs_plugin
def test_gateway_keeps_output_schemas_and_turns_whole_floats_into_ints(backends):
    """setup and configuration: `${step.result.result}` works through the gateway, but 6 * 7 comes
    back as 42 where math-tools itself says 42.0."""
    direct_schema, direct = _call_tool(backends.backends["math-tools"].url, {}, "multiply", {"a": 6, "b": 7})
    with dg.docker_gateway(backends) as gateway:
        schema, through = _call_tool(
            gateway.url, {"Authorization": f"Bearer {gateway.token}"}, "math__multiply", {"a": 6, "b": 7}
        )
    assert schema == direct_schema and schema["properties"]["result"]["type"] == "number"
    assert direct == {"result": 42.0} and isinstance(direct["result"], float)
    assert through == {"result": 42} and isinstance(through["result"], int)
    assert "${result.result} (int) = 42" in (SETUP / "08-probe.out").read_text()


@needs_plugin
def test_a_misspelled_catalog_gives_no_tools_and_no_error(backends):
    """setup: a --catalog file that does not exist is an empty catalog; the log only says 0 tools.
    troubleshooting: started without MCP_GATEWAY_AUTH_TOKEN, the gateway prints a new random token."""
    engine = docker_engine.ensure_engine(backends)
    port = backends.port("misspelled")
    process = backends.start_server(
        "misspelled",
        dg.gateway_argv(port, f"no-such-catalog-{secrets.token_hex(4)}.yaml"),
        f"http://127.0.0.1:{port}/health",
        port=port,
        timeout=300,
        env={"DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": "1", "DOCKER_HOST": engine.host},
    )
    assert "MCP_GATEWAY_AUTH_TOKEN" not in process.env
    log = process.log.read_text()
    token = re.search(r"^> Use Bearer token: Authorization: Bearer (\S{16,})$", log, re.MULTILINE)
    assert token, log
    assert dg.list_tools(f"http://127.0.0.1:{port}/mcp", token[1]) == []
    assert "> 0 tools listed" in log and "not found" not in log.lower() and "error" not in log.lower(), log
    assert "`> 0 tools listed in <duration>`" in (REPO / "docs" / "how-to" / "docker" / "setup.md").read_text()
    assert "(`> Use Bearer token: Authorization: Bearer ...`)" in _page_lines()


INNER_TEST = """
import json, os, subprocess
from pathlib import Path
from gatewaylab import docker_engine, docker_gateway as dg
from gatewaylab.lab import GENERATED_SECRETS, Lab


def test_fails_with_everything_running(tmp_path):
    lab = Lab(tmp_path / "lab")  # never closed: the run itself must clean up after this failed test
    for name in dg.READER_PORTS:
        lab.start_backend(name)
    gateway = dg.docker_gateway(lab).__enter__()  # never exited either
    engine = docker_engine.shared()
    subprocess.run("tar cf - --files-from /dev/null | docker import - gatewaylab-empty:local", shell=True,
                   env=engine.env(), check=True, capture_output=True)
    container = engine.docker("create", "--name", "gatewaylab-left", "gatewaylab-empty:local", "/none").stdout.strip()
    network = engine.docker("network", "create", "gatewaylab-left").stdout.strip()
    assert engine.containers() == [container] and engine.networks() == [network]
    Path(os.environ["INNER_REPORT"]).write_text(json.dumps({
        "root": str(engine.root), "dockerd": engine.process.pid,
        "gateway": [p.pid for p in lab.processes if p.name == "docker-gateway"][0]}))
    assert False, "fails on purpose, with the engine, a container, a network and the gateway running"
"""


@pytest.mark.skipif(
    os.geteuid() != 0 or bool(docker_engine.server_version(docker_engine.DEFAULT_HOST)),
    reason="needs a run that starts its own engine: as root, with no engine at the default socket",
)
@needs_plugin
def test_a_failed_run_leaves_no_engine_container_network_or_gateway(tmp_path):
    """A test run that fails with everything up still stops all of it: dockerd (so its containers
    and networks, whose folder goes with it), the gateway, the backends."""
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DOCKER_HOST", "PYTEST_ADDOPTS")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(tmp_path / "pytest.ini"),
            str(tmp_path / "test_inner.py"),
        ],
        cwd=tmp_path,
        env={**env, "INNER_REPORT": str(report)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout[-3000:]
    assert "fails on purpose" in done.stdout and "1 failed" in done.stdout, done.stdout[-3000:]
    assert "stopped with its containers and networks" in done.stdout, done.stdout[-3000:]
    left = json.loads(report.read_text())
    from gatewaylab.procs import pid_alive

    assert not pid_alive(left["dockerd"]) and not pid_alive(left["gateway"])
    root = left["root"]
    assert not Path(root).exists()
    assert root not in Path("/proc/self/mountinfo").read_text()
    for proc in processes():
        assert root not in proc.cmdline, f"process {proc.pid} still uses the engine: {proc.cmdline}"


CONTAINERS = SETUP / "containers.yaml"


def _containers_catalog(backends: Lab, engine: docker_engine.Engine) -> tuple[str, str]:
    """The text-tools image made in `engine`, and the setup page's containers.yaml with this run's
    math-tools port in place of the reader's 8102."""
    from gatewaylab import docker_images

    image = docker_images.text_tools_image(engine)
    port = backends.backends["math-tools"].port
    return image, CONTAINERS.read_text().replace("127.0.0.1:8102/", f"127.0.0.1:{port}/")


@pytest.fixture(scope="module")
def engine_for_containers(tmp_path_factory):
    """An engine the gateway's `docker run` can reach: the one at the default socket, or ours there."""
    if docker_engine.server_version(docker_engine.DEFAULT_HOST):
        yield docker_engine.Engine(docker_engine.DEFAULT_HOST, "")
        return
    if docker_engine.unavailable() is not None or os.geteuid() != 0:
        pytest.skip("needs an engine at /var/run/docker.sock, or root to start one there")
    engine = docker_engine.start_engine(default_socket=True)
    try:
        yield engine
    finally:
        engine.stop()
        assert docker_engine.wait_gone(engine) == []
        assert not Path("/var/run/docker.sock").exists()


@needs_plugin
def test_a_container_server_behind_the_gateway(backends, engine_for_containers):
    """setup: the catalog with one container and one remote server. The gateway runs the image
    (made here: gatewaylab.docker_images), lists its tools, and starts a container for each call."""

    engine = engine_for_containers
    if engine.owned:  # ours, at the default socket: no other page or test may borrow it (it goes with this test)
        assert docker_engine.answering(docker_engine.DEFAULT_HOST) is None
    image, catalog = _containers_catalog(backends, engine)
    assert f"image: {image}" in catalog
    with dg.docker_gateway(backends, catalog=catalog, engine=engine) as gateway:
        assert set(dg.list_tools(gateway.url, gateway.token)) == dg.EXPECTED_TOOLS
        start = time.monotonic()
        _, result = _call_tool(
            gateway.url, {"Authorization": f"Bearer {gateway.token}"}, "word_count", {"text": "one container per call"}
        )
        took = time.monotonic() - start
        assert result == {"result": 4}
        assert engine.docker("ps", "-q", "--filter", "label=docker-mcp-name=text-tools").stdout.strip() == ""
        log = (backends.state_dir / "logs" / "docker-gateway.log").read_text()
    assert "--pull never" in log and "  > text-tools: (3 tools)" in log, log
    print(f"one call through a container server: {took:.1f} s")


@needs_plugin
@pytest.mark.parametrize(
    "flags, shown",
    [((), "08-containers-per-call.out"), (("--long-lived",), "08-containers-long-lived.out")],
    ids=["a-container-per-call", "long-lived"],
)
def test_a_container_per_call_unless_long_lived(backends, engine_for_containers, reader_shell, flags, shown):
    """troubleshooting, "A new container for every tool call": the page's commands (one pflow run,
    two calls to the container server) through the gateway with the container catalog, then again
    with --long-lived."""
    engine = engine_for_containers
    _, catalog = _containers_catalog(backends, engine)
    with dg.docker_gateway(backends, catalog=catalog, engine=engine, flags=flags) as gateway:
        _add_page_entry(reader_shell, gateway.env())
        synced = reader_shell.run("pflow mcp sync docker")
        assert synced.returncode == 0, synced.stdout
        (reader_shell.work / "shout-count.pflow.md").write_text((TROUBLE / "shout-count.pflow.md").read_text())
        done = reader_shell.run((TROUBLE / "08-containers-per-call.sh").read_text(), timeout=300)
        assert done.returncode == 0, done.stdout
        expected = (TROUBLE / shown).read_text()
        assert matches(expected, done.stdout), f"{shown} differs from the real output:\n{done.stdout}"
    # With or without --long-lived, nothing of the server is left once the gateway has stopped.
    assert engine.docker("ps", "-aq", "--filter", "label=docker-mcp-name=text-tools").stdout.strip() == ""


# The container server of containers.yaml, made slow to start: its `command` adds these arguments
# to the image's entrypoint (gatewaylab.backends: it waits, then serves).
SLOW_START_CATALOG = """name: gatewaylab-slow-start
registry:
  text-tools:
    name: text-tools
    type: server
    title: Text tools, slow to start
    image: {image}
    command: ["--start-delay", "{delay}"]
"""


@needs_plugin
def test_a_gateway_still_starting_its_servers_times_pflow_out(backends, engine_for_containers, reader_shell):
    """troubleshooting, "Request Timed Out on the first call" (docker/mcp-gateway#20): the gateway listens first,
    then starts each container server once to list its tools, and answers nothing until that is done.
    A server that takes 15 s to start (as a pulled image would) outlasts an entry's 3-second timeout;
    the page's entry (120 s) waits it out."""
    engine = engine_for_containers
    image, _ = _containers_catalog(backends, engine)
    catalog = SLOW_START_CATALOG.format(image=image, delay=15)
    entry = (SETUP / "docker-gateway.json").read_text()
    assert '"timeout": 120' in entry
    (reader_shell.work / "impatient.json").write_text(entry.replace('"timeout": 120', '"timeout": 3'))
    assert reader_shell.run("pflow mcp add ./impatient.json").returncode == 0
    with dg.docker_gateway(backends, catalog=catalog, engine=engine, listening_only=True) as gateway:
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in gateway.env().items())
        start = time.monotonic()
        impatient = reader_shell.run(f"export {exports}\npflow mcp sync docker")
        took = time.monotonic() - start
        assert impatient.returncode == 1, impatient.stdout
        shown = (TROUBLE / "09-cold-start.out").read_text()
        assert matches(shown, impatient.stdout), f"09-cold-start.out differs from the real output:\n{impatient.stdout}"
        assert took >= 3, f"pflow gave up after {took:.1f} s"
        # The cause: the port is open, and even /health gets no answer yet.
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{gateway.base}/health", timeout=0.5)

        _add_page_entry(reader_shell, gateway.env())
        patient = reader_shell.run("pflow mcp sync docker")
        assert patient.returncode == 0, patient.stdout
        assert "Registered 3 tools" in patient.stdout and "mcp-docker-shout" in patient.stdout, patient.stdout
    assert engine.docker("ps", "-aq", "--filter", "label=docker-mcp-name=text-tools").stdout.strip() == ""


@needs_plugin
def test_without_desktop_a_secret_comes_from_a_file_and_its_header_reaches_the_remote(tmp_path):
    """setup.md, "What differs outside Docker Desktop": `docker mcp secret set` fails on Docker
    Engine, and the secrets file of 11-secrets-file.sh fills the header of secured.yaml, which a
    server that refuses every other bearer token then accepts."""
    unknown = subprocess.run(["docker", "pass", "--help"], capture_output=True, text=True, timeout=60)
    assert unknown.stdout.startswith("Usage:  docker [OPTIONS] COMMAND"), "docker pass is installed here"
    token = secrets.token_hex(16)
    GENERATED_SECRETS.add(token)
    refused = subprocess.run(
        ["docker", "mcp", "secret", "set", "text-tools.api_token"],
        input=token,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert (refused.stdout + refused.stderr).strip() == "docker pass has not been installed"
    assert (
        "otherwise `docker pass has not been installed`"
        in (REPO / "docs" / "how-to" / "docker" / "setup.md").read_text()
    )

    with Lab(tmp_path / "lab") as lab:
        backend = lab.start_backend("text-tools", env={"BACKEND_BEARER_TOKEN": token})
        assert httpx.post(backend.url, json={}).status_code == 401
        catalog = (SETUP / "secured.yaml").read_text().replace("https://text-tools.example.com/mcp", backend.url)
        found, logs = {}, {}
        for name, value in (("none", None), ("right", token), ("wrong", secrets.token_hex(16))):
            flags: tuple[str, ...] = ()
            if value:
                secrets_file = tmp_path / f"{name}.env"
                secrets_file.write_text(f"text-tools.api_token={value}\n")
                secrets_file.chmod(0o600)
                flags = ("--secrets", str(secrets_file))
            with dg.docker_gateway(
                lab,
                catalog=catalog,
                servers="text-tools",
                require_tools=False,
                flags=flags,
                name=f"docker-gateway-{name}",
            ) as gateway:
                found[name] = set(dg.list_tools(gateway.url, gateway.token))
            logs[name] = (lab.state_dir / "logs" / f"docker-gateway-{name}.log").read_text()
    # Without the file the gateway finds no secret and the server refuses it (the page quotes both lines).
    page = (REPO / "docs" / "how-to" / "docker" / "setup.md").read_text()
    for quoted in (
        "Warning: Failed to fetch secrets from secrets engine: ",
        """  > Can't start text-tools: failed to connect: calling "initialize": sending "initialize": Unauthorized""",
    ):
        assert quoted in logs["none"] and quoted.strip() in page, quoted
    assert found == {"none": set(), "right": {"word_count", "shout", "reverse_words"}, "wrong": set()}
