"""What a fence may need beyond the lab, and the one-line reason to skip it when that is missing.

A fence says `<!-- fence: needs=NAME -->`; `unmet(NAME)` returns None when NAME is available here,
else the reason printed in the suite's summary.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Callable

from . import docker_engine, docker_gateway


@functools.cache
def _docker_gateway() -> str | None:
    """A real Docker MCP Gateway: a running one (DOCKER_MCP_GATEWAY_URL + DOCKER_MCP_GATEWAY_TOKEN),
    or the `docker mcp` plugin (v0.43.1+) with a Docker engine, which gatewaylab.docker_gateway starts.
    Asked once per test run: the answer does not change while the suite runs."""
    return docker_gateway.unavailable()


@functools.cache
def _docker_engine() -> str | None:
    """A Docker engine: one that answers (DOCKER_HOST, else the default socket), or, as root with
    Debian's docker.io, the suite's own (gatewaylab.docker_engine). Asked once per test run."""
    return docker_engine.unavailable()


@functools.cache
def _docker_compose() -> str | None:
    """Docker Compose v2 (`docker compose`, `bash scripts/docker-compose-plugin` installs it) and an engine."""
    engine = _docker_engine()  # asked once, as for the docker-engine requirement
    if engine:
        return engine
    try:
        done = subprocess.run(["docker", "compose", "version", "--short"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"`docker compose version` failed: {error}"
    if done.returncode != 0 or not done.stdout.strip().startswith("2."):
        return "no Docker Compose v2 (`docker compose`) here: `bash scripts/docker-compose-plugin` installs it"
    return None


REQUIREMENTS: dict[str, Callable[[], str | None]] = {
    "docker-gateway": _docker_gateway,
    "docker-engine": _docker_engine,
    "docker-compose": _docker_compose,
}


def unmet(name: str) -> str | None:
    if name not in REQUIREMENTS:
        raise ValueError(f"unknown fence requirement {name!r}; known: {', '.join(sorted(REQUIREMENTS))}")
    return REQUIREMENTS[name]()
