"""A Docker engine for the Docker pages: the one that already answers, or one we start and stop.

    engine = ensure_engine(lab)       # an Engine, or raises SetupError with the one-line reason
    engine.host                       # DOCKER_HOST for every process that talks to it

Where an engine already answers (`DOCKER_HOST`, else the default socket), it is used and never
stopped (but not one a test started at the default socket for itself: see `answering`).
Otherwise, as root with Debian's `docker.io` installed, `dockerd` is started with everything of
its own under a new temporary folder: data root, exec root (its containerd too), pid file,
configuration and unix socket, and no firewall rules, bridge or overlay mounts:

    dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=overlay2 ...

`overlay2` where the kernel has overlayfs and /tmp is not itself on overlayfs (as in a container),
else `vfs`, which copies an image's whole file system for every container (about 50 s for
ContextForge's image here, against under a second with overlay2). Containers run with
`--network host`; user-defined bridge networks (`docker network create`, as Compose makes) also
work, published ports included (through docker-proxy), but the default bridge does not exist.
It is ready when `GET /_ping` on its socket answers `OK` (polled, no sleep). `stop()` removes
every container and network it holds, stops it, and deletes the folder. As a process of a `Lab`
it stops with the lab (`lab down`, or the page that started it); in a test run one engine is
shared by every page and test (`share_engines()`), and the run stops it at its end. As non-root no engine is started: `unavailable()` says why.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .envs import SetupError
from .procs import ManagedProcess, processes

DEFAULT_HOST = "unix:///var/run/docker.sock"
DOCKERD_FLAGS = ["--iptables=false", "--ip6tables=false", "--bridge=none"]


def storage_driver(folder: Path = Path("/tmp")) -> str:
    """`overlay2` when the kernel has overlayfs and `folder` is not on overlayfs, else `vfs`."""
    try:
        if "overlay" not in Path("/proc/filesystems").read_text().split():
            return "vfs"
        mounts = [line.split() for line in Path("/proc/self/mounts").read_text().splitlines()]
    except OSError:
        return "vfs"
    target = str(folder.resolve())
    under = [m for m in mounts if len(m) > 2 and (target == m[1] or target.startswith(m[1].rstrip("/") + "/"))]
    fstype = max(under, key=lambda m: len(m[1]))[2] if under else "?"
    return "vfs" if fstype in ("overlay", "?") else "overlay2"


def current_host() -> str:
    return os.environ.get("DOCKER_HOST") or DEFAULT_HOST


def server_version(host: str) -> str | None:
    """The engine's version when one answers at `host` (`docker version`), else None."""
    if not shutil.which("docker"):
        return None
    try:
        done = subprocess.run(
            ["docker", "version", "--format", "{{.Server.Version}}"],
            env={**os.environ, "DOCKER_HOST": host},
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def answering(host: str) -> str | None:
    """`server_version(host)`, except for an engine a test started at the default socket for
    itself (`start_engine(default_socket=True)`): it goes when that test ends, so no one may borrow it."""
    if host == DEFAULT_HOST:
        flag = f"--host={DEFAULT_HOST}"
        if any(flag in proc.cmdline and "/docker-engine-" in proc.cmdline for proc in processes()):
            return None
    return server_version(host)


def unavailable() -> str | None:
    """None when an engine answers or this run may start one; else the one-line reason."""
    if not shutil.which("docker"):
        return "no `docker` CLI on PATH (Debian: apt-get install docker.io)"
    if _shared is not None or answering(current_host()):
        return None
    if os.geteuid() != 0:
        return (
            f"no Docker engine answers at {current_host()}, and the suite starts its own only as root "
            "(dockerd needs root): start Docker, or run as root"
        )
    if not shutil.which("dockerd"):
        return f"no Docker engine answers at {current_host()}, and dockerd is not installed (Debian: apt-get install docker.io)"
    return None


@dataclass
class Engine:
    host: str  # unix:///... : what DOCKER_HOST must say
    version: str
    process: ManagedProcess | None = None  # set when we started it
    root: Path | None = None
    started_in: float = 0.0
    _stopped: bool = field(default=False, repr=False)

    @property
    def owned(self) -> bool:
        return self.process is not None

    @property
    def socket(self) -> Path | None:
        return Path(self.host.removeprefix("unix://")) if self.host.startswith("unix://") else None

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host}

    def docker(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(["docker", *args], env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise SetupError(f"`docker {' '.join(args)}` failed: {(done.stderr or done.stdout).strip()[-500:]}")
        return done

    def containers(self) -> list[str]:
        return self.docker("ps", "-aq", "--no-trunc").stdout.split()

    def networks(self) -> list[str]:
        """User-defined networks (the engine's own bridge, host and none are not counted)."""
        return self.docker("network", "ls", "-q", "--no-trunc", "--filter", "type=custom").stdout.split()

    def stop(self) -> None:
        """Remove every container and network, stop dockerd, delete its folder. Only for an engine we started."""
        if self.process is None or self._stopped:
            return
        self._stopped = True
        try:
            if self.process.running():
                ids = self.containers()
                if ids:
                    self.docker("rm", "--force", "--volumes", *ids, check=False)
                nets = self.networks()
                if nets:
                    self.docker("network", "rm", *nets, check=False)
        finally:
            # SIGTERM: dockerd stops what still runs and its own containerd, then exits.
            self.process.stop(grace=30)
            if self.root is not None:
                _remove_tree(self.root)


def _remove_tree(root: Path) -> None:
    """Delete the engine's folder; unmount what dockerd may have left mounted there first."""
    try:
        mounts = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    except OSError:
        mounts = []
    for point in sorted((m for m in mounts if m.startswith(str(root) + "/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def _ping(socket: Path) -> bool:
    with httpx.Client(transport=httpx.HTTPTransport(uds=str(socket)), timeout=2.0) as client:
        try:
            return client.get("http://docker/_ping").text == "OK"
        except httpx.TransportError:
            return False


def start_engine(spawn=None, *, timeout: float = 120, default_socket: bool = False) -> Engine:
    """Start our own dockerd under a new temporary folder and wait until it answers.

    `spawn(name, argv, env, cwd) -> ManagedProcess` starts it as a lab's process; by default it
    is started as a plain ManagedProcess (which stops if this process dies). `default_socket`
    also listens on /var/run/docker.sock (only when no engine answers there): the gateway starts
    container servers with a `docker run` that gets no DOCKER_HOST, so only that socket works.
    """
    reason = unavailable()
    if reason:
        raise SetupError(reason)
    if os.geteuid() != 0:
        raise SetupError("the suite starts a Docker engine only as root (dockerd needs root)")
    # Unix socket paths are limited to 107 bytes: keep the folder short.
    root = Path(tempfile.mkdtemp(prefix="docker-engine-", dir="/tmp"))
    socket = root / "docker.sock"
    (root / "daemon.json").write_text("{}\n")  # not the machine's /etc/docker/daemon.json
    argv = [
        shutil.which("dockerd") or "dockerd",
        *DOCKERD_FLAGS,
        f"--storage-driver={storage_driver()}",
        f"--data-root={root / 'data'}",
        f"--exec-root={root / 'exec'}",
        f"--pidfile={root / 'dockerd.pid'}",
        f"--config-file={root / 'daemon.json'}",
        f"--host=unix://{socket}",
    ]
    if default_socket:
        if server_version(DEFAULT_HOST):
            raise SetupError(f"an engine already answers at {DEFAULT_HOST}: use it")
        argv.append(f"--host={DEFAULT_HOST}")
    env = {key: value for key, value in os.environ.items() if key != "DOCKER_HOST"}
    if spawn is None:
        process = ManagedProcess("dockerd", argv, env=env, log=root / "dockerd.log", cwd=root)
        process.start()
    else:
        process = spawn("dockerd", argv, env, root)
    engine = Engine(f"unix://{socket}", "", process, root)
    try:
        engine.started_in = process.wait_ready(
            lambda: socket.exists() and _ping(socket), timeout=timeout, what=f"GET /_ping answering OK on {socket}"
        )
        engine.version = server_version(engine.host) or "?"
    except BaseException:
        engine.stop()
        raise
    return engine


# -- who owns the engine ------------------------------------------------------------------------
_shared: Engine | None = None
_share = False
_lock = threading.Lock()


def share_engines() -> None:
    """In a test run: one engine for every page and test, started on first need (`stop_shared()` ends it)."""
    global _share
    _share = True


def ensure_engine(lab=None) -> Engine:
    """The engine to use: one that answers, the run's shared one, or a new one.

    A new one belongs to `lab` (stopped by `lab.close()`, so by `lab down`), unless engines are
    shared; with neither it is stopped when this process exits.
    """
    global _shared
    with _lock:
        if _shared is not None and not _shared._stopped:
            return _shared
        host = current_host()
        version = answering(host)
        if version:
            return Engine(host, version)
        if _share or lab is None:
            _shared = start_engine()
            atexit.register(stop_shared)
            return _shared
        engine = start_engine(lab.spawn)
        lab.before_stop(engine.process, engine.stop)
        return engine


def shared() -> Engine | None:
    return _shared


def stop_shared() -> None:
    global _shared
    with _lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


def leftovers(engine: Engine) -> list[str]:
    """What an engine we started left behind after `stop()`: processes, its socket, its folder."""
    found: list[str] = []
    if engine.root is None:
        return found
    for proc in processes():
        if str(engine.root) in proc.cmdline:
            found.append(f"process {proc.pid}: {proc.cmdline[:160]}")
    if engine.root.exists():
        found.append(f"folder {engine.root}")
    return found


def wait_gone(engine: Engine, timeout: float = 30) -> list[str]:
    """`leftovers()`, after giving exiting processes up to `timeout` seconds to go."""
    deadline = time.monotonic() + timeout
    while (left := leftovers(engine)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
