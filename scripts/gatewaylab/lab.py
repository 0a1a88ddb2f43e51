"""The lab: our MCP backends and IBM ContextForge on loopback, started and stopped as one.

    with Lab(state_dir) as lab:
        lab.start_standard()          # text-tools, math-tools, ContextForge with both registered
        print(lab.env())              # the variables a reader exports (ports, token)

Readers get the same through `scripts/lab up`; tests through the `lab` pytest fixture.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .envs import REPO, SetupError, contextforge_bin, ensure_contextforge_env
from .procs import ManagedProcess, free_port, pick_port

# Ports a reader's lab prefers, so the pages can show stable URLs; tests always take free ports.
# The settings the setup guide tells readers to save (snippets/contextforge-setup/settings.env): the lab's
# defaults, read from that one file so that the lab and the pages cannot drift apart.
SETTINGS_FILE = REPO / "snippets" / "contextforge-setup" / "settings.env"


def read_settings_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines of a settings file that a shell sources (`#` lines are comments)."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


CONTEXTFORGE_DEFAULTS = read_settings_file(SETTINGS_FILE)
DEFAULT_PORTS = {
    "text-tools": 8101,
    "math-tools": 8102,
    "rest-service": 8103,
    "notes": 8104,
    "secure-tools": 8105,
    "billing": 8106,
    "translate": 9000,
    "auth-server": 9400,
    "otlp": 4318,
    "redis": 6379,
    "contextforge": 4444,
    "far": 4445,
    "second": 4446,
}
BACKEND_KINDS = {"text-tools": "text", "math-tools": "math"}
ADMIN_EMAIL = CONTEXTFORGE_DEFAULTS["PLATFORM_ADMIN_EMAIL"]


class _Secrets(set[str]):
    """Every secret and token the run generated, so tests can prove none of them leaked anywhere.

    The whole suite runs in several processes (scripts/test: parallel workers, then the site
    checks), so when GATEWAYLAB_SECRETS_FILE names a file (private, made and removed by
    scripts/test) each new secret is also appended to it, and `of_the_run()` reads them all back.
    """

    def add(self, secret: str) -> None:
        self.update([secret])

    def update(self, *groups: Iterable[str]) -> None:
        new = {secret for group in groups for secret in group} - self
        super().update(new)
        shared = os.environ.get("GATEWAYLAB_SECRETS_FILE")
        if new and shared:
            with open(shared, "a") as file:  # one short write per call: appends do not interleave
                file.write("".join(f"{secret}\n" for secret in new))

    def of_the_run(self) -> set[str]:
        shared = os.environ.get("GATEWAYLAB_SECRETS_FILE")
        if shared and Path(shared).exists():
            return self | set(Path(shared).read_text().split())
        return set(self)


GENERATED_SECRETS = _Secrets()
# ContextForge's secrets, as its `init_secrets` makes them: each instance gets its own, random.
CONTEXTFORGE_SECRETS = {
    "JWT_SECRET_KEY": 48,
    "AUTH_ENCRYPTION_SECRET": 48,
    "PLATFORM_ADMIN_PASSWORD": 24,
    "DEFAULT_USER_PASSWORD": 24,
    "BASIC_AUTH_PASSWORD": 24,
}


def new_contextforge_secrets() -> dict[str, str]:
    """A fresh set of ContextForge's secrets (names as in CONTEXTFORGE_SECRETS), remembered as generated."""
    made = {name: secrets.token_urlsafe(size) for name, size in CONTEXTFORGE_SECRETS.items()}
    GENERATED_SECRETS.update(made.values())
    return made


def _redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


def _http_ok(url: str, verify: ssl.SSLContext | bool = True) -> bool:
    try:
        return httpx.get(url, timeout=2.0, verify=verify).status_code == 200
    except httpx.TransportError:
        return False


@dataclass
class Backend:
    name: str
    port: int
    process: ManagedProcess
    scheme: str = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/mcp"


@dataclass
class ContextForge:
    """One ContextForge instance with its own secrets, database and temporary folder."""

    name: str
    port: int
    process: ManagedProcess
    jwt_secret: str = field(repr=False)
    admin_password: str = field(repr=False)
    token: str = field(default="", repr=False)
    ca_file: Path | None = None  # set when it serves HTTPS with a certificate from this CA
    container: str | None = None  # set when it runs as a container (`lab up --containers`)

    @property
    def base_url(self) -> str:
        # Over HTTPS the name must match the certificate, which is made for "localhost".
        return f"https://localhost:{self.port}" if self.ca_file else f"http://127.0.0.1:{self.port}"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        return ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else True

    @property
    def mcp_url(self) -> str:
        return f"{self.base_url}/mcp"

    def mint_token(self, minutes: int = 24 * 60, username: str = ADMIN_EMAIL) -> str:
        """A bearer JWT made with ContextForge's own tool, exactly as the pages show it.

        In a container, the container's own tool, which reads JWT_SECRET_KEY from its environment."""
        tool = ["-m", "mcpgateway.utils.create_jwt_token", "--username", username, "--exp", str(minutes)]
        if self.container:
            argv = ["docker", "exec", self.container, "python", *tool]
        else:
            # `=` form: a random secret may begin with "-", which argparse would take for an option.
            argv = [str(contextforge_bin("python")), *tool, f"--secret={self.jwt_secret}"]
        done = subprocess.run(
            argv,
            env=self.process.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise SetupError(f"minting a token for {self.name} failed:\n{done.stderr.strip()[-800:]}")
        token = done.stdout.strip().splitlines()[-1]
        GENERATED_SECRETS.add(token)
        return token

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return httpx.request(method, self.base_url + path, headers=headers, timeout=60.0, verify=self.verify, **kwargs)

    def register(self, name: str, url: str, transport: str = "STREAMABLEHTTP") -> dict:
        """Register an MCP server with ContextForge (POST /v1/gateways) and return its record."""
        answer = self.api("POST", "/v1/gateways", json={"name": name, "url": url, "transport": transport})
        if answer.status_code not in (200, 201):
            raise SetupError(
                f"{self.name} refused to register {name} at {url}: HTTP {answer.status_code} {answer.text[:500]}"
            )
        return answer.json()

    def tools(self) -> list[dict]:
        answer = self.api("GET", "/v1/tools", params={"limit": 0})
        answer.raise_for_status()
        return answer.json()


class Lab:
    """Owns every process it starts; `close()` (or leaving the `with` block) stops them all."""

    def __init__(self, state_dir: Path | None = None, *, reader_ports: bool = False, containers: bool = False):
        # A folder the lab made itself is its to delete on close(); a given one is the caller's.
        self._owns_state_dir = state_dir is None
        self.state_dir = Path(state_dir or tempfile.mkdtemp(prefix="gatewaylab-"))
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.reader_ports = reader_ports
        # ContextForge as a container (gatewaylab.docker_images) on a Docker engine, not from .venvs.
        self.containers = containers
        self.processes: list[ManagedProcess] = []
        self.backends: dict[str, Backend] = {}
        self.servers: dict[str, tuple[str, ManagedProcess]] = {}  # other servers: where they answer
        self.gateways: dict[str, ContextForge] = {}
        self._before_stop: dict[ManagedProcess, list[Callable[[], None]]] = {}

    # -- starting pieces -------------------------------------------------------------------
    def _port(self, name: str) -> int:
        if not self.reader_ports:
            return free_port()
        # A second gateway "contextforge-far" prefers the reader's port for "far".
        return pick_port(DEFAULT_PORTS.get(name) or DEFAULT_PORTS.get(name.removeprefix("contextforge-")))

    def _spawn(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> ManagedProcess:
        process = ManagedProcess(name, argv, env=env, log=self.state_dir / "logs" / f"{name}.log", cwd=cwd)
        self.processes.append(process)
        process.start()
        return process

    def spawn(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> ManagedProcess:
        """Start a process the lab owns (stopped by `close()`, in reverse order of start), with no readiness check."""
        return self._spawn(name, argv, env, cwd)

    def before_stop(self, process: ManagedProcess, callback: Callable[[], None]) -> None:
        """Run `callback` when the lab closes, just before it stops `process` (a Docker engine empties itself)."""
        self._before_stop.setdefault(process, []).append(callback)

    def start_server(
        self,
        name: str,
        argv: list[str],
        ready_url: str,
        *,
        port: int,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        verify: ssl.SSLContext | bool = True,
    ) -> ManagedProcess:
        """Start any loopback server (a bridge, a relay, a receiver) and wait until `ready_url` answers 200.

        `argv` must make it listen on `port` (take one from `lab.port(name)`).
        """
        process = self._spawn(name, argv, dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})), self.state_dir)
        process.wait_ready(lambda: _http_ok(ready_url, verify), timeout=timeout, what=f"{ready_url} answering 200")
        self.servers[name] = (ready_url.rsplit("/", 1)[0], process)
        return process

    def start_stdio_bridge(
        self, name: str, command: str, env: dict[str, str], *options: str
    ) -> tuple[ManagedProcess, str]:
        """ContextForge's `mcpgateway.translate` serving the stdio server `command` as Streamable HTTP.

        `env` must hold ContextForge's secrets: translate reads its settings, which insist on strong
        ones even here. Returns the process and the bridge's MCP URL.
        """
        port = self._port(name)
        argv = [str(contextforge_bin("python")), "-m", "mcpgateway.translate", "--stdio", command]
        argv += ["--expose-streamable-http", "--port", str(port), *options]
        process = self.start_server(name, argv, f"http://127.0.0.1:{port}/healthz", port=port, env=env)
        return process, f"http://127.0.0.1:{port}/mcp"

    def port(self, name: str) -> int:
        """A port for a new server: the reader's default for known pieces in `lab up`, else a free one."""
        return self._port(name)

    def start_redis(self, port: int) -> ManagedProcess:
        """Debian's redis-server on loopback, in memory only; ready when it answers PING."""
        redis = shutil.which("redis-server")
        if not redis:
            raise SetupError("redis-server is not installed (Debian: apt-get install redis-server).")
        process = self._spawn(
            "redis",
            [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            dict(os.environ),
            self.state_dir,
        )
        process.wait_ready(lambda: _redis_ping(port), timeout=30, what=f"PING answered on port {port}")
        self.servers["redis"] = (f"redis://127.0.0.1:{port}", process)
        return process

    def start_backend(
        self,
        name: str,
        kind: str | None = None,
        module: str = "gatewaylab.backends",
        env: dict[str, str] | None = None,
        tls: dict[str, Path] | None = None,
    ) -> Backend:
        """Start one of our MCP servers and wait for its /health.

        `module` is `gatewaylab.backends` (`text` or `math` tools) or `gatewaylab.slow_backend`
        (`slow`, `wide`, `session` and `inventory` tools).
        `env` adds variables, such as BACKEND_BEARER_TOKEN (gatewaylab.backends says what it does).
        `tls` ({"server", "server-key", "ca"} paths, as cf_scenarios.make_tls_files makes them)
        serves HTTPS with that certificate.
        """
        kind = kind or BACKEND_KINDS[name]
        port = self._port(name)
        scheme: str = "http"
        verify: ssl.SSLContext | bool = True
        if tls:
            env = {**(env or {}), "BACKEND_TLS_CERT": str(tls["server"]), "BACKEND_TLS_KEY": str(tls["server-key"])}
            scheme, verify = "https", ssl.create_default_context(cafile=str(tls["ca"]))
        process = self.start_server(
            name,
            [sys.executable, "-m", module, kind, "--port", str(port)],
            f"{scheme}://127.0.0.1:{port}/health",
            port=port,
            env=env,
            verify=verify,
        )
        backend = Backend(name, port, process, scheme)
        self.backends[name] = backend
        return backend

    def start_contextforge(
        self,
        name: str = "contextforge",
        settings: dict[str, str] | None = None,
        timeout: float = 180,
        tls: dict[str, Path] | None = None,
        options: list[str] | None = None,
    ) -> ContextForge:
        """Start ContextForge with fresh random secrets and its state in its own folder.

        `settings` override the lab's defaults (CONTEXTFORGE_DEFAULTS, from the setup guide).
        `options` go on `mcpgateway`'s command line after host and port (`--workers 2`).
        `tls` ({"server", "server-key", "ca"} paths) serves HTTPS: `mcpgateway` hands
        `--ssl-certfile`/`--ssl-keyfile` to uvicorn.
        """
        if self.containers:
            if tls or options:
                raise SetupError(
                    "the lab serves HTTPS or takes command-line options only from ContextForge's Python environment, "
                    "not a container"
                )
            return self._start_contextforge_container(name, settings, timeout)
        mcpgateway = ensure_contextforge_env()
        home = self.state_dir / name
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
        env.update(
            **new_contextforge_secrets(),
            DATABASE_URL=f"sqlite:///{home / 'mcp.db'}",
            # It takes a leader lock in TMPDIR: one folder per instance keeps instances apart.
            TMPDIR=str(home / "tmp"),
            # What the setup guide's settings.env says: the admin's email, loopback backends
            # allowed, rate limiting off.
            **CONTEXTFORGE_DEFAULTS,
        )
        env.update(settings or {})
        # Instances that share a database must share its secrets too: settings may pass them in.
        jwt_secret, admin_password = env["JWT_SECRET_KEY"], env["PLATFORM_ADMIN_PASSWORD"]
        GENERATED_SECRETS.update(env[key] for key in CONTEXTFORGE_SECRETS)
        port = self._port(name)
        argv = [str(mcpgateway), "--host", "127.0.0.1", "--port", str(port)]
        if tls:
            argv += ["--ssl-certfile", str(tls["server"]), "--ssl-keyfile", str(tls["server-key"])]
        argv += options or []
        process = self._spawn(name, argv, env, home)
        gateway = ContextForge(
            name,
            port,
            process,
            jwt_secret=jwt_secret,
            admin_password=admin_password,
            ca_file=tls["ca"] if tls else None,
        )
        self._until_ready(gateway, timeout)
        return gateway

    def _start_contextforge_container(self, name: str, settings: dict[str, str] | None, timeout: float) -> ContextForge:
        """ContextForge from the image the lab builds (or CONTEXTFORGE_IMAGE), as `docker run` on the host network.

        The same secrets and settings as a process gets, in an env file only root can read; the
        database inside the container, which `--rm` removes with it. The `docker run` client is
        the lab's process (its log is the container's), and the container is removed before it stops."""
        from . import docker_engine, docker_images

        engine = docker_engine.ensure_engine(self)
        image = os.environ.get("CONTEXTFORGE_IMAGE") or docker_images.contextforge_image(engine)
        home = self.state_dir / name
        home.mkdir(parents=True, exist_ok=True)
        port = self._port(name)
        values = {**new_contextforge_secrets(), **CONTEXTFORGE_DEFAULTS, **(settings or {})}
        values.update(HOST="127.0.0.1", PORT=str(port), DATABASE_URL="sqlite:////app/mcp.db")
        GENERATED_SECRETS.update(values[key] for key in CONTEXTFORGE_SECRETS)
        env_file = home / "container.env"
        env_file.touch(mode=0o600)
        env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
        container = f"gatewaylab-{name}-{port}"
        argv = ["docker", "run", "--rm", "--name", container, "--network", "host", "--env-file", str(env_file), image]
        process = self._spawn(name, argv, {**os.environ, "DOCKER_HOST": engine.host}, home)

        def remove() -> None:
            engine.docker("rm", "--force", container, check=False)

        self.before_stop(process, remove)
        gateway = ContextForge(
            name,
            port,
            process,
            jwt_secret=values["JWT_SECRET_KEY"],
            admin_password=values["PLATFORM_ADMIN_PASSWORD"],
            container=container,
        )
        took = self._until_ready(gateway, timeout)
        print(f"{name}: container {container} ready in {took:.1f} s", file=sys.stderr)
        return gateway

    def _until_ready(self, gateway: ContextForge, timeout: float) -> float:
        """Wait until `gateway` answers /ready, give it a token and keep it; the seconds it took."""
        took = gateway.process.wait_ready(
            lambda: _http_ok(f"{gateway.base_url}/ready", gateway.verify),
            timeout=timeout,
            what=f"/ready answering 200 on port {gateway.port}",
        )
        gateway.token = gateway.mint_token()
        self.gateways[gateway.name] = gateway
        return took

    def start_standard(self) -> ContextForge:
        """The tutorial's lab: two backends and one ContextForge that aggregates both."""
        for name in BACKEND_KINDS:
            self.start_backend(name)
        gateway = self.start_contextforge()
        for backend in self.backends.values():
            gateway.register(backend.name, backend.url)
        return gateway

    # -- what readers and tests need ----------------------------------------------------------
    def env(self) -> dict[str, str]:
        """The environment variables the pages use: ports, URLs and the bearer token."""
        out: dict[str, str] = {}
        for backend in self.backends.values():
            prefix = backend.name.upper().replace("-", "_")
            out[f"{prefix}_PORT"] = str(backend.port)
        gateway = self.gateways.get("contextforge")
        if gateway:
            out["CONTEXTFORGE_PORT"] = str(gateway.port)
            out["CONTEXTFORGE_URL"] = gateway.base_url
            out["CONTEXTFORGE_TOKEN"] = gateway.token
        return out

    def describe(self) -> dict:
        named = set(self.backends) | set(self.gateways)
        return {
            "state_dir": str(self.state_dir),
            "backends": {b.name: {"url": b.url, "pid": b.process.pid} for b in self.backends.values()},
            "servers": {
                name: {"url": url, "pid": process.pid}
                for name, (url, process) in self.servers.items()
                if name not in named
            },
            "gateways": {g.name: {"url": g.mcp_url, "pid": g.process.pid} for g in self.gateways.values()},
        }

    # -- stopping ------------------------------------------------------------------------------
    def stop(self, process: ManagedProcess) -> None:
        process.stop()

    def close(self) -> None:
        for process in reversed(self.processes):
            for callback in self._before_stop.pop(process, []):
                try:
                    callback()
                except Exception as error:  # stopping the rest matters more
                    print(f"lab: while stopping {process.name}: {error}", file=sys.stderr)
            process.stop()
        self.processes.clear()
        if self._owns_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
