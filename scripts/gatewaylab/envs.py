"""Where things live, and the separate Python 3.12 environment that ContextForge needs.

pflow pins `mcp` 1.x and ContextForge 1.1.0 needs `mcp` 2.x on Python 3.12 or 3.13, so the two
cannot share an environment. The project environment (`.venv`, from the top-level uv.lock) holds
pflow, the docs tools and this package; ContextForge gets `.venvs/contextforge`, built from
`scripts/contextforge/uv.lock`.
"""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTEXTFORGE_PROJECT = REPO / "scripts" / "contextforge"
CONTEXTFORGE_ENV = REPO / ".venvs" / "contextforge"
# `scripts/setup` installs the project's pinned uv here; nothing relies on a uv on PATH.
UV = REPO / ".venvs" / "uv" / "bin" / "uv"


class SetupError(RuntimeError):
    """A piece of the lab could not be set up; the message says which and why."""


def contextforge_bin(name: str) -> Path:
    return CONTEXTFORGE_ENV / "bin" / name


def _uv() -> str:
    if not UV.exists():
        raise SetupError(f"{UV.relative_to(REPO)} is missing: run `bash scripts/setup` first (it installs uv).")
    return str(UV)


def find_python_312() -> str:
    """Return a Python 3.12/3.13 interpreter for ContextForge, or say plainly that there is none."""
    tried = []
    for spec in ("3.12", "3.13"):
        found = subprocess.run([_uv(), "python", "find", spec], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
        tried.append(f"`uv python find {spec}`")
    # pyenv keeps versions that uv does not see unless they are selected; look at them directly.
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    for pattern in ("3.12*/bin/python3.12", "3.13*/bin/python3.13"):
        matches = sorted(glob.glob(os.path.join(pyenv_root, "versions", pattern)))
        if matches:
            return matches[-1]
    tried.append(f"pyenv versions under {pyenv_root}")
    # On a reader's machine uv can download a managed Python; here that fails fast with no network.
    try:
        installed = subprocess.run([_uv(), "python", "install", "3.12"], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        installed = None
    if installed is not None and installed.returncode == 0:
        found = subprocess.run([_uv(), "python", "find", "3.12"], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.strip()
    tried.append("`uv python install 3.12`")
    raise SetupError(
        "ContextForge needs Python 3.12 or 3.13 and none was found (tried "
        + ", ".join(tried)
        + "). Install one (for example `uv python install 3.12`) and run `bash scripts/setup` again."
    )


def ensure_contextforge_env(quiet: bool = True) -> Path:
    """Create or update `.venvs/contextforge` from its lock file; return its `mcpgateway` path."""
    stamp = CONTEXTFORGE_ENV / ".locked-from"
    lock = (CONTEXTFORGE_PROJECT / "uv.lock").read_text()
    if stamp.exists() and stamp.read_text() == lock and contextforge_bin("mcpgateway").exists():
        return contextforge_bin("mcpgateway")
    python = find_python_312()
    env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(CONTEXTFORGE_ENV))
    env.pop("VIRTUAL_ENV", None)
    cmd = [_uv(), "sync", "--locked", "--project", str(CONTEXTFORGE_PROJECT), "--python", python]
    if quiet:
        cmd.append("--quiet")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SetupError(f"creating the ContextForge environment failed:\n{done.stderr.strip()}")
    stamp.write_text(lock)
    return contextforge_bin("mcpgateway")
