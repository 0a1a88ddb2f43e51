"""The site builds with `mkdocs build --strict`: a warning (broken link, missing include) fails."""

import os
import re
import subprocess

from gatewaylab.envs import REPO


def test_site_builds_strictly_without_warnings(tmp_path):
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},  # Material's end-of-life banner
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    warnings = re.findall(r"^WARNING.*$", done.stderr, flags=re.MULTILINE)
    assert not warnings, "\n".join(warnings)
    assert (tmp_path / "site" / "tutorial" / "index.html").exists()
    assert (tmp_path / "site" / "notebooks" / "tutorial" / "index.html").exists()
