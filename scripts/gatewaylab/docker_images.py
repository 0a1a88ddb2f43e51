"""Container images for MCP servers behind the Docker gateway, made here: no registry is pulled from.

    image = text_tools_image(engine)     # "gatewaylab-text-tools:local", in that engine

1. A Debian base: `mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates
   bookworm` from Debian's archive, as a tar cached in ~/.cache/pflow-gateway-guide/images/ and
   loaded with `docker import` (as root; once per machine, about a minute).
2. The lab's text-tools as a stdio MCP server: the base, a virtual environment with `mcp` 1.x from
   PyPI (the host's CA bundle is copied in and named by PIP_CERT and SSL_CERT_FILE, else pip cannot
   reach PyPI from inside the build here), and gatewaylab/backends.py run with `--stdio`.
   Built with `docker build --network host`; the image is saved next to the base, keyed by what
   went into it, and loaded with `docker load` by later runs.

An image is made once per engine: each run's own engine loads it once, and every gateway reuses it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .docker_engine import Engine
from .envs import SetupError

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pflow-gateway-guide" / "images"
SUITE = "bookworm"
BASE_IMAGE = "gatewaylab-debian:local"
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


def base_tar() -> Path:
    """The Debian base as a root file system tar, made once per machine."""
    tar = CACHE / f"debian-{SUITE}-python3.tar"
    if tar.exists():
        return tar
    if os.geteuid() != 0:
        raise SetupError("making the Debian base image needs root (mmdebstrap)")
    if not shutil.which("mmdebstrap"):
        raise SetupError("mmdebstrap is not installed (Debian: apt-get install mmdebstrap)")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = tar.with_suffix(".partial.tar")
    done = subprocess.run(
        [
            "mmdebstrap",
            "--quiet",
            "--variant=minbase",
            "--include=python3,python3-venv,ca-certificates",
            SUITE,
            str(partial),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise SetupError(f"mmdebstrap failed: {done.stderr.strip()[-500:]}")
    partial.rename(tar)
    return tar


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
