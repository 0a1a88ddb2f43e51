"""The README's two commands on a machine the suite did not prepare.

From a fresh clone of the committed tree, with an empty `HOME` and no `uv` anywhere on `PATH`:
`scripts/setup` must install everything, `scripts/serve` must serve the site and a live lab until
it is stopped with Ctrl-C (and then leave nothing running), and `scripts/test` must run a page.
Only what finds Python 3.12 is kept from this machine (`PYENV_ROOT`, pyenv's shims on `PATH`),
with its package-download caches and pip's certificate settings: a cache saves downloading, it
cannot stand in for an install step that is missing.

It tests what is committed (a clone of HEAD), so run it after committing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from gatewaylab.envs import REPO
from gatewaylab.procs import free_port, pid_alive
from gatewaylab.pytest_plugin import RUN_MARKER, _processes_with_env


def _path_without_uv() -> str:
    """This machine's PATH less every folder that holds a `uv` and the user's own bin folders."""
    keep = [
        d
        for d in os.environ["PATH"].split(os.pathsep)
        if d
        and not (Path(d) / "uv").exists()
        and not d.startswith(str(Path.home() / ".local"))
        and not d.startswith(str(REPO))
    ]
    return os.pathsep.join(keep)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh clone and the environment of a reader's new machine: empty HOME, no uv."""
    root = tmp_path_factory.mktemp("fresh-start")
    clone, home = root / "guide", root / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    env = {
        "HOME": str(home),
        "PATH": _path_without_uv(),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "GATEWAYLAB_DIR": str(root / "lab"),
        "GATEWAYLAB_FREE_PORTS": "1",  # never a reader's fixed port in a test
        RUN_MARKER: os.environ.get(RUN_MARKER, ""),
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv")),
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
    }
    env.update(
        {
            k: v
            for k, v in os.environ.items()
            if k in ("PYENV_ROOT", "SSL_CERT_FILE") or k.startswith("PIP_") and k != "PIP_CACHE_DIR"
        }
    )
    check = subprocess.run(["bash", "-c", "command -v uv"], env=env, capture_output=True, text=True)
    assert check.returncode != 0, f"uv is still on the fresh PATH: {check.stdout}"
    yield clone, env


def test_setup_installs_everything_with_no_uv_on_path(fresh):
    clone, env = fresh
    done = subprocess.run(["bash", "scripts/setup"], cwd=clone, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "uv 0." in subprocess.run([str(clone / ".venvs/uv/bin/uv"), "--version"], capture_output=True, text=True).stdout
    )
    for tool in (".venv/bin/pflow", ".venv/bin/lab", ".venvs/contextforge/bin/mcpgateway"):
        assert (clone / tool).exists(), f"{tool} missing after setup:\n{done.stderr}"
    # Again from a shell where the project's .venv (no pip in it) is active, as the serve script
    # suggests, with uv's own environment to make anew.
    again = subprocess.run(
        ["bash", "-c", "rm -rf .venvs/uv && source .venv/bin/activate && bash scripts/setup"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stdout + again.stderr


def _wait_for(condition, what: str, serve: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert serve.poll() is None, f"scripts/serve exited ({serve.returncode}) before {what}"
        assert time.monotonic() < deadline, f"scripts/serve: no {what} within {timeout:.0f} s"
        time.sleep(0.5)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_serve_serves_the_site_and_the_lab_then_stops_everything(fresh):
    clone, env = fresh
    port = free_port()
    log = clone.parent / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            ["bash", "scripts/serve"],
            cwd=clone,
            env={**env, "PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        lab = [str(clone / ".venv/bin/lab")]
        _wait_for(
            lambda: subprocess.run([*lab, "status"], env=env, capture_output=True).returncode == 0, "running lab", serve
        )
        _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/tutorial/"), "site", serve)
        lab_env = subprocess.run([*lab, "env"], env=env, capture_output=True, text=True).stdout
        gateway_port = next(
            line.split("=", 1)[1] for line in lab_env.splitlines() if line.startswith("export CONTEXTFORGE_PORT=")
        )
        assert _answers(f"http://127.0.0.1:{gateway_port}/health")
    finally:
        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C in the reader's terminal
        serve.wait(timeout=60)
    status = subprocess.run([*lab, "status"], env=env, capture_output=True, text=True)
    assert status.returncode == 3, f"the lab still runs after Ctrl-C:\n{status.stdout}\n{log.read_text()}"
    left = [pid for pid in _processes_with_env(f"GATEWAYLAB_DIR={env['GATEWAYLAB_DIR']}") if pid_alive(pid)]
    assert not left, f"processes left by scripts/serve: {left}"


def test_one_page_runs_from_the_fresh_clone(fresh):
    clone, env = fresh
    done = subprocess.run(
        ["bash", "scripts/test", "docs/tutorial/index.md"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
