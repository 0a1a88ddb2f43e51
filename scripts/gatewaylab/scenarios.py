"""What a page needs before its first fence: one scenario per page that needs more than the standard lab.

Each scenario is a context manager `(lab: Lab) -> Iterator[dict]`: it starts what the page needs
with `lab` (which stops it all on close) and yields the variables to export. Readers start one with
`lab up SCENARIO` (names in `SCENARIOS`), and `eval "$(lab env)"` exports its variables.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from . import docker_engine, docker_images
from .cf_scenarios import stop_reader_backend, troubleshooting
from .envs import CONTEXTFORGE_ENV, REPO, ensure_contextforge_env, find_python_312
from .lab import CONTEXTFORGE_SECRETS, Lab, read_settings_file
from .oauth_lab import contextforge_oauth
from .procs import free_port
from .requirements import unmet


@contextlib.contextmanager
def standard(lab: Lab) -> Iterator[dict[str, str]]:
    """The tutorial's lab: text-tools, math-tools, and ContextForge with both registered."""
    lab.start_standard()
    yield lab.env()


@contextlib.contextmanager
def direct(lab: Lab) -> Iterator[dict[str, str]]:
    """text-tools and math-tools alone, no gateway: the direct page's baseline."""
    for name in ("text-tools", "math-tools"):
        lab.start_backend(name)
    yield lab.env()


@contextlib.contextmanager
def contextforge_setup(lab: Lab) -> Iterator[dict[str, str]]:
    """A reader about to install ContextForge: `python3.12` on PATH and a free port to use.

    Where a Docker engine is available (the `docker-engine` requirement), also what the page's
    container section needs: the engine (DOCKER_HOST), ContextForge's image made here
    (CONTEXTFORGE_IMAGE, as no registry is pulled from) and the lab's two MCP servers; with
    Compose v2 too, a Redis image (REDIS_IMAGE) and a project name of the run's own."""
    bin_dir = lab.state_dir / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    # On a reader's machine python3.12 is on PATH; here it hides behind pyenv, so show it plainly.
    (bin_dir / "python3.12").symlink_to(find_python_312())
    env = {
        "PATH": f"{bin_dir}:{REPO / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "CONTEXTFORGE_PORT": str(free_port()),
    }
    if unmet("docker-engine") is None:
        engine = docker_engine.ensure_engine(lab)
        env["DOCKER_HOST"] = engine.host
        env["CONTEXTFORGE_IMAGE"] = docker_images.contextforge_image(engine)
        for name in ("text-tools", "math-tools"):
            lab.start_backend(name)
        env.update(lab.env())
        if unmet("docker-compose") is None:
            env.update(compose_images(engine, "contextforge-setup"))
    yield env


# The variables a page's compose files read besides the secrets: each run sets them (the port in
# the page's own scenario), and tests/test_contextforge_setup.py fails on any other.
COMPOSE_VARIABLES = ("CONTEXTFORGE_PORT", "CONTEXTFORGE_IMAGE", "REDIS_IMAGE", "MCP_SERVERS_IMAGE", "NGINX_IMAGE")


def compose_images(engine: docker_engine.Engine, page: str, nginx: bool = False) -> dict[str, str]:
    """What a page's compose files name by variables: the images made here (no registry is pulled
    from), and a project name of the run's own, so its containers, network and volumes never meet
    another run's."""
    env = {
        "CONTEXTFORGE_IMAGE": docker_images.contextforge_image(engine),
        "REDIS_IMAGE": docker_images.redis_image(engine),
        "MCP_SERVERS_IMAGE": docker_images.text_tools_image(engine),
        "COMPOSE_PROJECT_NAME": f"{page}-{secrets.token_hex(4)}",
    }
    if nginx:
        env["NGINX_IMAGE"] = docker_images.nginx_image(engine)
    return env


@contextlib.contextmanager
def contextforge_redis_compose(lab: Lab) -> Iterator[dict[str, str]]:
    """The Redis page's compose variant, where Compose v2 is available: the engine (DOCKER_HOST),
    the images its compose files name, and a project name of the run's own. The page's `lab up`
    starts the rest."""
    env: dict[str, str] = {}
    if unmet("docker-compose") is None:
        engine = docker_engine.ensure_engine(lab)
        env = {"DOCKER_HOST": engine.host, **compose_images(engine, "contextforge-redis", nginx=True)}
    yield env


@contextlib.contextmanager
def contextforge_configuration(lab: Lab) -> Iterator[dict[str, str]]:
    """ContextForge with nothing registered, both backends, a REST service, a second ContextForge with separator _.

    The configuration guide's starting point. The reader's shell gets the ports, the tokens and
    ContextForge's secrets (its own tools need them)."""
    for name in ("text-tools", "math-tools"):
        lab.start_backend(name)
    rest_port = lab.port("rest-service")
    lab.start_server(
        "rest-service",
        [sys.executable, "-m", "gatewaylab.rest_service", "--port", str(rest_port)],
        f"http://127.0.0.1:{rest_port}/health",
        port=rest_port,
    )
    gateway = lab.start_contextforge()
    underscore = lab.start_contextforge("contextforge-underscore", settings={"GATEWAY_TOOL_NAME_SEPARATOR": "_"})
    yield {
        **lab.env(),
        # As after the setup guide's `set -a; source secrets.env`: ContextForge's tools need them all.
        **{key: gateway.process.env[key] for key in CONTEXTFORGE_SECRETS},
        "REST_SERVICE_PORT": str(rest_port),
        "UNDERSCORE_PORT": str(underscore.port),
        "UNDERSCORE_TOKEN": underscore.token,
        "TRANSLATE_PORT": str(free_port()),
        "CONTEXTFORGE_VENV": str(CONTEXTFORGE_ENV),  # for readers who skipped Set up: ~/contextforge
    }


@contextlib.contextmanager
def contextforge_federation(lab: Lab) -> Iterator[dict[str, str]]:
    """Two ContextForge instances: the far one serves math-tools, the near one text-tools.

    The reader's shell talks to the near one (CONTEXTFORGE_PORT, CONTEXTFORGE_TOKEN) and holds a
    token of the far one (FAR_PORT, FAR_TOKEN), as an operator of both would."""
    text, math = lab.start_backend("text-tools"), lab.start_backend("math-tools")
    far = lab.start_contextforge("contextforge-far")
    far.register("math-tools", math.url)
    near = lab.start_contextforge()
    near.register("text-tools", text.url)
    yield {**lab.env(), "FAR_PORT": str(far.port), "FAR_TOKEN": far.token}


@contextlib.contextmanager
def contextforge_observability(lab: Lab) -> Iterator[dict[str, str]]:
    """ContextForge with metrics on and traces sent to an OTLP/HTTP receiver; text-tools behind it."""
    text = lab.start_backend("text-tools")
    otlp_port = lab.port("otlp")
    lab.start_server(
        "otlp",
        [str(ensure_contextforge_env().parent / "python"), "-m", "gatewaylab.otlp_receiver", "--port", str(otlp_port)],
        f"http://127.0.0.1:{otlp_port}/health",
        port=otlp_port,
        env={"PYTHONPATH": str(REPO / "scripts")},
    )
    gateway = lab.start_contextforge(settings=observability_settings(otlp_port))
    gateway.register("text-tools", text.url)
    yield {**lab.env(), "OTLP_PORT": str(otlp_port)}


def observability_settings(otlp_port: int) -> dict[str, str]:
    """The settings the observability guide shows (its settings.env), with the receiver's real port."""
    settings = read_settings_file(REPO / "snippets" / "contextforge-observability" / "settings.env")
    settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{otlp_port}/v1/traces"
    return settings


@contextlib.contextmanager
def contextforge_redis(lab: Lab) -> Iterator[dict[str, str]]:
    """Two ContextForge instances with one database, one set of secrets and one Redis."""
    text = lab.start_backend("text-tools")
    redis_port = lab.port("redis")
    lab.start_redis(redis_port)
    shared = {
        "CACHE_TYPE": "redis",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "DATABASE_URL": f"sqlite:///{lab.state_dir / 'shared.db'}",
    }
    first = lab.start_contextforge(settings=shared)
    shared.update({key: first.process.env[key] for key in CONTEXTFORGE_SECRETS})
    second = lab.start_contextforge("contextforge-second", settings=shared)
    yield {
        **lab.env(),
        "TEXT_TOOLS_PORT": str(text.port),
        "SECOND_PORT": str(second.port),
        "REDIS_PORT": str(redis_port),
    }


# The pflow troubleshooting page's gateways give up on a tool call after 5 s (default 60); the
# second one also keeps one backend session per client session.
PFLOW_TROUBLESHOOTING_SETTINGS = {"TOOL_TIMEOUT": "5"}
PFLOW_TROUBLESHOOTING_STATEFUL = {**PFLOW_TROUBLESHOOTING_SETTINGS, "USE_STATEFUL_SESSIONS": "true"}
PFLOW_TROUBLESHOOTING_BACKENDS = (("slow-tools", "slow"), ("session-tools", "session"))


@contextlib.contextmanager
def pflow_troubleshooting(lab: Lab) -> Iterator[dict[str, str]]:
    """Two ContextForge instances with a 5-second tool timeout, the second with stateful sessions.

    The first has slow-tools and session-tools behind it, the second session-tools only.

    A port is kept free for the `inventory` backend that the page starts and stops itself;
    whatever runs there is stopped when the scenario ends."""
    backends = [
        lab.start_backend(name, kind, "gatewaylab.slow_backend") for name, kind in PFLOW_TROUBLESHOOTING_BACKENDS
    ]
    # The threads that start the gateways must live as long as the scenario (PR_SET_PDEATHSIG is per thread).
    with ThreadPoolExecutor(2) as pool:
        starting = [
            pool.submit(lab.start_contextforge, "contextforge", PFLOW_TROUBLESHOOTING_SETTINGS),
            pool.submit(lab.start_contextforge, "stateful", PFLOW_TROUBLESHOOTING_STATEFUL),
        ]
        gateway, stateful = (future.result() for future in starting)
        for backend in backends:
            gateway.register(backend.name, backend.url)
        stateful.register("session-tools", lab.backends["session-tools"].url)
        inventory_port = free_port()
        try:
            yield {
                **lab.env(),  # each backend's port, and the first gateway's
                "STATEFUL_PORT": str(stateful.port),
                "STATEFUL_TOKEN": stateful.token,
                "INVENTORY_PORT": str(inventory_port),
            }
        finally:
            stop_reader_backend(inventory_port, "gatewaylab.slow_backend")


# Scenarios that start no ContextForge (so the settings check has no gateway to read).
NO_GATEWAY_SCENARIOS = ("direct",)

# `lab up NAME` starts one of these; a page that needs one opens with that command.
SCENARIOS = {
    "standard": standard,
    "direct": direct,
    "contextforge-configuration": contextforge_configuration,
    "contextforge-federation": contextforge_federation,
    "contextforge-observability": contextforge_observability,
    "contextforge-redis": contextforge_redis,
    "contextforge-troubleshooting": troubleshooting,
    "contextforge-oauth": contextforge_oauth,
    "pflow-troubleshooting": pflow_troubleshooting,
}
