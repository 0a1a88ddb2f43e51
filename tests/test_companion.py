"""pflow-gateway, the companion CLI (docs/reference/companion.md), against real servers.

The shared lab gives ContextForge and the two direct backends. A private lab gives a ContextForge
with a tiny MCP_LIST_PAGE_SIZE (pagination), a backend we stop, and expired tokens minted with
ContextForge's own tool. Failures are real: a free port, an unresolvable name, a self-signed
certificate, a listener that never answers, a wrong token, a wrong path, a missing variable.
Every pflow entry is added by real `pflow mcp add` (or by `pflow-gateway setup`, which calls it).
The companion is also installed alone, as the page tells, and run from there.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import time
import tomllib
from itertools import zip_longest
from pathlib import Path

import httpx
import pytest
from gatewaylab.envs import REPO, UV, contextforge_bin
from gatewaylab.fences import matches
from gatewaylab.lab import Lab
from gatewaylab.procs import ManagedProcess, free_port
from gatewaylab.pytest_plugin import ReaderShell
from gatewaylab.requirements import unmet
from pflow_gateway.exits import Cause, Exit
from pflow_gateway.kinds import split_names

PAGE = REPO / "docs" / "reference" / "companion.md"

GATEWAY = {
    "type": "http",
    "url": "http://127.0.0.1:${CONTEXTFORGE_PORT}/mcp",
    "auth": {"type": "bearer", "token": "${CONTEXTFORGE_TOKEN}"},
}


def add(shell, name: str, entry: dict | None = None, **more: dict) -> None:
    """One `pflow mcp add` for one or several entries (pflow takes seconds to start: batch them)."""
    servers = {name: entry, **more} if entry is not None else more
    done = shell.run(f"pflow mcp add {shlex.quote(json.dumps({'mcpServers': servers}))}")
    assert done.returncode == 0 and "Added" in done.stdout, done.stdout


def run(shell, command: str, timeout: float = 120) -> tuple[int, str]:
    done = shell.run(f'set +e\n{command}\necho "[exit $?]"', timeout=timeout)
    out, _, code = done.stdout.rstrip().rpartition("[exit ")
    return int(code.rstrip("]")), out


def run_json(shell, command: str, timeout: float = 120) -> tuple[int, dict]:
    code, out = run(shell, command if "--json" in command else command + " --json", timeout)
    return code, json.loads(out)


@pytest.fixture(scope="module")
def pflow_config_with_servers(tmp_path_factory, lab_env):
    """~/.pflow after the one `pflow mcp add` every test starts from: made once, copied into each
    test's HOME (pflow takes seconds to start, and this module has many tests)."""
    template = ReaderShell(tmp_path_factory.mktemp("companion-servers"))
    try:
        add(
            template,
            "gw",
            GATEWAY,
            text={"type": "http", "url": "http://127.0.0.1:${TEXT_TOOLS_PORT}/mcp"},
            math={"type": "http", "url": "http://127.0.0.1:${MATH_TOOLS_PORT}/mcp"},
            wrongpath={**GATEWAY, "url": "http://127.0.0.1:${CONTEXTFORGE_PORT}/v1/mcp"},
            nowhere={"type": "http", "url": "http://no-such-host.invalid/mcp"},
            local={"command": "true"},
            plain={"type": "http", "url": "https://127.0.0.1:${TEXT_TOOLS_PORT}/mcp"},
        )
        yield template.home / ".pflow"
    finally:
        template.close()


@pytest.fixture
def shell(reader_shell, lab_env, pflow_config_with_servers):
    """A reader with the lab's variables exported and the servers above in pflow's configuration."""
    reader_shell.run("".join(f"export {k}={shlex.quote(v)}\n" for k, v in lab_env.items()))
    shutil.copytree(pflow_config_with_servers, reader_shell.home / ".pflow")
    return reader_shell


# -- a private lab: pagination, a backend to stop, expired tokens ---------------------------------
PAGE_SIZE = 2


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    with Lab(tmp_path_factory.mktemp("companion-lab")) as lab:
        for name in ("text-tools", "math-tools"):
            lab.start_backend(name)
        gateway = lab.start_contextforge("paged", settings={"MCP_LIST_PAGE_SIZE": str(PAGE_SIZE)})
        for backend in lab.backends.values():
            gateway.register(backend.name, backend.url)
        yield lab, gateway


@pytest.fixture
def paged_shell(shell, paged):
    _, gateway = paged
    shell.run(f"export PAGED_PORT={gateway.port} PAGED_TOKEN={shlex.quote(gateway.token)}")
    add(
        shell,
        "paged",
        {
            "type": "http",
            "url": "http://127.0.0.1:${PAGED_PORT}/mcp",
            "auth": {"type": "bearer", "token": "${PAGED_TOKEN}"},
        },
    )
    return shell


def mint_expired(gateway, seconds_ago: int = 120) -> tuple[str, int]:
    """A token signed with the gateway's real secret whose exp is already past (no waiting)."""
    exp = int(time.time()) - seconds_ago
    done = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-m",
            "mcpgateway.utils.create_jwt_token",
            "--data",
            json.dumps({"username": "admin@example.com", "exp": exp}),
            f"--secret={gateway.jwt_secret}",
        ],
        env=gateway.process.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1], exp


# -- every command, the happy paths ---------------------------------------------------------------
@pytest.mark.parametrize("command", ["", "list", "setup", "test", "services", "health"])
def test_every_command_has_help_with_exit_codes(reader_shell, command):
    code, out = run(reader_shell, f"pflow-gateway {command} --help")
    assert code == 0
    assert "usage: pflow-gateway" in out and "exit status:" in out and "5  the server refused" in out


def test_list_names_each_kind_with_its_defaults(reader_shell):
    code, data = run_json(reader_shell, "pflow-gateway list")
    kinds = {k["name"]: k for k in data["kinds"]}
    assert code == 0 and set(kinds) == {"contextforge", "docker", "generic"}
    assert kinds["contextforge"]["port"] == 4444 and kinds["docker"]["port"] == 8811
    assert "/servers/<id>/mcp" in kinds["contextforge"]["paths"]
    assert kinds["docker"]["token_env"] == "MCP_GATEWAY_AUTH_TOKEN"


def test_setup_adds_the_entry_through_pflow_without_the_token_and_pflow_uses_it(reader_shell, lab_env, lab):
    reader_shell.run("".join(f"export {k}={shlex.quote(v)}\n" for k, v in lab_env.items()))
    code, out = run(reader_shell, "pflow-gateway setup contextforge cf --url 'http://127.0.0.1:${CONTEXTFORGE_PORT}'")
    assert code == 0, out
    assert "OK" in out.splitlines()[-1]
    config_file = reader_shell.home / ".pflow" / "mcp-servers.json"
    entry = json.loads(config_file.read_text())["mcpServers"]["cf"]
    assert entry == {
        "type": "http",
        "url": "http://127.0.0.1:${CONTEXTFORGE_PORT}/mcp",
        "auth": {"type": "bearer", "token": "${CONTEXTFORGE_TOKEN}"},
    }
    assert lab_env["CONTEXTFORGE_TOKEN"] not in config_file.read_text()
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    synced = reader_shell.run("pflow mcp sync cf")
    assert f"Discovered {len(lab.gateways['contextforge'].tools())} tools" in synced.stdout


def test_setup_refuses_a_token_where_a_variable_name_belongs(reader_shell, lab_env):
    code, out = run(
        reader_shell,
        f"pflow-gateway setup contextforge cf --url http://127.0.0.1:1/mcp "
        f"--token-env {shlex.quote(lab_env['CONTEXTFORGE_TOKEN'])}",
    )
    assert code == 2 and "NAME of an environment variable" in out
    assert lab_env["CONTEXTFORGE_TOKEN"] not in out
    assert (
        not (reader_shell.home / ".pflow" / "mcp-servers.json").exists()
        or "cf" not in (reader_shell.home / ".pflow" / "mcp-servers.json").read_text()
    )


def test_test_sees_what_the_gateway_serves_and_what_pflow_discovers(shell, lab):
    code, report = run_json(shell, "pflow-gateway test gw")
    admin_names = {t["name"] for t in lab.gateways["contextforge"].tools()}
    assert code == 0 and report["ok"]
    assert set(report["tools"]) == admin_names and report["pages"] == 1 and report["warnings"] == []
    assert f"Discovered {report['pflow_sees']} tools" in shell.run("pflow mcp sync gw").stdout
    assert report["server_info"]["name"] == "ContextForge"
    assert report["variables"] == {"CONTEXTFORGE_PORT": "environment", "CONTEXTFORGE_TOKEN": "environment"}


def test_test_calls_a_tool_through_the_gateway(shell):
    code, report = run_json(shell, 'pflow-gateway test gw --call text-tools-word-count --args \'{"text": "a b c"}\'')
    assert code == 0 and report["call"]["ok"] and report["call"]["structured"] == {"result": 3}
    assert report["timings_ms"]["call"] > 0


def test_detection_on_contextforge_and_on_a_direct_backend(shell):
    _, gateway = run_json(shell, "pflow-gateway test gw")
    g = gateway["gateway"]
    assert g["gateway"] and g["kind"] == "contextforge" and g["decided_by"] == 'serverInfo.name is "ContextForge"'
    decisive = {e["source"] for e in g["evidence"] if e["decisive"]}
    assert decisive == {"serverInfo", "header", "endpoints"}
    _, direct = run_json(shell, "pflow-gateway test text")
    d = direct["gateway"]
    assert not d["gateway"] and d["kind"] is None and d["decided_by"].startswith("no gateway evidence")
    assert direct["session_id"] and direct["server_info"]["name"] == "text-tools"


def test_services_from_contextforges_admin_api_match_its_registrations(shell, lab):
    gateway = lab.gateways["contextforge"]
    code, data = run_json(shell, "pflow-gateway services gw")
    assert code == 0 and data["source"].startswith("ContextForge admin API")
    expected = {(t["name"], t["gatewaySlug"], t["originalName"]) for t in gateway.tools()}
    got = {(t["name"], t["source_service"], t["original_name"]) for s in data["services"] for t in s["tools"]}
    assert got == expected
    registered = {g["name"] for g in gateway.api("GET", "/v1/gateways").json()}
    assert {s["name"] for s in data["services"]} == registered


def test_naming_patterns_recover_contextforges_services_without_the_admin_api(lab):
    """The fallback used for unknown gateways, checked against ContextForge's own record."""
    tools = lab.gateways["contextforge"].tools()
    split = split_names([t["name"] for t in tools])
    for tool in tools:
        assert split[tool["name"]]["source_service"] == tool["gatewaySlug"]
        assert split[tool["name"]]["original_name"] == tool["originalName"].replace("_", "-")


def test_services_of_a_direct_backend_is_the_server_itself(shell):
    code, data = run_json(shell, "pflow-gateway services math")
    assert code == 0 and [s["name"] for s in data["services"]] == ["math-tools"]
    assert {t["original_name"] for t in data["services"][0]["tools"]} == {"add", "multiply", "square"}


def test_health_of_the_lab_gateway(shell, lab):
    started = time.monotonic()
    code, h = run_json(shell, "pflow-gateway health gw")
    took = time.monotonic() - started
    assert code == 0 and h["status"] == "healthy"
    assert h["tools_available"] == len(lab.gateways["contextforge"].tools())
    assert {s["name"] for s in h["services"]} == set(lab.backends) and all(s["reachable"] for s in h["services"])
    assert all(h["latency_ms"][k] > 0 for k in ("initialize", "list", "call")) and h["call"] == "ping"
    # ContextForge is stateless by default: no Mcp-Session-Id on initialize (checked here without the tool).
    raw = httpx.post(
        lab.gateways["contextforge"].mcp_url,
        headers={
            "Authorization": f"Bearer {lab.gateways['contextforge'].token}",
            "Accept": "application/json, text/event-stream",
        },
        json={
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        },
    )
    assert h["session_id"] == raw.headers.get("mcp-session-id")
    print(f"\npflow-gateway health against the lab's ContextForge: {took:.2f} s")
    assert took < 10


def test_health_of_a_direct_backend_times_a_tool_call_and_shows_its_session(shell):
    code, h = run_json(shell, 'pflow-gateway health text --call word_count --args \'{"text": "x y"}\'')
    assert code == 0 and h["status"] == "healthy" and h["call"] == "word_count"
    assert len(h["session_id"]) >= 16 and h["gateway"]["gateway"] is False


def test_health_watch_is_bounded(shell):
    started = time.monotonic()
    code, out = run(shell, "pflow-gateway health gw --json --every 0.2 --count 3")
    rounds = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rounds) == 3 and all(r["status"] == "healthy" for r in rounds)
    assert time.monotonic() - started < 30


def test_progress_goes_to_stderr_only(shell):
    done = subprocess.run(
        ["bash", "-c", "source .state.env; PFLOW_GATEWAY_PROGRESS=1 pflow-gateway test gw --json"],
        cwd=shell.root,
        env=shell.base_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "… connecting to" in done.stderr and "… listing tools" in done.stderr
    assert json.loads(done.stdout)["ok"]


# -- pagination: more tools than pflow sees ---------------------------------------------------------
def test_every_page_is_read_and_the_pflow_shortfall_is_warned(paged_shell, paged):
    _, gateway = paged
    total = len(gateway.tools())
    code, report = run_json(paged_shell, "pflow-gateway test paged")
    assert code == 0 and report["tool_count"] == total
    assert report["pages"] == math.ceil(total / PAGE_SIZE) and report["pflow_sees"] == PAGE_SIZE
    assert set(report["tools"]) == {t["name"] for t in gateway.tools()}
    assert "pflow's discovery reads only the first page" in report["warnings"][0]
    # Real pflow confirms the warning: it registers only the first page.
    assert f"Discovered {PAGE_SIZE} tools" in paged_shell.run("pflow mcp sync paged").stdout


# -- failures, each real -------------------------------------------------------------------------
def test_stopped_backend_direct_is_refused_and_through_the_gateway_is_degraded(paged_shell, paged):
    lab, gateway = paged
    doomed = lab.start_backend("doomed", "text")
    gateway.register("doomed", doomed.url)
    add(paged_shell, "doomed", {"type": "http", "url": doomed.url})
    assert run(paged_shell, "pflow-gateway test doomed")[0] == 0
    lab.stop(doomed.process)
    code, report = run_json(paged_shell, "pflow-gateway test doomed")
    assert code == 4 and report["cause"] == "refused" and f":{doomed.port}" in report["message"]
    code, h = run_json(paged_shell, 'pflow-gateway health paged --call doomed-shout --args \'{"text": "x"}\'')
    assert code == 1 and h["status"] == "degraded" and h["cause"] == "tool_error"
    assert "doomed-shout" in h["message"]


def test_wrong_token_is_auth_with_the_servers_own_message(shell, lab):
    said = httpx.post(lab.gateways["contextforge"].mcp_url, json={}, headers={"Authorization": "Bearer wrong"})
    code, report = run_json(shell, "CONTEXTFORGE_TOKEN=wrong pflow-gateway test gw")
    assert code == 5 and report["cause"] == "auth" and report["http_status"] == said.status_code == 401
    assert said.json()["detail"] in report["message"]
    assert "CONTEXTFORGE_TOKEN" in report["fix"]


def test_expired_token_is_named_with_its_expiry(paged_shell, paged):
    _, gateway = paged
    token, exp = mint_expired(gateway)
    code, report = run_json(paged_shell, f"PAGED_TOKEN={shlex.quote(token)} pflow-gateway test paged")
    assert code == 5 and report["cause"] == "expired_token"
    assert report["token_expired_at"].startswith(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(exp)))
    assert "create_jwt_token" in report["fix"] and token not in json.dumps(report)


def test_wrong_path_is_named_and_the_right_one_found(shell):
    code, report = run_json(shell, "pflow-gateway test wrongpath")
    port = shell.env()["CONTEXTFORGE_PORT"]
    assert code == 6 and report["cause"] == "path" and report["http_status"] == 404
    assert f"http://127.0.0.1:{port}/mcp" in report["fix"]


def test_missing_variable_is_named_as_pflow_names_it(shell):
    code, report = run_json(shell, "(unset CONTEXTFORGE_TOKEN; pflow-gateway test gw --json)")
    assert code == 3 and report["cause"] == "missing_env" and report["missing"] == ["CONTEXTFORGE_TOKEN"]
    assert "pflow settings set-env CONTEXTFORGE_TOKEN VALUE" in report["fix"]
    pflow = shell.run("(unset CONTEXTFORGE_TOKEN; pflow mcp sync gw)").stdout
    assert "Missing environment variable(s): CONTEXTFORGE_TOKEN" in pflow
    # The page says pflow's own hint is wrong: it suggests one NAME=value argument...
    assert "pflow settings set-env CONTEXTFORGE_TOKEN=your_value" in pflow
    # ...which pflow's set-env refuses: it takes the name and the value as two arguments.
    assert shell.run("pflow settings set-env CONTEXTFORGE_TOKEN=x").returncode != 0


def test_pflow_settings_store_is_used_and_the_shell_wins(shell, lab_env):
    token = lab_env["CONTEXTFORGE_TOKEN"]
    assert shell.run(f"pflow settings set-env CONTEXTFORGE_TOKEN {shlex.quote(token)}").returncode == 0
    code, report = run_json(shell, "(unset CONTEXTFORGE_TOKEN; pflow-gateway test gw --json)")
    assert code == 0 and report["variables"]["CONTEXTFORGE_TOKEN"] == "pflow settings"
    assert shell.run("pflow settings set-env CONTEXTFORGE_TOKEN wrong").returncode == 0
    code, report = run_json(shell, "pflow-gateway test gw")  # the shell's good token wins over the stored one
    assert code == 0 and report["variables"]["CONTEXTFORGE_TOKEN"] == "environment"
    code, report = run_json(shell, "(unset CONTEXTFORGE_TOKEN; pflow-gateway test gw --json)")
    assert code == 5 and report["cause"] == "auth"


def test_refused_port(shell):
    port = free_port()
    add(shell, "nothing", {"type": "http", "url": f"http://127.0.0.1:{port}/mcp"})
    code, report = run_json(shell, "pflow-gateway test nothing")
    assert code == 4 and report["cause"] == "refused" and f"127.0.0.1:{port}" in report["fix"]


def test_dns_failure(shell):
    code, report = run_json(shell, "pflow-gateway test nowhere")
    assert code == 4 and report["cause"] == "dns" and "no-such-host.invalid" in report["fix"]


def test_timeout_on_a_listener_that_never_answers(shell):
    with socket.socket() as silent:  # the kernel accepts connections; nobody ever answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        add(shell, "silent", {"type": "http", "url": f"http://127.0.0.1:{port}/mcp", "timeout": 1})
        started = time.monotonic()
        code, report = run_json(shell, "pflow-gateway test silent")
        assert code == 4 and report["cause"] == "timeout" and "1 s" in report["fix"]
        assert time.monotonic() - started < 15


@pytest.fixture
def tls_backend(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = ManagedProcess(
        "tls-backend",
        [
            sys.executable,
            str(REPO / "tests" / "companion_tls_server.py"),
            "--port",
            str(port),
            "--cert",
            str(cert),
            "--key",
            str(key),
        ],
        env=dict(os.environ),
        log=tmp_path / "tls.log",
        cwd=tmp_path,
    )
    process.start()
    try:

        def answers() -> bool:
            try:
                trust = ssl.create_default_context(cafile=str(cert))
                return httpx.get(f"https://127.0.0.1:{port}/health", verify=trust).status_code == 200
            except httpx.TransportError:
                return False

        process.wait_ready(answers, timeout=60, what="HTTPS /health answering 200")
        yield f"https://127.0.0.1:{port}/mcp", cert
    finally:
        process.stop()


def test_tls_verification_failure_and_its_fix(shell, tls_backend):
    url, cert = tls_backend
    add(shell, "tls", {"type": "http", "url": url})
    code, report = run_json(shell, "pflow-gateway test tls")
    assert code == 4 and report["cause"] == "tls" and "certificate verify failed" in report["message"].lower()
    # The fix it gives works, for pflow-gateway and for pflow itself.
    code, report = run_json(shell, f"SSL_CERT_FILE={cert} pflow-gateway test tls")
    assert code == 0 and report["tool_count"] == 3
    assert "Discovered 3 tools" in shell.run(f"SSL_CERT_FILE={cert} pflow mcp sync tls").stdout


def test_https_to_a_plain_http_server_is_named(shell):
    code, report = run_json(shell, "pflow-gateway test plain")
    assert code == 4 and report["cause"] == "tls" and "use http://" in report["fix"]


def test_a_stdio_entry_and_an_unknown_name_are_config_errors(shell):
    code, report = run_json(shell, "pflow-gateway test local")
    assert code == 3 and report["cause"] == "not_http"
    code, report = run_json(shell, "pflow-gateway health nosuch")
    assert code == 3 and report["cause"] == "not_configured" and "gw" in report["message"]


def test_a_failed_tool_call_is_degraded_and_names_a_missing_tool(shell):
    code, report = run_json(shell, "pflow-gateway test text --call no_such_tool")
    assert code == 1 and report["cause"] == "tool_error" and "no tool named 'no_such_tool'" in report["message"]


# -- the exit statuses: one table in the package, the same on the page -------------------------------
def test_every_cause_ends_in_exactly_one_exit_status():
    for cause in Cause:
        owners = [status for status in Exit if cause in status.causes]
        assert len(owners) == 1 and Exit.of(cause) == owners[0], f"{cause} ends in {owners}"


def page_table(heading: str) -> list[str]:
    """The rows of the first table under `## heading` on the page (header and rule left out)."""
    section = PAGE.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")][2:]


def test_the_pages_exit_status_table_is_the_packages():
    expected = [
        f"| {status.value} | {status.meaning} | {', '.join(f'`{c}`' for c in status.causes) or '-'} |"
        for status in Exit
    ]
    for row, (shown, data) in enumerate(zip_longest(page_table("Exit status"), expected), start=1):
        assert shown == data, f"{PAGE.relative_to(REPO)}, exit status table, row {row}"
    for row in page_table("When it fails"):
        assert row.split("`")[1] in set(Cause), f"the failure table names a cause the package does not have: {row}"


# -- installed alone, as the page tells a reader without this guide ----------------------------------
INSTALL = REPO / "snippets" / "companion" / "15-install-alone.sh"
NOT_WANTED = ("pytest", "playwright", "jupyter", "nbclient", "mkdocs", "pflow", "mcp")


def test_installed_alone_it_brings_nothing_of_the_guide_and_works(shell, lab):
    """The page's install fence, from the repository's top folder, into the reader's throwaway HOME."""
    env = shell.env()  # the lab's variables, pflow's entries, a fresh HOME, the shared uv cache
    home = Path(env["HOME"])
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join([str(home / ".local" / "bin"), str(UV.parent), "/usr/bin", "/bin"])
    env["UV_PYTHON"] = sys.executable  # an interpreter uv can use without a download; none of .venv's packages
    # uv reaches PyPI through this machine's CA, if it names one (as in tests/test_fresh_start.py).
    registry = {k: os.environ[k] for k in ("SSL_CERT_FILE",) if k in os.environ}
    done = subprocess.run(
        ["bash", "-e", str(INSTALL)],
        cwd=REPO,
        env={**env, **registry},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert done.returncode == 0 and matches(INSTALL.with_suffix(".out").read_text(), done.stdout), done.stdout
    version = tomllib.loads((REPO / "companion" / "pyproject.toml").read_text())["project"]["version"]
    assert done.stdout.splitlines()[-1] == f"pflow-gateway {version}"

    tools = Path(subprocess.run([str(UV), "tool", "dir"], env=env, capture_output=True, text=True).stdout.strip())
    probe = "import importlib.util, json, sys; print(json.dumps({m: bool(importlib.util.find_spec(m)) for m in sys.argv[1:]}))"
    found = subprocess.run(
        [str(tools / "pflow-gateway" / "bin" / "python"), "-c", probe, "httpx", *NOT_WANTED],
        capture_output=True,
        text=True,
    )
    assert json.loads(found.stdout) == {"httpx": True, **dict.fromkeys(NOT_WANTED, False)}, found.stdout

    # One real command from there: the lab's ContextForge, through the entry pflow was given.
    installed = home / ".local" / "bin" / "pflow-gateway"
    health = subprocess.run([str(installed), "health", "gw", "--json"], env=env, capture_output=True, text=True)
    h = json.loads(health.stdout)
    assert health.returncode == 0 and h["status"] == "healthy" and h["gateway"]["kind"] == "contextforge"
    assert h["tools_available"] == len(lab.gateways["contextforge"].tools())


_NO_DOCKER_GATEWAY = unmet("docker-gateway")


@pytest.mark.skipif(_NO_DOCKER_GATEWAY is not None, reason=str(_NO_DOCKER_GATEWAY))
def test_a_docker_gateway_is_told_by_its_server_name_and_its_prefixes(tmp_path):
    """The page's evidence table, against the real Docker MCP Gateway of the Docker setup page:
    setup adds it with MCP_GATEWAY_AUTH_TOKEN, serverInfo.name decides the kind, and services
    groups the `math__` tools by their prefix (the unprefixed ones stay unknown)."""
    from gatewaylab import docker_gateway as dg

    with Lab(tmp_path / "lab") as lab:
        for name in dg.READER_PORTS:
            lab.start_backend(name)
        with dg.docker_gateway(lab) as gateway:
            shell = ReaderShell(tmp_path / "reader", {"MCP_GATEWAY_AUTH_TOKEN": gateway.token})
            try:
                code, tested = run_json(shell, f"pflow-gateway setup docker dgw --url {gateway.base}")
                assert code == 0, tested
                code, services = run_json(shell, "pflow-gateway services dgw")
            finally:
                shell.close()
    assert tested["entry"] == {
        "type": "http",
        "url": gateway.url,  # the kind's default path, /mcp, added to the bare URL
        "auth": {"type": "bearer", "token": "${MCP_GATEWAY_AUTH_TOKEN}"},
    }
    found = tested["test"]["gateway"]
    assert found["kind"] == "docker"
    assert found["decided_by"] == 'serverInfo.name is "Docker AI MCP Gateway"'
    assert code == 0
    groups = {service["name"]: sorted(t["original_name"] for t in service["tools"]) for service in services["services"]}
    assert groups == {"math": ["add", "multiply", "square"], "(unknown)": ["reverse_words", "shout", "word_count"]}
    page = PAGE.read_text()
    assert "Docker MCP Gateway v0.43.3 says `Docker AI MCP Gateway`" in page
