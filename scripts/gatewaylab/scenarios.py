"""What the ContextForge setup and configuration pages need before their first fence.

Each scenario is a context manager `(root: Path) -> Iterator[dict]` named in a page's front matter
(`fences: {scenario: "gatewaylab.scenarios:NAME"}`); the dict is exported into the page's shell.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .envs import REPO, ensure_contextforge_env, find_python_312
from .lab import Lab
from .procs import free_port


@contextlib.contextmanager
def contextforge_setup(root: Path) -> Iterator[dict[str, str]]:
    """A reader about to install ContextForge: `python3.12` on PATH and a free port to use."""
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    # On a reader's machine python3.12 is on PATH; here it hides behind pyenv, so show it plainly.
    (bin_dir / "python3.12").symlink_to(find_python_312())
    yield {
        "PATH": f"{bin_dir}:{REPO / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "CONTEXTFORGE_PORT": str(free_port()),
    }


def _contextforge_for_reader(home: Path) -> None:
    """The reader of the setup guide has ContextForge's environment at ~/contextforge."""
    home.mkdir(parents=True, exist_ok=True)
    link = home / "contextforge"
    if not link.exists():
        link.symlink_to(ensure_contextforge_env().parent.parent)


@contextlib.contextmanager
def contextforge_config(root: Path) -> Iterator[dict[str, str]]:
    """The configuration guide's starting point: ContextForge running with nothing registered,
    our two backends and a REST service on loopback, and a second ContextForge whose tool-name
    separator is `_`. The reader's shell gets the ports, the token and the JWT secret."""
    with Lab(root) as lab:
        for name in ("text-tools", "math-tools"):
            lab.start_backend(name)
        rest_port = lab.port("rest-service")
        lab.start_server("rest-service", [sys.executable, "-m", "gatewaylab.rest_service", "--port", str(rest_port)],
                         f"http://127.0.0.1:{rest_port}/health", port=rest_port)
        gateway = lab.start_contextforge()
        underscore = lab.start_contextforge("contextforge-underscore", settings={"GATEWAY_TOOL_NAME_SEPARATOR": "_"})
        _contextforge_for_reader(root.parent / "home")
        secrets = ("JWT_SECRET_KEY", "AUTH_ENCRYPTION_SECRET", "PLATFORM_ADMIN_PASSWORD",
                   "DEFAULT_USER_PASSWORD", "BASIC_AUTH_PASSWORD")
        yield {
            **lab.env(),
            # As after the setup guide's `set -a; source secrets.env`: ContextForge's tools need them all.
            **{key: gateway.process.env[key] for key in secrets},
            "REST_SERVICE_PORT": str(rest_port),
            "UNDERSCORE_PORT": str(underscore.port),
            "UNDERSCORE_TOKEN": underscore.token,
            "TRANSLATE_PORT": str(free_port()),
        }


@contextlib.contextmanager
def contextforge_federation(root: Path) -> Iterator[dict[str, str]]:
    """Two ContextForge instances: the far one serves math-tools, the near one text-tools.

    The reader's shell talks to the near one (CONTEXTFORGE_PORT, CONTEXTFORGE_TOKEN) and holds a
    token of the far one (FAR_PORT, FAR_TOKEN), as an operator of both would."""
    with Lab(root) as lab:
        text, math = lab.start_backend("text-tools"), lab.start_backend("math-tools")
        far = lab.start_contextforge("contextforge-far")
        far.register("math-tools", math.url)
        near = lab.start_contextforge()
        near.register("text-tools", text.url)
        _contextforge_for_reader(root.parent / "home")
        yield {**lab.env(), "FAR_PORT": str(far.port), "FAR_TOKEN": far.token}


@contextlib.contextmanager
def contextforge_observability(root: Path) -> Iterator[dict[str, str]]:
    """ContextForge with Prometheus metrics on and traces exported to an OTLP/HTTP receiver,
    text-tools registered behind it."""
    with Lab(root) as lab:
        text = lab.start_backend("text-tools")
        otlp_port = lab.port("otlp")
        lab.start_server("otlp", [str(ensure_contextforge_env().parent / "python"), "-m", "gatewaylab.otlp_receiver",
                                  "--port", str(otlp_port)],
                         f"http://127.0.0.1:{otlp_port}/health", port=otlp_port, env={"PYTHONPATH": str(REPO / "scripts")})
        gateway = lab.start_contextforge(settings=observability_settings(otlp_port))
        gateway.register("text-tools", text.url)
        yield {**lab.env(), "OTLP_PORT": str(otlp_port)}


def observability_settings(otlp_port: int) -> dict[str, str]:
    """The settings the observability guide shows (its settings.env), with the receiver's real port."""
    text = (REPO / "snippets" / "cf-observability" / "settings.env").read_text()
    settings = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{otlp_port}/v1/traces"
    return settings


@contextlib.contextmanager
def contextforge_redis(root: Path) -> Iterator[dict[str, str]]:
    """Two ContextForge instances with one database, one set of secrets and one Redis."""
    with Lab(root) as lab:
        text = lab.start_backend("text-tools")
        redis_port = lab.port("redis")
        lab.start_redis(redis_port)
        shared = {"CACHE_TYPE": "redis", "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                  "DATABASE_URL": f"sqlite:///{root / 'shared.db'}"}
        first = lab.start_contextforge(settings=shared)
        shared.update({key: first.process.env[key] for key in (
            "JWT_SECRET_KEY", "AUTH_ENCRYPTION_SECRET", "PLATFORM_ADMIN_PASSWORD", "DEFAULT_USER_PASSWORD")})
        second = lab.start_contextforge("contextforge-second", settings=shared)
        yield {**lab.env(), "TEXT_TOOLS_PORT": str(text.port), "SECOND_PORT": str(second.port),
               "REDIS_PORT": str(redis_port)}
