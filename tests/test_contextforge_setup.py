"""Claims of docs/how-to/contextforge/setup.md that its fences alone do not show.

The page's fences run the compose file (where an engine and Compose v2 are available); here it is
also checked against ContextForge itself: every variable it sets must be a setting ContextForge
1.1.0 reads, and its parts must agree.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from gatewaylab.envs import REPO, contextforge_bin, ensure_contextforge_env
from gatewaylab.lab import CONTEXTFORGE_DEFAULTS, read_settings_file

SNIPPETS = REPO / "snippets" / "contextforge-setup"
COMPOSE = yaml.safe_load((SNIPPETS / "compose.yaml").read_text())
GATEWAY = COMPOSE["services"]["contextforge"]


@pytest.fixture(scope="module")
def settings_fields() -> set[str]:
    """The names of ContextForge 1.1.0's settings, read from its own Settings class."""
    ensure_contextforge_env()
    done = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-c",
            "import json; from mcpgateway.config import Settings; print(json.dumps(list(Settings.model_fields)))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return {name.upper() for name in json.loads(done.stdout.strip().splitlines()[-1])}


def test_every_compose_variable_is_a_contextforge_setting(settings_fields):
    unknown = sorted(set(GATEWAY["environment"]) - settings_fields)
    assert unknown == [], f"ContextForge 1.1.0 does not read: {unknown}"


def test_compose_image_is_the_version_the_guide_runs():
    lock = (REPO / "scripts" / "contextforge" / "uv.lock").read_text()
    locked = re.search(r'name = "mcp-contextforge-gateway"\nversion = "([^"]+)"', lock)[1]
    assert GATEWAY["image"] == f"${{CONTEXTFORGE_IMAGE:-ghcr.io/ibm/mcp-context-forge:{locked}}}"
    assert COMPOSE["services"]["data-owner"]["image"] == GATEWAY["image"]


def test_compose_ports_and_urls_point_at_its_own_services():
    env, services = GATEWAY["environment"], COMPOSE["services"]
    assert GATEWAY["ports"] == [f"127.0.0.1:${{CONTEXTFORGE_PORT:-4444}}:{env['PORT']}"], "published on loopback"
    assert f"127.0.0.1:{env['PORT']}/health" in " ".join(GATEWAY["healthcheck"]["test"])
    redis = urlparse(env["REDIS_URL"])
    assert redis.hostname in services and redis.port == 6379
    assert env["HOST"] == "0.0.0.0" and env["CACHE_TYPE"] == "redis"
    volume = GATEWAY["volumes"][0].split(":")
    assert env["DATABASE_URL"].startswith(f"sqlite:///{volume[1]}/")
    assert (
        services["data-owner"]["volumes"] == GATEWAY["volumes"] and services["data-owner"]["command"][-1] == volume[1]
    )
    assert set(GATEWAY["depends_on"]) <= set(services)


def test_compose_takes_exactly_the_secrets_that_init_secrets_makes():
    required = {key for key, value in GATEWAY["environment"].items() if str(value).startswith("${")}
    made = set((SNIPPETS / "02-secrets.out").read_text().split())
    assert required == made
    page = (REPO / "docs" / "how-to" / "contextforge" / "setup.md").read_text()
    assert all(f"| `{name}` |" in page for name in made), "the page's secrets table names every secret"


def _python_311_with_pip() -> str:
    """The interpreter behind this virtual environment (uv venvs carry no pip), when it is 3.11."""
    python = str(Path(sys.base_prefix) / "bin" / "python3")
    if sys.version_info[:2] != (3, 11):
        pytest.skip("the suite runs on Python 3.11 here; this claim is about 3.11")
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        pytest.skip(f"{python} has no pip to ask")
    return python


def test_pip_on_python_311_silently_takes_an_older_contextforge(tmp_path):
    """The page's warning: unpinned, 3.11 gets 1.0.7.post20260921; pinned ==1.1.0, pip fails loudly."""
    python = _python_311_with_pip()
    cmd = [
        python,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--no-deps",
        "--quiet",
        "--disable-pip-version-check",
        "--report",
        str(tmp_path / "report.json"),
        "--ignore-installed",
    ]
    unpinned = subprocess.run([*cmd, "mcp-contextforge-gateway"], capture_output=True, text=True, timeout=300)
    assert unpinned.returncode == 0, unpinned.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["install"][0]["metadata"]["version"] == "1.0.7.post20260921"
    pinned = subprocess.run([*cmd, "mcp-contextforge-gateway==1.1.0"], capture_output=True, text=True, timeout=300)
    assert pinned.returncode != 0
    assert "Requires-Python" in pinned.stderr or "No matching distribution" in pinned.stderr


def test_contextforge_refuses_a_weak_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update(
        JWT_SECRET_KEY="short",
        AUTH_ENCRYPTION_SECRET="x" * 40,
        PLATFORM_ADMIN_PASSWORD="Adm1n-" + "p" * 12,
        DEFAULT_USER_PASSWORD="Us3r-" + "p" * 12,
        DATABASE_URL=f"sqlite:///{tmp_path}/mcp.db",
        TMPDIR=str(tmp_path),
    )
    done = subprocess.run(
        [str(contextforge_bin("mcpgateway")), "--host", "127.0.0.1", "--port", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert re.search(r"jwt_secret_key: too short \(5 chars, minimum 32\)", done.stdout + done.stderr), (
        done.stdout + done.stderr
    )[-2000:]


def test_token_minted_as_shown_expires_after_the_given_minutes(lab):
    """`--exp 60` means minutes: exp - iat is 3600 s in the decoded token."""
    gateway = lab.gateways["contextforge"]
    token = gateway.mint_token(minutes=60)
    done = subprocess.run(
        [str(contextforge_bin("python")), "-m", "mcpgateway.utils.create_jwt_token", "--decode", token],
        env=gateway.process.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    claims = json.loads(done.stdout)
    assert claims["exp"] - claims["iat"] == 3600 and claims["sub"] == "admin@example.com"


def test_settings_file_names_contextforge_settings_with_the_defaults_the_page_gives(settings_fields):
    """settings.env holds only real settings, and its table's defaults are ContextForge's own."""
    settings = read_settings_file(SNIPPETS / "settings.env")
    assert set(settings) <= settings_fields, f"not ContextForge settings: {set(settings) - settings_fields}"
    done = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-c",
            "import json; from mcpgateway.config import Settings as S; f = S.model_fields; print(json.dumps({k.upper(): "
            "f[k].default for k in ('platform_admin_email', 'ssrf_allow_localhost', 'rate_limiting_enabled', "
            "'rate_limit_medium_rpm', 'rate_limit_lockout_duration_minutes')}))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    defaults = json.loads(done.stdout.strip().splitlines()[-1])
    assert defaults == {
        "PLATFORM_ADMIN_EMAIL": "admin@example.com",
        "SSRF_ALLOW_LOCALHOST": False,
        "RATE_LIMITING_ENABLED": True,
        "RATE_LIMIT_MEDIUM_RPM": 100,
        "RATE_LIMIT_LOCKOUT_DURATION_MINUTES": 15,
    }
    page = (REPO / "docs" / "how-to" / "contextforge" / "setup.md").read_text()
    for name in settings:
        default = defaults[name]
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        assert f"| `{name}` | `{shown}` |" in page, f"the page's table gives {name} its default, {shown}"


def test_the_lab_starts_contextforge_with_the_settings_file_and_nothing_else_by_hand():
    """One source: the lab's defaults are the page's settings.env, read from the file itself."""
    assert read_settings_file(SNIPPETS / "settings.env") == CONTEXTFORGE_DEFAULTS
    source = (REPO / "scripts" / "gatewaylab" / "lab.py").read_text()
    for name in CONTEXTFORGE_DEFAULTS:  # neither `NAME="..."` (a keyword) nor `"NAME": ...` (a dict entry)
        assert not re.search(rf'\b{name}\s*=\s*["\'\w]|["\']{name}["\']\s*:', source), f"lab.py sets {name} by hand"


# -- the compose files of the setup and Redis pages, with their MCP servers ---------------------
SERVERS = yaml.safe_load((SNIPPETS / "mcp-servers.yaml").read_text())["services"]
REDIS_SNIPPETS = REPO / "snippets" / "contextforge-redis"
REPLICAS = yaml.safe_load((REDIS_SNIPPETS / "compose.yaml").read_text())
COMPOSE_FILES = [SNIPPETS / "compose.yaml", SNIPPETS / "mcp-servers.yaml", REDIS_SNIPPETS / "compose.yaml"]
OFFICIAL_IMAGES = {"REDIS_IMAGE": "redis:7.4", "NGINX_IMAGE": "nginx:1.26"}


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_compose_reads_only_the_secrets_and_the_variables_each_run_sets(path):
    """A variable renamed in a compose file, and not where the suite sets it, fails here."""
    from gatewaylab.scenarios import COMPOSE_VARIABLES

    used = set(re.findall(r"\$\{(\w+)", path.read_text()))
    secrets = set((SNIPPETS / "02-secrets.out").read_text().split())
    assert used - secrets <= set(COMPOSE_VARIABLES), f"read by {path.name} but set by no run: {used - secrets}"
    for name, official in OFFICIAL_IMAGES.items():
        if name in used:
            assert f"${{{name}:-{official}}}" in path.read_text(), f"{name} defaults to the official {official}"


def test_mcp_servers_listen_where_the_pages_register_them():
    """Each server listens on all its addresses at the port that both pages register, publishes none."""
    registered = {}
    for script in (SNIPPETS / "22-compose-register.sh", REDIS_SNIPPETS / "06-compose-register.sh"):
        found = dict(re.findall(r"([a-z]+-tools):(\d+)", script.read_text()))
        assert found and (not registered or found == registered), f"{script.name} registers {found}"
        registered = found
    assert set(SERVERS) == set(registered)
    for name, service in SERVERS.items():
        command = service["command"]
        port = command[command.index("--port") + 1]
        assert command[command.index("--host") + 1] == "0.0.0.0" and port == registered[name]
        assert f"127.0.0.1:{port}/health" in " ".join(service["healthcheck"]["test"])
        assert "ports" not in service, f"{name} is for ContextForge only"


def test_replicas_are_one_contextforge_twice_behind_nginx():
    services = REPLICAS["services"]
    first, second, balancer = services["contextforge-1"], services["contextforge-2"], services["load-balancer"]
    shared = ("image", "environment", "volumes", "healthcheck")
    assert all(first[key] == second[key] for key in shared), "the replicas differ"
    env = first["environment"]
    assert {key: value for key, value in env.items() if key not in ("SSRF_ALLOW_PRIVATE_NETWORKS", "LOG_LEVEL")} == {
        key: value
        for key, value in GATEWAY["environment"].items()
        if key not in ("SSRF_ALLOW_PRIVATE_NETWORKS", "MCPGATEWAY_UI_ENABLED", "MCPGATEWAY_ADMIN_API_ENABLED")
    }, "the replicas run the setup guide's ContextForge, with its secrets, database, cache and Redis"
    assert first["image"] == GATEWAY["image"] and services["data-owner"] == COMPOSE["services"]["data-owner"]
    assert second["depends_on"] == {"contextforge-1": {"condition": "service_healthy"}}, "one creates the database"
    assert balancer["depends_on"] == {
        name: {"condition": "service_healthy"} for name in ("contextforge-1", "contextforge-2")
    }
    # One port on this machine, nginx's; nginx listens there and sends on to both replicas' PORT.
    nginx = (REDIS_SNIPPETS / "nginx.conf").read_text()
    listen = re.search(r"^\s*listen (\d+);", nginx, re.M)[1]
    assert balancer["ports"] == [f"127.0.0.1:${{CONTEXTFORGE_PORT:-4444}}:{listen}"]
    assert re.findall(r"^\s*server ([\w-]+:\d+);", nginx, re.M) == [
        f"{name}:{env['PORT']}" for name in ("contextforge-1", "contextforge-2")
    ]
    assert balancer["volumes"] == ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
    assert "non_idempotent" not in re.sub(r"#.*", "", nginx), "a tool call could then run twice"
    assert set(services) == {"load-balancer", "contextforge-1", "contextforge-2", "data-owner", "redis"}


def test_every_replica_variable_is_a_contextforge_setting(settings_fields):
    env = REPLICAS["services"]["contextforge-1"]["environment"]
    assert sorted(set(env) - settings_fields) == []


def test_private_network_addresses_are_refused_by_default(lab):
    """The page's words: SSRF_ALLOW_PRIVATE_NETWORKS defaults to false, and then a server on a
    compose network's address is refused with HTTP 422 and this message."""
    gateway = lab.gateways["contextforge"]
    assert "SSRF_ALLOW_PRIVATE_NETWORKS" not in gateway.process.env
    answer = gateway.api(
        "POST",
        "/v1/gateways",
        json={"name": "private", "url": "http://172.18.0.3:8101/mcp", "transport": "STREAMABLEHTTP"},
    )
    assert answer.status_code == 422, answer.text
    assert "Gateway URL contains private network address which is blocked by SSRF protection" in answer.text
    page = (REPO / "docs" / "how-to" / "contextforge" / "setup.md").read_text()
    assert "`SSRF_ALLOW_PRIVATE_NETWORKS` is `true` (default `false`)" in page
