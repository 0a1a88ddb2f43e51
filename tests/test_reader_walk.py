"""The reader's walk: the tutorial page, its notebook, then the direct page, one after the other,
in one HOME and one work folder, as one reader would do them.

On their own (`pytest docs/`, `pytest notebooks/`) each page runs in a clean HOME of its own. Here
the three share a reader's shell, so a page whose shown output holds only in a clean HOME (for
example one that lists every server pflow knows) fails. Shell fences must print what the page's
`.out` shows, and notebook cells what the committed notebook shows.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from gatewaylab.envs import REPO
from gatewaylab.fences import matches, read_fences
from gatewaylab.pytest_plugin import ReaderShell, _front_matter, fence_steps, run_shell_fence, write_file_fence
from nbclient import NotebookClient

TUTORIAL = REPO / "docs" / "tutorial" / "index.md"
NOTEBOOK = REPO / "notebooks" / "tutorial.ipynb"
DIRECT = REPO / "docs" / "how-to" / "direct.md"


@pytest.fixture
def reader(tmp_path: Path):
    shell = ReaderShell(tmp_path)
    try:
        yield shell
    finally:
        shell.close()  # `lab down` if a page left the lab up, and anything else the shell started
        shutil.rmtree(tmp_path, ignore_errors=True)


def walk_page(shell: ReaderShell, page: Path) -> list[str]:
    """Run a page's fences in the reader's shell; return the commands run, for the report."""
    assert not _front_matter(page).get("fences"), (
        f"{page.name} asks the suite for a prepared environment: a reader would not have it"
    )
    ran = []
    for fence, output in fence_steps(read_fences(page)):
        if fence.kind == "skip":
            continue  # setup and `source .venv/bin/activate`: this shell has .venv/bin on PATH
        assert "needs" not in fence.directive, f"{fence.where}: the walk runs pages that need nothing else"
        if fence.kind == "file":
            write_file_fence(shell, fence)
        elif fence.kind == "shell":
            run_shell_fence(shell, fence, output).check()
            ran.append(fence.text)
        else:
            raise AssertionError(f"{fence.where}: a {fence.kind} fence; the walk runs only shell and file fences")
    return ran


def _shown(cell) -> str:
    """The text a code cell shows: its printed lines and its value."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] == "execute_result":
            parts.append(output["data"].get("text/plain", "") + "\n")
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}\n")
    return "".join(parts)


def walk_notebook(shell: ReaderShell, path: Path) -> int:
    """Run the notebook's cells in order, in a kernel with the reader's HOME and variables, from the
    notebook's folder as Jupyter would; every cell must show what the committed notebook shows."""
    committed = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    client = NotebookClient(
        fresh, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute(env=shell.env())  # raises CellExecutionError on the first failing cell
    cells = [(old, new) for old, new in zip(committed.cells, fresh.cells, strict=True) if old.cell_type == "code"]
    for number, (old, new) in enumerate(cells, start=1):
        expected, actual = _shown(old), _shown(new)
        assert matches(expected, actual), (
            f"{path.name}, code cell {number}: output differs from the committed notebook\n"
            f"--- committed ---\n{expected}--- now ---\n{actual}"
        )
    return len(cells)


def test_tutorial_then_notebook_then_direct_in_one_home(reader):
    walk_page(reader, TUTORIAL)
    cells = walk_notebook(reader, NOTEBOOK)
    walk_page(reader, DIRECT)

    assert cells >= 10
    # One reader, one HOME: pflow's configuration holds what both pages added and kept.
    servers = json.loads((reader.home / ".pflow" / "mcp-servers.json").read_text())["mcpServers"]
    assert set(servers) == {"gateway", "plain", "text", "math", "math-tools"}
    # One work folder: the files of both pages are in it.
    work = reader.cwd()
    assert work == reader.home / "pflow-lab"
    assert {"gateway.json", "plain.json", "quote.pflow.md", "servers.json"} <= {p.name for p in work.iterdir()}
    # Both pages end with `lab down`: nothing of the lab is left.
    assert not (reader.root / "lab" / "state.json").exists()
