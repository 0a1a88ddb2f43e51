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
from gatewaylab.fences import read_fences

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


def inline_shell(folder: Path) -> list[str]:
    """The commands written inline in the pages' shell fences, one file each in `folder`, for shellcheck."""
    files = []
    for page in sorted((REPO / "docs").rglob("*.md")):
        for fence in read_fences(page):
            if fence.kind == "shell" and not fence.includes:
                path = folder / f"{fence.where.replace('/', '_').replace(':', '_L')}.sh"
                path.write_text(fence.text)
                files.append(str(path))
    return files


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


def test_commands_written_in_the_pages_pass_shellcheck(tmp_path):
    """A short command may stand inline in a page (CONTRIBUTING.md): it is checked like a snippet."""
    files = inline_shell(tmp_path)
    assert files, "no inline shell fence found: is the fence reader broken?"
    done = subprocess.run(
        [str(BIN / "shellcheck"), "--shell=bash", "--rcfile", str(REPO / ".shellcheckrc"), *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_shellcheck_sees_every_script():
    """A script without a suffix is checked as shell: make sure each one really is shell."""
    for name in shell_files():
        first = (REPO / name).read_text().splitlines()[:1]
        assert name.endswith(".sh") or first == ["#!/usr/bin/env bash"], f"{name} starts with {first}"
