"""Claims of docs/how-to/contextforge/oauth.md beyond its fences, against the page's own lab.

One start of the page's scenario for the module: the notes backend, ContextForge, and the
authorization server (started as the page's reader starts it, with self-registration on for the
Docker test), with `notes` registered by the page's own command. Tool calls go through
ContextForge with the `mcp` SDK, as a client holding only the gateway token.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from datetime import datetime

import httpx
import pytest
from gatewaylab import docker_engine, docker_gateway
from gatewaylab.envs import REPO
from gatewaylab.fences import matches
from gatewaylab.lab import Lab
from gatewaylab.oauth_lab import contextforge_oauth, start_authorization_server
from gatewaylab.pytest_plugin import ReaderShell
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client

SNIPPETS = REPO / "snippets" / "contextforge-oauth"
ISSUED = re.compile(r"issued access token ([0-9a-f]{8}) ")


class OAuthLab:
    def __init__(self, lab: Lab, env: dict[str, str], shell: ReaderShell):
        self.lab, self.env, self.shell = lab, env, shell

    @property
    def auth_log(self) -> str:
        return (self.lab.state_dir / "logs" / "auth-server.log").read_text()

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.env['CONTEXTFORGE_TOKEN']}"}
        return httpx.request(method, self.env["CONTEXTFORGE_URL"] + path, headers=headers, timeout=120, **kwargs)

    def gateway(self) -> dict:
        return next(g for g in self.api("GET", "/v1/gateways").json() if g["name"] == "notes")

    def update(self, **oauth_config) -> httpx.Response:
        config = {
            "grant_type": "client_credentials",
            "client_id": self.env["GATEWAY_CLIENT_ID"],
            "client_secret": self.env["GATEWAY_CLIENT_SECRET"],
            "token_url": f"http://127.0.0.1:{self.env['AUTH_SERVER_PORT']}/token",
            "scopes": ["notes:read"],
            "audience": self.env["NOTES_URL"],
            **oauth_config,
        }
        body = {"auth_type": "oauth", "oauth_config": config}
        return self.api("PUT", f"/v1/gateways/{self.gateway()['id']}", json=body)

    def whoami(self, times: int = 1) -> list[dict]:
        """Call notes-whoami through ContextForge, in one MCP session, with the gateway token only."""

        async def calls() -> list[dict]:
            headers = {"Authorization": f"Bearer {self.env['CONTEXTFORGE_TOKEN']}"}
            async with streamablehttp_client(f"{self.env['CONTEXTFORGE_URL']}/mcp", headers=headers) as (r, w, _):
                async with ClientSession(r, w) as session:
                    await session.initialize()
                    results = [await session.call_tool("notes-whoami", {}) for _ in range(times)]
            return [result.structuredContent or {"error": result.content[0].text} for result in results]

        return asyncio.run(calls())


@pytest.fixture(scope="module")
def oauth_lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("cf-oauth")
    with Lab(root / "scenario") as lab, contextforge_oauth(lab) as env:
        start_authorization_server(lab, {**env, "AUTH_OPEN_REGISTRATION": "1"})
        shell = ReaderShell(root / "reader", env)
        (shell.work / "authorization-server.log").symlink_to(lab.state_dir / "logs" / "auth-server.log")
        try:
            done = shell.run((SNIPPETS / "03-register.sh").read_text())
            assert done.returncode == 0 and '"reachable": true' in done.stdout, done.stdout
            yield OAuthLab(lab, env, shell)
        finally:
            shell.close()


def test_every_tool_call_gets_a_new_access_token(oauth_lab):
    calls = oauth_lab.whoami(times=3)
    ids = [call.get("token_id") for call in calls]
    assert None not in ids, calls
    assert len(set(ids)) == 3, f"three calls in one session reused a token: {ids}"
    issued = ISSUED.findall(oauth_lab.auth_log)
    assert set(ids) <= set(issued), f"tokens the backend saw but the authorization server never logged: {ids}"


def test_client_secret_kept_encrypted_and_hidden(oauth_lab):
    secret = oauth_lab.env["GATEWAY_CLIENT_SECRET"].encode()
    database = oauth_lab.lab.state_dir / "contextforge" / "mcp.db"
    stored = b"".join(path.read_bytes() for path in database.parent.glob("mcp.db*"))
    assert b'"client_id": "contextforge"' in stored, "the OAuth configuration is not in the database file"
    assert secret not in stored, "ContextForge stored the client secret in clear"
    listed = oauth_lab.gateway()
    assert listed.get("auth_type") is None and listed.get("oauth_config") is None, listed
    assert secret.decode() not in oauth_lab.api("GET", "/v1/gateways").text


def test_update_with_wrong_secret_is_refused_after_three_tries_and_the_old_one_kept(oauth_lab):
    refused_before = oauth_lab.auth_log.count("invalid_client")
    answer = oauth_lab.update(client_secret="not-the-secret")
    assert answer.status_code == 502, answer.text
    assert "OAuth authentication failed" in answer.json()["message"]
    refusals = [line for line in oauth_lab.auth_log.splitlines() if "invalid_client" in line][refused_before:]
    assert len(refusals) == 3, refusals
    # Tried three times, about a second, then two seconds apart.
    times = [datetime.fromisoformat(line.split()[0].replace("Z", "+00:00")) for line in refusals]
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 1 and gaps[1] >= 2, gaps
    assert "token_id" in oauth_lab.whoami()[0], "the gateway lost the configuration that worked"


def test_unknown_audience_is_refused_by_the_token_endpoint(oauth_lab):
    answer = oauth_lab.update(audience="http://127.0.0.1:1/other")
    assert answer.status_code == 502, answer.text
    assert "invalid_target (unknown resource: http://127.0.0.1:1/other)" in oauth_lab.auth_log
    assert "token_id" in oauth_lab.whoami()[0]


def test_resource_is_not_sent_with_client_credentials(oauth_lab):
    """ContextForge sends `audience`, not RFC 8707's `resource`: with `resource` alone the token is for no API."""
    seen = len(oauth_lab.auth_log.splitlines())
    answer = oauth_lab.update(audience=None, resource=oauth_lab.env["NOTES_URL"])
    assert answer.status_code == 502 and "HTTP 401" in answer.json()["message"], answer.text
    new_lines = oauth_lab.auth_log.splitlines()[seen:]
    assert any(line.endswith('scope "notes:read", audience (none), expires in 10 s') for line in new_lines), new_lines


def test_docker_mcp_oauth_authorize_stops_at_the_credential_helper(oauth_lab, tmp_path):
    """What the page says of `docker mcp oauth authorize` on Docker Engine without Desktop, run for real."""
    missing = docker_gateway.unavailable()
    if missing:
        pytest.skip(missing)
    engine = docker_engine.ensure_engine()
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    notes_yaml = (SNIPPETS / "notes.yaml").read_text()
    assert "http://127.0.0.1:8104/mcp" in notes_yaml
    (work / "notes.yaml").write_text(notes_yaml.replace("http://127.0.0.1:8104/mcp", oauth_lab.env["NOTES_URL"]))
    env = {**os.environ, "HOME": str(home), "DOCKER_HOST": engine.host}
    script = SNIPPETS / "17-docker-authorize.sh"
    done = subprocess.run(
        ["bash", "-e", script],
        env=env,
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=180,
    )
    output = done.stdout
    assert done.returncode != 0, output
    shown = SNIPPETS / "17-docker-authorize.out"
    assert matches(shown.read_text(), output.replace(str(oauth_lab.env["NOTES_PORT"]), "8104")), (
        f"{shown.relative_to(REPO)} differs from the real output:\n{output}"
    )
    # It found the authorization server from the backend's metadata and registered itself there,
    # with Docker's relay as its redirect URI...
    registered = re.search(r"registered client \S+ \(MCP Gateway - notes\), redirect_uris (\S+)", oauth_lab.auth_log)
    assert registered and registered.group(1) == "https://mcp.docker.com/oauth/callback", oauth_lab.auth_log[-2000:]
    # ...and stopped where it stores that client: no credential helper.
    assert "saving DCR client for notes" in output and "docker-credential-" in output, output

    def docker(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["docker", "mcp", *args], env=env, capture_output=True, text=True, timeout=120)

    # `oauth ls` asks Docker Desktop only.
    listed = docker("oauth", "ls")
    assert listed.returncode != 0 and "desktop" in (listed.stdout + listed.stderr), listed.stdout + listed.stderr
