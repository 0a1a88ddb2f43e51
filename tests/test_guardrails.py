"""Guard-rails: lint, format, type and shell checks over the tree, with the pinned tools from uv.lock.

Each check prints what it found, so a failure here reads like running the tool by hand:
`.venv/bin/ruff check .`, `.venv/bin/ruff format --check .`, `.venv/bin/shellcheck ...`,
`.venv/bin/mypy -p gatewaylab` (the lab, its settings in pyproject.toml),
`.venv/bin/mypy --config-file companion/pyproject.toml companion/src`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# mypy's cache with the project's other build caches, so a fresh clone on a warm machine checks in
# about 2 s instead of 15 to 40 s (most of it reading the standard library's and httpx's stubs).
MYPY_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pflow-gateway-guide" / "mypy"


def shell_files() -> list[str]:
    """Every snippet a page runs as shell, and every shell script of the project's own."""
    files = sorted(REPO.glob("snippets/**/*.sh"))
    files += [path for path in sorted((REPO / "scripts").iterdir()) if path.is_file() and not path.suffix]
    files.append(REPO / ".ci" / "run")
    return [str(path.relative_to(REPO)) for path in files]


@pytest.mark.parametrize(
    "argv",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["shellcheck", *shell_files()],
        ["mypy", "--cache-dir", str(MYPY_CACHE), "-p", "gatewaylab"],
        # The companion is typed strictly; its settings are in its own pyproject.toml.
        ["mypy", "--config-file", "companion/pyproject.toml", "--cache-dir", str(MYPY_CACHE), "companion/src"],
    ],
    ids=["ruff-check", "ruff-format", "shellcheck", "mypy-lab", "mypy-companion"],
)
def test_the_tree_passes(argv):
    done = subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(argv[:3])} ...:\n{done.stdout}{done.stderr}"


def test_shellcheck_sees_every_script():
    """A script without a suffix is checked as shell: make sure each one really is shell."""
    for name in shell_files():
        first = (REPO / name).read_text().splitlines()[:1]
        assert name.endswith(".sh") or first == ["#!/usr/bin/env bash"], f"{name} starts with {first}"
