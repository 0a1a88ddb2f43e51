"""What the ContextForge setup and configuration pages need before their first fence.

Each scenario is a context manager `(root: Path) -> Iterator[dict]` named in a page's front matter
(`fences: {scenario: "gatewaylab.scenarios:NAME"}`); the dict is exported into the page's shell.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from .envs import REPO, find_python_312
from .procs import free_port


@contextlib.contextmanager
def contextforge_setup(root: Path) -> Iterator[dict[str, str]]:
    """A reader about to install ContextForge: `python3.12` on PATH and a free port to use."""
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    # On a reader's machine python3.12 is on PATH; here it hides behind pyenv, so show it plainly.
    (bin_dir / "python3.12").symlink_to(find_python_312())
    yield {
        "PATH": f"{bin_dir}:{REPO / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "CONTEXTFORGE_PORT": str(free_port()),
    }
