"""Fixtures for the site checks: the strictly built site, served on loopback like `mkdocs serve`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gatewaylab.envs import REPO
from gatewaylab.lab import Lab


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`mkdocs build --strict` of the pages and snippets as they are after the rest of the run."""
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "mkdocs"), "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},  # Material's end-of-life banner
    )
    return site, done


@pytest.fixture(scope="session")
def site_url(built_site, tmp_path_factory) -> str:
    site, done = built_site
    assert done.returncode == 0, done.stderr
    with Lab(tmp_path_factory.mktemp("site-server")) as lab:
        port = lab.port("site")
        lab.start_server(
            "site",
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(site), str(port)],
            f"http://127.0.0.1:{port}/index.html",
            port=port,
        )
        yield f"http://127.0.0.1:{port}"
