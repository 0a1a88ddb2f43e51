"""Container images made here (no registry is pulled from): the lab's MCP servers, ContextForge, Redis, nginx.

    image = text_tools_image(engine)     # "gatewaylab-text-tools:local", in that engine
    image = contextforge_image(engine)   # "gatewaylab-contextforge:1.1.0", the release the lab pins
    image = redis_image(engine)          # "gatewaylab-redis:local"; nginx_image(engine) likewise

1. A Debian base: `mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates
   bookworm` from Debian's archive, as a tar cached in ~/.cache/pflow-gateway-guide/images/ and
   loaded with `docker import` (as root; once per machine, about a minute).
2. The lab's text-tools as a stdio MCP server: the base, a virtual environment with `mcp` 1.x from
   PyPI (the host's CA bundle is copied in and named by PIP_CERT and SSL_CERT_FILE, else pip cannot
   reach PyPI from inside the build here), and gatewaylab/backends.py run with `--stdio`.
   Built with `docker build --network host`; the image is saved next to the base, keyed by what
   went into it, and loaded with `docker load` by later runs.

3. ContextForge: a Debian trixie base made the same way (ContextForge 1.1.0 needs Python 3.12+;
   bookworm has 3.11, trixie 3.13), then a script run in a container of it with `--network host`
   (a virtual environment in /app/.venv with the versions of scripts/contextforge/uv.lock, a user
   10001 named app) and `docker commit` with the official image's user, working folder, PATH,
   port and start command (`docker build` on the engine's vfs storage took 966 s; this, about
   two minutes). Cached like text-tools, keyed by the lock and the script.

4. Redis and nginx: Debian trixie's `redis-server` and `nginx` packages as root file system tars
   (mmdebstrap, cached like the bases), each loaded with `docker import` and the official image's
   start command (seconds once the tar exists; the nginx tar took about a minute to make).

An image is made once per engine: each run's own engine loads it once, and every gateway reuses it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .docker_engine import Engine
from .envs import SetupError

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pflow-gateway-guide" / "images"
SUITE = "bookworm"
BASE_IMAGE = "gatewaylab-debian:local"
TRIXIE_BASE_IMAGE = "gatewaylab-debian-trixie:local"
TEXT_TOOLS_IMAGE = "gatewaylab-text-tools:local"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
BACKENDS = Path(__file__).with_name("backends.py")
DOCKERFILE = f"""FROM {BASE_IMAGE}
COPY host-ca.crt /etc/ssl/certs/host-ca.crt
ENV PIP_CERT=/etc/ssl/certs/host-ca.crt SSL_CERT_FILE=/etc/ssl/certs/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/mcp && /opt/mcp/bin/pip install --no-cache-dir --quiet "mcp>=1.17,<2"
COPY backends.py /opt/text-tools/backends.py
ENTRYPOINT ["/opt/mcp/bin/python", "/opt/text-tools/backends.py", "text", "--stdio"]
"""


def _has_image(engine: Engine, name: str) -> bool:
    return engine.docker("image", "inspect", name, check=False).returncode == 0


def debian_tar(suite: str, packages: str, name: str) -> Path:
    """A minimal Debian `suite` with `packages` (comma-separated) as a root file system tar,
    made by mmdebstrap from Debian's archive once per machine and cached as `name`.tar."""
    tar = CACHE / f"{name}.tar"
    if tar.exists():
        return tar
    if os.geteuid() != 0 or not shutil.which("mmdebstrap"):
        raise SetupError(f"making the {name} image needs root and mmdebstrap (Debian: apt-get install mmdebstrap)")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = tar.with_suffix(".partial.tar")
    argv = ["mmdebstrap", "--quiet", "--variant=minbase", f"--include={packages}", suite, str(partial)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise SetupError(f"mmdebstrap ({name}) failed: {done.stderr.strip()[-500:]}")
    partial.rename(tar)
    return tar


def base_tar(suite: str = SUITE) -> Path:
    """A Debian base (`suite`) with Python 3 as a root file system tar, made once per machine."""
    return debian_tar(suite, "python3,python3-venv,ca-certificates", f"debian-{suite}-python3")


def text_tools_image(engine: Engine) -> str:
    """The lab's text-tools as a stdio MCP server image in `engine`; made or loaded once."""
    if _has_image(engine, TEXT_TOOLS_IMAGE):
        return TEXT_TOOLS_IMAGE
    key = hashlib.sha256(DOCKERFILE.encode() + BACKENDS.read_bytes() + HOST_CA.read_bytes()).hexdigest()[:16]
    saved = CACHE / f"text-tools-{key}.tar"
    if saved.exists():
        engine.docker("load", "--input", str(saved), timeout=600)
        return TEXT_TOOLS_IMAGE
    if not _has_image(engine, BASE_IMAGE):
        engine.docker("import", str(base_tar()), BASE_IMAGE, timeout=600)
    with tempfile.TemporaryDirectory(prefix="text-tools-image-") as context:
        folder = Path(context)
        (folder / "Dockerfile").write_text(DOCKERFILE)
        shutil.copy(HOST_CA, folder / "host-ca.crt")
        shutil.copy(BACKENDS, folder / "backends.py")
        engine.docker("build", "--network", "host", "--tag", TEXT_TOOLS_IMAGE, str(folder), timeout=900)
    partial = saved.with_suffix(".partial.tar")
    engine.docker("save", "--output", str(partial), TEXT_TOOLS_IMAGE, timeout=600)
    partial.rename(saved)
    return TEXT_TOOLS_IMAGE


# -- ContextForge --------------------------------------------------------------------------------
# What the official image (Containerfile.lite) sets and this one copies: user 10001 in group
# 10001, /app as working folder, the virtual environment first on PATH, port 4444, the Python and
# pip variables below. Its start script runs gunicorn with HOST:PORT (0.0.0.0:4444 unless set);
# the PyPI release has no such script, so this image runs `mcpgateway` (uvicorn) the same way.
# Like the official image it has no /data: a volume mounted there starts owned by root.
# The host's CA bundle is named here, not with `docker run --env`, which `docker commit` would keep.
CONTEXTFORGE_BUILD = """set -eu
export PIP_CERT=/build/host-ca.crt SSL_CERT_FILE=/build/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1
python3 -m venv /app/.venv
/app/.venv/bin/pip install --no-cache-dir --quiet --requirement /build/requirements.txt
useradd --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin app
chown -R 10001:10001 /app
"""
CONTEXTFORGE_CHANGES = [
    "USER 10001:10001",
    "WORKDIR /app",
    "ENV PATH=/app/.venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1",
    "EXPOSE 4444",
    'CMD ["sh", "-c", "exec mcpgateway --host \\"${HOST:-0.0.0.0}\\" --port \\"${PORT:-4444}\\""]',
]


def contextforge_requirements() -> str:
    """The exact versions the lab's ContextForge runs (scripts/contextforge/uv.lock), as pip requirements."""
    from .envs import CONTEXTFORGE_PROJECT, _uv

    done = subprocess.run(
        [_uv(), "export", "--project", str(CONTEXTFORGE_PROJECT), "--frozen", "--no-hashes", "--no-header"],
        env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise SetupError(f"uv export of {CONTEXTFORGE_PROJECT}/uv.lock failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def contextforge_version(requirements: str | None = None) -> str:
    for line in (requirements or contextforge_requirements()).splitlines():
        if line.startswith("mcp-contextforge-gateway"):
            return line.split("==", 1)[1].split(";")[0].strip()
    raise SetupError("scripts/contextforge/uv.lock pins no mcp-contextforge-gateway")


def _report(line: str) -> None:
    """How an image came to be there and how long it took, on stderr: the lab's stdout is its state."""
    print(line, file=sys.stderr, flush=True)


def contextforge_image(engine: Engine) -> str:
    """ContextForge, the release the lab pins, as an image in `engine`; made or loaded once."""
    requirements = contextforge_requirements()
    name = f"gatewaylab-contextforge:{contextforge_version(requirements)}"
    if _has_image(engine, name):
        return name
    started = time.monotonic()
    key = hashlib.sha256(
        (requirements + CONTEXTFORGE_BUILD + "\n".join(CONTEXTFORGE_CHANGES)).encode() + HOST_CA.read_bytes()
    ).hexdigest()[:16]
    saved = CACHE / f"contextforge-{key}.tar"
    if saved.exists():
        engine.docker("load", "--input", str(saved), timeout=600)
        _report(f"{name}: loaded from {saved} in {time.monotonic() - started:.0f} s")
        return name
    if not _has_image(engine, TRIXIE_BASE_IMAGE):
        engine.docker("import", str(base_tar("trixie")), TRIXIE_BASE_IMAGE, timeout=600)
    builder = f"contextforge-build-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="contextforge-image-") as context:
        folder = Path(context)
        (folder / "requirements.txt").write_text(requirements)
        (folder / "build.sh").write_text(CONTEXTFORGE_BUILD)
        shutil.copy(HOST_CA, folder / "host-ca.crt")
        try:
            engine.docker(
                "run", "--name", builder, "--network", "host",
                "--volume", f"{folder}:/build:ro",
                TRIXIE_BASE_IMAGE, "sh", "/build/build.sh",
                timeout=1200,
            )  # fmt: skip
            changes = [arg for change in CONTEXTFORGE_CHANGES for arg in ("--change", change)]
            engine.docker("commit", *changes, builder, name, timeout=600)
        finally:
            engine.docker("rm", "--force", "--volumes", builder, check=False)
    built = time.monotonic() - started
    partial = saved.with_suffix(".partial.tar")
    engine.docker("save", "--output", str(partial), name, timeout=600)
    partial.rename(saved)
    _report(f"{name}: built in {built:.0f} s, saved to {saved} in {time.monotonic() - started - built:.0f} s")
    return name


# -- Redis -------------------------------------------------------------------------------------
REDIS_IMAGE = "gatewaylab-redis:local"
# As the official image: `redis-server` in the foreground, reachable from other containers (the
# official entrypoint turns protected mode off when no configuration file is given), port 6379.
REDIS_CHANGES = ['CMD ["redis-server", "--protected-mode", "no"]', "EXPOSE 6379"]


def redis_image(engine: Engine) -> str:
    """Debian trixie's redis-server (redis-tools' `redis-cli` with it) as an image in `engine`."""
    return _debian_package_image(engine, REDIS_IMAGE, "redis-server", REDIS_CHANGES)


def _debian_package_image(engine: Engine, name: str, package: str, changes: list[str]) -> str:
    """Debian trixie with `package`, imported into `engine` as `name` with Dockerfile `changes`."""
    if _has_image(engine, name):
        return name
    started = time.monotonic()
    tar = debian_tar("trixie", package, f"debian-trixie-{package.removesuffix('-server')}")
    engine.docker("import", *[arg for change in changes for arg in ("--change", change)], str(tar), name, timeout=600)
    _report(f"{name}: made in {time.monotonic() - started:.0f} s")
    return name


# -- nginx -------------------------------------------------------------------------------------
NGINX_IMAGE = "gatewaylab-nginx:local"
# As the official image: nginx in the foreground, port 80, its configuration in /etc/nginx/nginx.conf
# (a page mounts its own there, which sends the logs to the container's output).
NGINX_CHANGES = ['CMD ["nginx", "-g", "daemon off;"]', "EXPOSE 80"]


def nginx_image(engine: Engine) -> str:
    """Debian trixie's nginx as an image in `engine`, made like the Redis one."""
    return _debian_package_image(engine, NGINX_IMAGE, "nginx", NGINX_CHANGES)
