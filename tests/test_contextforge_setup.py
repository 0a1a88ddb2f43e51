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
