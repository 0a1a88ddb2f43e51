"""The catalog files on the Docker pages follow the format the gateway reads.

No Docker gateway runs here, so this module checks the shape the pages document against the
gateway's source, read at docker/mcp-gateway 2bd20fe83dd04870e8d87dc1ed059d4d19fc7c68 (v0.43.3+6):

- pkg/catalog/types.go: top level `name`, `displayName`, `registry` (server name -> Server),
  `policy`; the Server's yaml keys; `type` validated `oneof=server remote poci`; Remote's keys
  `url`, `transport_type`, `headers`; Secret `{name, env}`; Env `{name, value}`.
- pkg/mcp/remote.go: `transport_type` must be `sse`, `http`, `streamable`, `streaming` or
  `streamable-http` (anything else, empty included: `unsupported remote transport`); header
  values are expanded against the server's declared secrets, by their `env` name.
- pkg/gateway/configuration.go (`Find`): an entry is an MCP server when it has `image`,
  `sseEndpoint` or `remote.url`; pkg/remoteurl/remoteurl.go: plain http, loopback and private
  hosts need DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import pytest
import yaml
from gatewaylab.envs import REPO
from gatewaylab.fences import read_fences

TOP_LEVEL_KEYS = {"name", "displayName", "registry", "policy"}
SERVER_KEYS = {
    "name",
    "type",
    "image",
    "description",
    "title",
    "icon",
    "readme",
    "longLived",
    "remote",
    "sseEndpoint",
    "oauth",
    "secrets",
    "env",
    "command",
    "volumes",
    "user",
    "disableNetwork",
    "allowHosts",
    "extraHosts",
    "tools",
    "config",
    "prefix",
    "metadata",
    "policy",
}
SERVER_TYPES = {"server", "remote", "poci"}
REMOTE_KEYS = {"url", "transport_type", "headers"}
REMOTE_TRANSPORTS = {"sse", "http", "streamable", "streaming", "streamable-http"}
BLOCKED_NAMES = ("localhost", "metadata")
BLOCKED_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".cluster.local", ".svc")
DOCKER_PAGES = sorted((REPO / "docs" / "how-to" / "docker").glob("*.md"))


def catalog_problems(data: object) -> list[str]:
    """Everything in a parsed catalog that the gateway would refuse or misread; [] when fine."""
    if not isinstance(data, dict):
        return ["a catalog is a mapping"]
    problems = [f"unknown top-level key {key!r}" for key in data if key not in TOP_LEVEL_KEYS]
    registry = data.get("registry")
    if not isinstance(registry, dict) or not registry:
        return problems + ["`registry:` must map server names to entries"]
    for name, entry in registry.items():
        where = f"registry.{name}"
        if not isinstance(entry, dict):
            problems.append(f"{where} is not a mapping")
            continue
        problems += [f"{where}: unknown key {key!r}" for key in entry if key not in SERVER_KEYS]
        if entry.get("type") not in SERVER_TYPES:
            problems.append(f"{where}.type must be one of {sorted(SERVER_TYPES)}")
        remote = entry.get("remote") or {}
        if not isinstance(remote, dict):
            problems.append(f"{where}.remote must be a mapping")
            continue
        problems += [f"{where}.remote: unknown key {key!r}" for key in remote if key not in REMOTE_KEYS]
        if entry.get("type") == "remote" and not remote.get("url"):
            problems.append(f"{where}: a remote entry needs remote.url")
        if remote.get("url"):
            parts = urlsplit(remote["url"])
            if parts.scheme not in ("http", "https") or not parts.hostname:
                problems.append(f"{where}.remote.url must be an http(s) URL")
            if parts.username or parts.password:
                problems.append(f"{where}.remote.url must not include userinfo")
            if remote.get("transport_type") not in REMOTE_TRANSPORTS:
                problems.append(f"{where}.remote.transport_type must be one of {sorted(REMOTE_TRANSPORTS)}")
        if not (entry.get("image") or entry.get("sseEndpoint") or remote.get("url")) and entry.get("type") != "poci":
            problems.append(f"{where}: neither image nor remote.url, so it is no MCP server")
        if "prefix" in entry and not (isinstance(entry["prefix"], str) and entry["prefix"]):
            problems.append(f"{where}.prefix must be a non-empty string")
        secrets = entry.get("secrets") or []
        if any(not isinstance(s, dict) or set(s) != {"name", "env"} for s in secrets):
            problems.append(f"{where}.secrets entries are {{name, env}}")
        declared = {s.get("env") for s in secrets if isinstance(s, dict)}
        for header, value in (remote.get("headers") or {}).items():
            for var in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", str(value)):
                if var not in declared:
                    problems.append(f"{where}.remote.headers.{header} uses ${var}, which no secret declares")
    return problems


def needs_insecure_opt_in(url: str) -> bool:
    """True when v0.43.1+ refuses this remote URL unless DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS is set.

    Literal names and addresses only: a public name that resolves to a private address is refused
    too, which this check cannot see.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def page_catalogs() -> list[tuple[str, str]]:
    """(where, text) of every YAML file the Docker pages show."""
    found = []
    for page in DOCKER_PAGES:
        for fence in read_fences(page):
            if fence.kind == "file" and fence.attrs["title"].endswith((".yaml", ".yml")):
                found.append((f"{fence.where} {fence.attrs['title']}", fence.text))
    return found


def test_the_pages_show_catalogs():
    titles = {where.split()[-1] for where, _ in page_catalogs()}
    assert {"gatewaylab.yaml", "secured.yaml", "collide.yaml"} <= titles


@pytest.mark.parametrize("where, text", page_catalogs(), ids=lambda v: v.split()[-1] if " " in v else "")
def test_every_catalog_on_the_pages_has_the_documented_shape(where, text):
    assert catalog_problems(yaml.safe_load(text)) == [], where


def test_the_lab_catalog_needs_the_insecure_opt_in_and_the_setup_page_sets_it():
    """Our servers are plain http on loopback: the page must start the gateway with the opt-in."""
    catalog = yaml.safe_load((REPO / "snippets/docker-setup/gatewaylab.yaml").read_text())
    urls = [entry["remote"]["url"] for entry in catalog["registry"].values()]
    assert urls and all(needs_insecure_opt_in(url) for url in urls)
    command = (REPO / "snippets/docker-setup/03-gateway-run.sh").read_text()
    assert re.search(r"^export DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS=(1|true)\b", command, re.MULTILINE)


def test_the_https_example_needs_no_opt_in():
    catalog = yaml.safe_load((REPO / "snippets/docker-setup/secured.yaml").read_text())
    assert not needs_insecure_opt_in(catalog["registry"]["text-tools"]["remote"]["url"])


def test_the_collision_example_really_collides_and_the_lab_catalog_does_not():
    """collide.yaml: two servers, same backend, no prefix. gatewaylab.yaml: text-tools and a prefixed math-tools."""
    collide = yaml.safe_load((REPO / "snippets/docker-troubleshooting/collide.yaml").read_text())["registry"]
    assert len({entry["remote"]["url"] for entry in collide.values()}) == 1
    assert not any("prefix" in entry for entry in collide.values())
    lab = yaml.safe_load((REPO / "snippets/docker-setup/gatewaylab.yaml").read_text())["registry"]
    assert lab["math-tools"]["prefix"] == "math" and "prefix" not in lab["text-tools"]


# The validator must be able to fail: each of these is a mistake the gateway's source refuses.
@pytest.mark.parametrize(
    "broken, expected",
    [
        ({"servers": {}}, "`registry:` must map"),
        (
            {"registry": {"a": {"type": "remote", "remote": {"url": "http://h/mcp", "transport_type": ""}}}},
            "transport_type must be one of",
        ),
        (
            {
                "registry": {
                    "a": {"type": "remote", "remote": {"url": "http://h/mcp", "transport_type": "streamable_http"}}
                }
            },
            "transport_type must be one of",
        ),
        ({"registry": {"a": {"type": "remote", "remote": {"transport_type": "http"}}}}, "needs remote.url"),
        ({"registry": {"a": {"type": "container", "image": "x"}}}, "type must be one of"),
        (
            {"registry": {"a": {"type": "remote", "remote": {"url": "https://u:p@h/mcp", "transport_type": "http"}}}},
            "userinfo",
        ),
        (
            {
                "registry": {
                    "a": {
                        "type": "remote",
                        "remote": {
                            "url": "https://h/mcp",
                            "transport_type": "http",
                            "headers": {"Authorization": "Bearer $TOKEN"},
                        },
                    }
                }
            },
            "which no secret declares",
        ),
        ({"registry": {"a": {"type": "server", "image": "x", "transport": "http"}}}, "unknown key 'transport'"),
    ],
)
def test_the_validator_rejects_what_the_gateway_rejects(broken, expected):
    assert any(expected in problem for problem in catalog_problems(broken))


@pytest.mark.parametrize(
    "url, refused",
    [
        ("http://127.0.0.1:8101/mcp", True),
        ("https://localhost/mcp", True),
        ("https://10.1.2.3/mcp", True),
        ("https://printer.local/mcp", True),
        ("https://api.internal/mcp", True),
        ("https://text-tools.example.com/mcp", False),
        ("https://8.8.8.8/mcp", False),
    ],
)
def test_insecure_url_rule(url, refused):
    assert needs_insecure_opt_in(url) is refused
