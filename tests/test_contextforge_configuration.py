"""Claims of docs/how-to/contextforge/configuration.md beyond its shown output."""

import json
import subprocess

import pytest

from gatewaylab.envs import contextforge_bin
from gatewaylab.lab import Lab


@pytest.fixture(scope="module")
def defaults() -> dict:
    done = subprocess.run(
        [str(contextforge_bin("python")), "-c",
         "import json; from mcpgateway.config import Settings; "
         "print(json.dumps({k.upper(): f.default for k, f in Settings.model_fields.items()}, default=str))"],
        capture_output=True, text=True, timeout=120,
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
