"""What a fence may need beyond the lab, and the one-line reason to skip it when that is missing.

A fence says `<!-- fence: needs=NAME -->`; `unmet(NAME)` returns None when NAME is available here,
else the reason printed in the suite's summary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable


def _docker_gateway() -> str | None:
    if os.environ.get("DOCKER_MCP_GATEWAY_URL") and os.environ.get("DOCKER_MCP_GATEWAY_TOKEN"):
        return None
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "mcp", "version"], capture_output=True, text=True, timeout=30)
        if probe.returncode == 0:
            return None
    return ("no Docker MCP Gateway here: set DOCKER_MCP_GATEWAY_URL and DOCKER_MCP_GATEWAY_TOKEN, "
            "or install the `docker mcp` plugin with a running Docker engine")


REQUIREMENTS: dict[str, Callable[[], str | None]] = {"docker-gateway": _docker_gateway}


def unmet(name: str) -> str | None:
    if name not in REQUIREMENTS:
        raise ValueError(f"unknown fence requirement {name!r}; known: {', '.join(sorted(REQUIREMENTS))}")
    return REQUIREMENTS[name]()
