"""Claims of docs/how-to/contextforge/troubleshooting.md, checked against their own gateways.

The page's fences run in `pytest docs/`; here each symptom is provoked again on a fresh set of
gateways (the page's scenario), the reader-visible message is asserted, and so is the fix.
Defaults the page quotes are read from the installed ContextForge and pflow, not copied.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
import subprocess
import time

import httpx
import pytest
from gatewaylab.cf_scenarios import GATEWAY_SECRETS, RATE_LIMIT_RPM, make_tls_files, troubleshooting
from gatewaylab.envs import REPO, contextforge_bin
from gatewaylab.lab import Lab
from gatewaylab.pytest_plugin import ReaderShell

SNIPPETS = REPO / "snippets" / "contextforge-troubleshooting"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("cf-trouble")
    with Lab(root / "scenario") as lab, troubleshooting(lab) as env:
        yield root / "scenario", env


@pytest.fixture
def shell(tmp_path, scenario):
    _, env = scenario
    reader = ReaderShell(tmp_path, env)
    for name in ("gateway.json", "shout.pflow.md", "square.pflow.md", "nap.pflow.md", "nap-patient.pflow.md"):
        (reader.work / name).write_text((SNIPPETS / name).read_text())
    done = reader.run("pflow mcp add ./gateway.json")
    assert done.returncode == 0, done.stdout
    return reader


def _api(env, method, path, token_var="CONTEXTFORGE_TOKEN", url_var="CONTEXTFORGE_URL", **kw):
    return httpx.request(
        method, env[url_var] + path, headers={"Authorization": f"Bearer {env[token_var]}"}, timeout=60, **kw
    )


def _register(env, name, port, transport="STREAMABLEHTTP"):
    body = {"name": name, "url": f"http://127.0.0.1:{port}/mcp"}
    if transport:
        body["transport"] = transport
    return _api(env, "POST", "/v1/gateways", json=body)


# -- defaults the page quotes, from the installed programs ------------------------------------------
def test_quoted_contextforge_defaults():
    code = (
        "import json; from mcpgateway.config import Settings as S; f = S.model_fields\n"
        "pick = lambda n: f[n].default\n"
        "limit = [m.le for m in f['mcp_list_page_size'].metadata if hasattr(m, 'le')]\n"
        "print(json.dumps({n: pick(n) for n in ('health_check_interval', 'unhealthy_threshold',"
        " 'mcp_list_page_size', 'rate_limit_medium_rpm', 'rate_limit_lockout_threshold',"
        " 'rate_limit_lockout_duration_minutes', 'ssrf_allow_localhost', 'tool_lookup_cache_negative_ttl_seconds')} | {'page_max': limit}))"
    )
    done = subprocess.run([str(contextforge_bin("python")), "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    defaults = json.loads(done.stdout.strip().splitlines()[-1])
    assert defaults == {
        "health_check_interval": 60,
        "unhealthy_threshold": 3,
        "mcp_list_page_size": 100,
        "rate_limit_medium_rpm": 100,
        "rate_limit_lockout_threshold": 5,
        "rate_limit_lockout_duration_minutes": 15,
        "ssrf_allow_localhost": False,
        "tool_lookup_cache_negative_ttl_seconds": 10,
        "page_max": [1000],
    }


def test_minted_token_lasts_20_minutes_by_default(scenario):
    _, env = scenario
    gateway_env = {k: env[k] for k in GATEWAY_SECRETS}
    done = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-m",
            "mcpgateway.utils.create_jwt_token",
            "--username",
            "admin@example.com",
            f"--secret={env['JWT_SECRET_KEY']}",
        ],
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **gateway_env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    payload = done.stdout.strip().splitlines()[-1].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["exp"] - claims["iat"] == 20 * 60


# -- discovery ------------------------------------------------------------------------------------
def test_registration_errors_then_fix(shell, scenario):
    _, env = scenario
    port = env["TEXT_TOOLS_PORT"]
    down = _register(env, "text-tools", port)
    assert down.status_code == 502
    assert down.json()["message"] == f"Failed to initialize gateway at http://localhost:{port}/mcp: connection failed"
    done = shell.run((SNIPPETS / "03-start-text.sh").read_text())
    assert done.returncode == 0, done.stdout
    try:
        sse = _register(env, "text-tools", port, transport=None)
        assert sse.status_code == 502
        assert "server responded with HTTP 400" in sse.json()["message"]
        ok = _register(env, "text-tools", port)
        assert ok.status_code == 200 and ok.json()["transport"] == "STREAMABLEHTTP"
        synced = shell.run("pflow mcp sync gateway")
        assert "mcp-gateway-text-tools-shout" in synced.stdout
        # The page's next symptoms: the backend stops, then the health check takes it offline.
        killed = shell.run('kill "$(cat text-tools.pid)"; pflow -p -o loud ./shout.pflow.md text=hi </dev/null')
        assert killed.returncode == 1
        assert "All connection attempts failed" in killed.stdout
        started = time.monotonic()
        while _reachable(env, "text-tools"):
            assert time.monotonic() - started < 60, "the gateway never took text-tools offline"
            time.sleep(0.5)
        offline = shell.run("pflow -p -o loud ./shout.pflow.md text=hi </dev/null")
        assert offline.returncode == 1 and "Unknown tool: text-tools-shout" in offline.stdout
        # pflow-troubleshooting.md, "A refresh while the server is down": once the gateway has taken
        # the server offline, a refresh answers success without trying it (ContextForge issue #6842).
        text_id = next(g["id"] for g in _api(env, "GET", "/v1/gateways").json() if g["name"] == "text-tools")
        r = _api(env, "POST", f"/v1/gateways/{text_id}/tools/refresh").json()
        said = f"success: {r['success']} | toolsAdded: {r['toolsAdded']} | toolsRemoved: {r['toolsRemoved']}"
        assert (said, r["error"]) == ("success: True | toolsAdded: 0 | toolsRemoved: 0", None), r
        assert f"`{said}` and `error: None`" in (REPO / "docs" / "how-to" / "pflow-troubleshooting.md").read_text()
        # The tool is still listed although calls say it is unknown.
        assert "text-tools-shout" in {t["name"] for t in _api(env, "GET", "/v1/tools").json()}
        log = (scenario[0] / "logs" / "contextforge.log").read_text()
        assert "Gateway text-tools health-check error: All connection attempts failed" in log
        assert "Gateway text-tools failed 3 times. Deactivating..." in log
        # 20-back.sh calls the reachable() function that 19-wait-offline.sh defines, as on the page.
        reachable = (SNIPPETS / "19-wait-offline.sh").read_text().split("\n}\n", 1)[0] + "\n}\n"
        assert reachable.startswith("reachable() {"), reachable
        back = shell.run(reachable + (SNIPPETS / "20-back.sh").read_text(), timeout=90)
        assert back.returncode == 0 and back.stdout.strip().endswith("STILL THERE?"), back.stdout
    finally:
        shell.run('kill "$(cat text-tools.pid)" 2>/dev/null || true')


def _reachable(env, name):
    return next(g["reachable"] for g in _api(env, "GET", "/v1/gateways").json() if g["name"] == name)


def test_ssrf_guard_refuses_loopback_on_default_gateway(scenario):
    _, env = scenario
    answer = httpx.post(
        env["SECURE_URL"] + "/v1/gateways",
        verify=ssl.create_default_context(cafile=env["SECURE_CA"]),
        headers={"Authorization": f"Bearer {env['SECURE_TOKEN']}"},
        json={"name": "m", "url": f"http://127.0.0.1:{env['MATH_TOOLS_PORT']}/mcp", "transport": "STREAMABLEHTTP"},
        timeout=60,
    )
    assert answer.status_code == 422
    assert "Gateway URL contains localhost address which is blocked by SSRF protection" in answer.text


def test_pflow_reads_only_the_first_page_and_a_virtual_server_fixes_it(shell, scenario):
    _, env = scenario
    wide = _register(env, "wide-tools", env["WIDE_TOOLS_PORT"]).json()
    try:
        on_gateway = len(_api(env, "GET", "/v1/tools", params={"limit": 0}).json())
        assert on_gateway > 100
        synced = shell.run("pflow mcp sync gateway && pflow mcp list --json")
        listed = json.loads(synced.stdout[synced.stdout.index("{") :])
        assert len(listed["servers"]["gateway"]) == 100 < on_gateway
        done = shell.run((SNIPPETS / "09-virtual-server.sh").read_text().split("wide_id=")[0])
        assert done.returncode == 0, done.stdout
        expected = on_gateway - 120
        assert f"Discovered {expected} tools" in done.stdout
    finally:
        _api(env, "DELETE", f"/v1/gateways/{wide['id']}")


# -- 401 --------------------------------------------------------------------------------------------
def test_401_variants(shell, scenario):
    _, env = scenario
    for script in ("10-no-token.sh", "11-wrong-secret.sh", "12-expired.sh"):
        done = shell.run((SNIPPETS / script).read_text())
        assert done.returncode == 1, done.stdout
        assert "HTTP 401" in done.stdout and "Error: Authentication Failed" in done.stdout
    assert "Authentication required for MCP endpoints" in shell.run((SNIPPETS / "10-no-token.sh").read_text()).stdout
    # The right token still works: the failures were the token's fault.
    assert "Discovered" in shell.run("pflow mcp sync gateway").stdout


def test_secret_with_leading_dash_breaks_the_space_form_only(shell, scenario):
    _, env = scenario
    assert env["JWT_SECRET_KEY"].startswith("-")
    space = shell.run((SNIPPETS / "13-mint-space.sh").read_text())
    assert space.returncode == 2 and "error: argument -s/--secret: expected one argument" in space.stdout
    equals = shell.run((SNIPPETS / "14-mint-equals.sh").read_text())
    assert equals.returncode == 0 and "Discovered" in equals.stdout


def test_missing_variable_hint_is_wrong_and_two_arguments_work(shell):
    missing = shell.run((SNIPPETS / "15-missing-env.sh").read_text())
    assert "Missing environment variable(s): CONTEXTFORGE_TOKEN" in missing.stdout
    assert "pflow settings set-env CONTEXTFORGE_TOKEN=your_value" in missing.stdout
    hinted = shell.run((SNIPPETS / "16-set-env-hint.sh").read_text())
    assert hinted.returncode == 2 and "Missing argument 'VALUE'" in hinted.stdout
    fixed = shell.run((SNIPPETS / "17-set-env.sh").read_text())
    assert fixed.returncode == 0 and "Discovered" in fixed.stdout
    assert "CONTEXTFORGE_TOKEN" not in (shell.home / ".pflow" / "settings.json").read_text()


# -- 429 --------------------------------------------------------------------------------------------
def test_rate_limit_429(shell, scenario):
    _, env = scenario
    done = shell.run((SNIPPETS / "21-loop.sh").read_text())
    assert "Error: Execution Failed" in done.stdout and "MCP tool failed:" in done.stdout
    assert done.stdout.count(".0\n") < 10  # the loop stopped early
    answer = _api(env, "GET", "/v1/tools", token_var="RATELIMITED_TOKEN", url_var="RATELIMITED_URL")
    assert answer.status_code == 429 and answer.headers["retry-after"] == "60"
    assert answer.headers["x-ratelimit-limit"] == str(RATE_LIMIT_RPM)


# -- timeouts, wrong URL, TLS -----------------------------------------------------------------------
def test_node_timeout_and_sse_timeout(shell):
    node = shell.run((SNIPPETS / "24-node-timeout.sh").read_text())
    assert node.returncode == 1 and "Request timed out after 3 seconds" in node.stdout
    assert shell.run((SNIPPETS / "25-node-timeout-fix.sh").read_text()).stdout.strip() == "slept 5 s"
    sse = shell.run((SNIPPETS / "26-sse-timeout.sh").read_text())
    assert sse.returncode == 1 and re.search(r"MCP tool failed: *\n *At: node 'nap'", sse.stdout), sse.stdout
    assert shell.run((SNIPPETS / "27-sse-timeout-fix.sh").read_text()).stdout.strip() == "slept 5 s"


def test_v1_is_not_the_mcp_endpoint(shell):
    done = shell.run((SNIPPETS / "28-wrong-url.sh").read_text())
    assert done.returncode == 1 and "Session terminated" in done.stdout
    assert shell.run((SNIPPETS / "29-wrong-url-curl.sh").read_text()).stdout.split("\n")[:2] == [
        "POST /v1: HTTP 404",
        "POST /mcp: HTTP 200",
    ]


def test_self_signed_gateway_trusted_through_ssl_cert_file(shell, scenario, tmp_path):
    _, env = scenario
    failed = shell.run((SNIPPETS / "30-tls.sh").read_text())
    assert failed.returncode == 1 and "SSL certificate verification failed." in failed.stdout
    fixed = shell.run((SNIPPETS / "32-tls-fix.sh").read_text())
    assert fixed.returncode == 0 and "Discovered 0 tools" in fixed.stdout
    # Verification stays on: a certificate from another CA is still refused with the variable set.
    other = make_tls_files(tmp_path / "other-ca")["ca"]
    refused = shell.run(f"SSL_CERT_FILE={other} pflow mcp sync secure")
    assert "SSL certificate verification failed." in refused.stdout


def test_a_token_without_expiry_is_refused_like_a_forged_one(lab, tmp_path):
    """`create_jwt_token --exp 0` mints a token with no `exp`; ContextForge 1.1.0 requires one (REQUIRE_TOKEN_EXPIRATION)."""
    gateway = lab.gateways["contextforge"]
    done = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-m",
            "mcpgateway.utils.create_jwt_token",
            "--username",
            "admin@example.com",
            "--exp",
            "0",
            f"--secret={gateway.jwt_secret}",
        ],
        env=gateway.process.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    token = done.stdout.strip().splitlines()[-1]
    payload = token.split(".")[1]
    assert "exp" not in json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    answer = httpx.get(f"{gateway.base_url}/v1/tools", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert (answer.status_code, answer.json()) == (401, {"detail": "Invalid authentication credentials"})
    shell = ReaderShell(tmp_path / "reader", {**lab.env(), "CONTEXTFORGE_TOKEN": token})
    (shell.work / "gateway.json").write_text((SNIPPETS / "gateway.json").read_text())
    synced = shell.run("pflow mcp add ./gateway.json >/dev/null && pflow mcp sync gateway")
    shell.close()
    assert synced.returncode == 1 and "Error: Authentication Failed" in synced.stdout, synced.stdout


def test_a_tool_of_the_https_backend_is_called_with_the_ca_the_registration_gave(shell, scenario):
    """The page registers secure-tools with its CA and syncs; a tool call goes over TLS too."""
    _, env = scenario
    try:
        added = shell.run((SNIPPETS / "tls-backend-ca.sh").read_text())
        assert added.stdout == (SNIPPETS / "tls-backend-ca.out").read_text(), added.stdout
        (shell.work / "secure.pflow.md").write_text(
            (SNIPPETS / "shout.pflow.md").read_text().replace("text-tools-shout", "secure-tools-shout")
        )
        called = shell.run("pflow -p -o loud ./secure.pflow.md text='over tls' </dev/null")
        assert called.returncode == 0 and called.stdout.strip() == "OVER TLS", called.stdout
    finally:
        _remove_gateway(env, "secure-tools")


def _remove_gateway(env, name: str) -> None:
    for gateway in _api(env, "GET", "/v1/gateways").json():
        if gateway["name"] == name:
            assert _api(env, "DELETE", f"/v1/gateways/{gateway['id']}").status_code == 200


def test_a_backend_token_in_auth_value_is_refused(scenario):
    """The page quotes the answer to the billing registration with its token in `auth_value`."""
    _, env = scenario
    body = {"name": "billing", "url": f"http://127.0.0.1:{env['BILLING_PORT']}/mcp", "transport": "STREAMABLEHTTP"}
    wrong_field = _api(
        env, "POST", "/v1/gateways", json={**body, "auth_type": "bearer", "auth_value": env["BILLING_TOKEN"]}
    )
    assert wrong_field.status_code == 422
    assert wrong_field.json()["detail"][0]["msg"] == "Value error, For 'bearer' auth, 'auth_token' must be provided."
    assert "billing" not in [gateway["name"] for gateway in _api(env, "GET", "/v1/gateways").json()]
