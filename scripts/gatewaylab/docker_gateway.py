"""A real Docker MCP Gateway for the Docker pages; never a stand-in.

Two routes, tried in this order:

1. A gateway that is already running (a reader's, or a CI service): `DOCKER_MCP_GATEWAY_URL`
   (`http://HOST:PORT/mcp`) and `DOCKER_MCP_GATEWAY_TOKEN` (its bearer token). It must serve the
   setup page's catalog (snippets/docker-setup/gatewaylab.yaml: text-tools and math-tools), so the
   pages' tool names and answers hold.
2. The `docker mcp` CLI plugin (v0.43.1 or later; `bash scripts/docker-gateway` builds and installs
   v0.43.3) and a Docker engine: the one that answers, or one `gatewaylab.docker_engine` starts
   (as root). `docker_gateway()` starts the lab's two backends, writes the setup page's catalog
   (with the backends' real ports) into `~/.docker/mcp/catalogs/` under a unique name, runs the
   page's own command `docker mcp gateway run --transport streaming ...` on a free loopback port
   with a random `MCP_GATEWAY_AUTH_TOKEN`, waits until `/health` answers 200 and all six tools are
   listed, and on exit stops the gateway and the backends and deletes the catalog file.

With neither, `unavailable()` says why in one line and the pages' gateway fences are skipped.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from . import docker_engine
from .envs import REPO, SetupError
from .lab import Lab

MIN_VERSION = (0, 43, 1)  # --host, auth in every mode, DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS
SETUP_SNIPPETS = REPO / "snippets" / "docker-setup"
PAGE_CATALOG = SETUP_SNIPPETS / "gatewaylab.yaml"
PAGE_COMMAND = SETUP_SNIPPETS / "03-gateway-run.sh"
READER_PORTS = {"text-tools": 8101, "math-tools": 8102}  # the ports the page's catalog names
EXPECTED_TOOLS = {"word_count", "shout", "reverse_words", "math__add", "math__multiply", "math__square"}


def _version_tuple(text: str) -> tuple[int, ...] | None:
    match = re.search(r"v?(\d+)\.(\d+)\.(\d+)", text)
    return tuple(int(part) for part in match.groups()) if match else None


def external() -> tuple[str, str] | None:
    """(url, token) of a gateway the environment points at, if any."""
    url, token = os.environ.get("DOCKER_MCP_GATEWAY_URL"), os.environ.get("DOCKER_MCP_GATEWAY_TOKEN")
    return (url, token) if url and token else None


def plugin_version() -> str | None:
    """`docker mcp version` prints only the version; it needs no engine."""
    if not shutil.which("docker"):
        return None
    try:
        done = subprocess.run(["docker", "mcp", "version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def unavailable() -> str | None:
    """None when a Docker MCP Gateway can be used here, else the one-line reason why not."""
    if external():
        return None
    version = plugin_version()
    if version is None:
        return (
            "no Docker MCP Gateway here: set DOCKER_MCP_GATEWAY_URL and DOCKER_MCP_GATEWAY_TOKEN, "
            "or install the `docker mcp` CLI plugin (`bash scripts/docker-gateway` builds it)"
        )
    parsed = _version_tuple(version)
    if parsed is not None and parsed < MIN_VERSION:
        return f"`docker mcp` is {version}; these pages assume v0.43.1 or later"
    engine = docker_engine.unavailable()
    return f"`docker mcp` {version} is installed, but {engine}" if engine else None


# -- the page's command and catalog, adapted to this run -----------------------------------------
def page_command() -> list[str]:
    """The `docker mcp gateway run ...` line of the setup page, as argv (continuation lines joined)."""
    for line in PAGE_COMMAND.read_text().replace("\\\n", " ").splitlines():
        if line.strip().startswith("docker mcp gateway run"):
            return shlex.split(line)
    raise SetupError(f"{PAGE_COMMAND} has no `docker mcp gateway run` line")


def gateway_argv(port: int, catalog_name: str, servers: str | None = None) -> list[str]:
    """The page's command with this run's port and catalog file name (and other `--servers`)."""
    argv = page_command()
    out: list[str] = []
    for word in argv:
        if word.startswith("--port="):
            word = f"--port={port}"
        elif word.startswith("--catalog="):
            word = f"--catalog={catalog_name}"
        out.append(word)
    for flag, value in (("--port", str(port)), ("--catalog", catalog_name), ("--servers", servers)):
        if value is None:
            continue
        if flag in out:
            out[out.index(flag) + 1] = value
    return out


def catalog_text(ports: dict[str, int]) -> str:
    """The page's catalog with the backends' real ports in place of the reader's 8101/8102."""
    text = PAGE_CATALOG.read_text()
    for name, reader_port in READER_PORTS.items():
        text = text.replace(f"127.0.0.1:{reader_port}/", f"127.0.0.1:{ports[name]}/")
    return text


def catalogs_dir() -> Path:
    return Path.home() / ".docker" / "mcp" / "catalogs"


@dataclass
class RunningGateway:
    url: str  # http://HOST:PORT/mcp
    token: str
    docker_host: str | None = None  # the engine it uses, when we started the gateway

    @property
    def base(self) -> str:
        return self.url.rsplit("/mcp", 1)[0]

    def env(self) -> dict[str, str]:
        """The variables the Docker pages use."""
        parts = urlsplit(self.url)
        if parts.scheme != "http" or parts.path.rstrip("/") != "/mcp" or not parts.port:
            raise SetupError(f"DOCKER_MCP_GATEWAY_URL must look like http://HOST:PORT/mcp, not {self.url}")
        env = {
            "DOCKER_MCP_HOST": parts.hostname or "127.0.0.1",
            "DOCKER_MCP_PORT": str(parts.port),
            "MCP_GATEWAY_AUTH_TOKEN": self.token,
        }
        if self.docker_host:
            env["DOCKER_HOST"] = self.docker_host
        return env


def list_tools(url: str, token: str) -> list[str]:
    """tools/list through the gateway with the MCP Python SDK."""
    import anyio
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def go() -> list[str]:
        async with streamablehttp_client(url, headers={"Authorization": f"Bearer {token}"}) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return [tool.name for tool in (await session.list_tools()).tools]

    return anyio.run(go)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=2.0).status_code == 200
    except httpx.TransportError:
        return False


def _accepts(port: int) -> bool:
    socket.create_connection(("127.0.0.1", port), timeout=1.0).close()  # OSError until it listens
    return True


@contextlib.contextmanager
def catalog_file(text: str) -> Iterator[Path]:
    """A catalog in ~/.docker/mcp/catalogs/ under a unique name (the gateway reads only there), removed on exit."""
    directory = catalogs_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"gatewaylab-{os.getpid()}-{secrets.token_hex(4)}.yaml"
    path.write_text(text)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def docker_gateway(
    lab: Lab,
    *,
    catalog: str | None = None,
    extra_env: dict[str, str] | None = None,
    name: str = "docker-gateway",
    servers: str | None = None,
    require_tools: bool = True,
    engine: docker_engine.Engine | None = None,
    flags: tuple[str, ...] = (),
    listening_only: bool = False,
) -> Iterator[RunningGateway]:
    """Run the setup page's `docker mcp gateway run` on a free port; stop it and clean up on exit.

    `catalog` replaces the page's catalog (tests use this for collisions and broken backends);
    by default the lab's text-tools and math-tools must already be started. With `listening_only`
    it returns as soon as the port accepts connections: the gateway listens first, then starts
    its servers, and answers nothing (not even /health) until they are up.
    """
    engine = engine or docker_engine.ensure_engine(lab)
    port = lab.port(name)
    token = secrets.token_hex(32)
    if catalog is None:
        catalog = catalog_text({n: lab.backends[n].port for n in READER_PORTS})
    env = {
        "MCP_GATEWAY_AUTH_TOKEN": token,
        "DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS": "1",
        "DOCKER_HOST": engine.host,
        **(extra_env or {}),
    }
    with contextlib.ExitStack() as stack:
        path = stack.enter_context(catalog_file(catalog))
        stack.callback(lambda: [p.stop() for p in lab.processes if p.name == name])  # type: ignore[func-returns-value]
        argv = [*gateway_argv(port, path.name, servers), *flags]
        if listening_only:
            process = lab.spawn(name, argv, dict(os.environ, **env), lab.state_dir)
            process.wait_ready(lambda: _accepts(port), timeout=300, what=f"port {port} accepting connections")
        else:
            process = lab.start_server(name, argv, f"http://127.0.0.1:{port}/health", port=port, env=env, timeout=300)
        gateway = RunningGateway(f"http://127.0.0.1:{port}/mcp", token, engine.host)
        if require_tools and not listening_only:
            tools = set(list_tools(gateway.url, token))
            if not tools >= EXPECTED_TOOLS:
                raise SetupError(
                    f"the Docker gateway lists {sorted(tools)}, not the page's six tools. "
                    f"Last lines of its log:\n{process.log_tail()}"
                )
        yield gateway


@contextlib.contextmanager
def page_scenario(lab: Lab) -> Iterator[dict[str, str]]:
    """Front matter `fences: {scenario: "gatewaylab.docker_gateway:page_scenario"}`: the Docker pages' start.

    Starts text-tools and math-tools, a Docker engine when none answers (as root), and the setup
    page's gateway, all owned by `lab` (closing it stops them, and `lab down` when a lab runs it).
    Exports DOCKER_MCP_HOST, DOCKER_MCP_PORT, MCP_GATEWAY_AUTH_TOKEN and DOCKER_HOST for a real
    gateway when one is available; exports nothing otherwise (the gateway fences are then skipped).
    """
    if unavailable() is not None:
        yield {}
        return
    given = external()
    if given:
        gateway = RunningGateway(*given)
        if not _healthy(gateway.base):
            raise SetupError(f"DOCKER_MCP_GATEWAY_URL is set, but {gateway.base}/health does not answer 200")
        tools = set(list_tools(gateway.url, gateway.token))
        if not tools >= EXPECTED_TOOLS:
            raise SetupError(
                f"the gateway at {gateway.url} lists {sorted(tools)}; the Docker pages need the "
                f"setup page's catalog ({PAGE_CATALOG.relative_to(REPO)}) served"
            )
        yield gateway.env()
        return
    for backend in READER_PORTS:
        lab.start_backend(backend)
    with docker_gateway(lab) as gateway:
        yield {**gateway.env(), **lab.env()}
