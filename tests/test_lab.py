"""The lab's promises (docs/reference/lab.md): real readiness, clear failures, nothing left behind."""

import ctypes
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from gatewaylab.envs import SetupError, find_python_312
from gatewaylab.procs import ManagedProcess, port_is_free, processes
from gatewaylab.procs import pid_alive as _alive

_PR_SET_CHILD_SUBREAPER = 36


def _wait_gone(pids, seconds=20.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(map(_alive, pids)):
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


def test_a_process_that_dies_fails_readiness_at_once_with_its_log(tmp_path):
    process = ManagedProcess(
        "doomed",
        [sys.executable, "-c", "print('no config'); raise SystemExit(3)"],
        env=dict(os.environ),
        log=tmp_path / "doomed.log",
        cwd=tmp_path,
    )
    process.start()
    started = time.monotonic()
    with pytest.raises(SetupError, match=r"doomed exited \(code 3\) before answering(.|\n)*no config"):
        process.wait_ready(lambda: False, timeout=60, what="answering")
    assert time.monotonic() - started < 10


def test_no_python_312_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    monkeypatch.setenv("UV_PYTHON_PREFERENCE", "only-managed")  # hide the machine's interpreters
    monkeypatch.setenv("UV_PYTHON_INSTALL_DIR", str(tmp_path / "no-managed"))
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    with pytest.raises(SetupError, match="ContextForge needs Python 3.12 or 3.13 and none was found"):
        find_python_312()


def _lab(reader_shell, command: str) -> subprocess.CompletedProcess:
    return reader_shell.run(command, timeout=240)


def _pids_and_ports(reader_shell):
    state = json.loads(_lab(reader_shell, "lab status --json").stdout)
    pids = [info["pid"] for group in ("backends", "gateways") for info in state[group].values()]
    ports = [
        int(info["url"].split(":")[2].split("/")[0])
        for group in ("backends", "gateways")
        for info in state[group].values()
    ]
    return pids, ports


def test_lab_down_stops_every_process_and_frees_every_port(reader_shell):
    up = _lab(reader_shell, "lab up")
    assert up.returncode == 0, up.stdout
    pids, ports = _pids_and_ports(reader_shell)
    assert len(pids) == 3 and all(map(_alive, pids))
    groups = {os.getpgid(pid) for pid in pids}
    down = _lab(reader_shell, "lab down")
    assert down.stdout.strip() == "Gateway lab stopped."
    assert _wait_gone(pids) == []
    # ContextForge's workers share its process group: none of them may survive either.
    leftovers = subprocess.run(["pgrep", "-g", ",".join(map(str, groups))], capture_output=True, text=True)
    assert leftovers.stdout.strip() == ""
    assert all(map(port_is_free, ports))
    assert not (reader_shell.root / "lab" / "run").exists(), "lab down leaves the secrets' folder behind"


@pytest.fixture
def reaper():
    """Adopt orphans while the test runs, so the processes it kills are reaped, not left as zombies."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1)
    yield
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 0)
    for pid in _adopted_zombies():  # e.g. ContextForge workers whose master died first
        os.waitpid(pid, 0)


def _processes() -> dict[int, list[str]]:
    """pid -> the fields of /proc/<pid>/stat after the command name (state, ppid, pgrp, ...)."""
    return {proc.pid: fields for proc in processes() if (fields := proc.stat)}


def _adopted_zombies() -> list[int]:
    return [pid for pid, f in _processes().items() if f[0] == "Z" and int(f[1]) == os.getpid()]


def _group_members(groups: set[int]) -> list[int]:
    return [pid for pid, f in _processes().items() if int(f[2]) in groups]


def test_a_killed_supervisor_takes_its_servers_with_it(reader_shell, reaper):
    assert _lab(reader_shell, "lab up").returncode == 0
    pids, ports = _pids_and_ports(reader_shell)
    members = _group_members({os.getpgid(pid) for pid in pids})  # ContextForge's workers too
    supervisor = json.loads((reader_shell.root / "lab" / "state.json").read_text())["supervisor_pid"]
    os.kill(supervisor, signal.SIGKILL)
    try:
        assert _wait_gone(members) == []
        assert all(map(port_is_free, ports))
        assert _lab(reader_shell, "lab status").returncode == 3
    finally:
        for pid in [supervisor, *pids]:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def test_a_secret_that_starts_with_a_dash_still_mints_a_token(lab):
    """Random secrets begin with "-" one time in 64; `--secret VALUE` would then be read as an option."""
    gateway = dataclasses.replace(lab.gateways["contextforge"], jwt_secret="-" + "x" * 47)
    token = gateway.mint_token(minutes=5)
    assert token.count(".") == 2  # header.payload.signature
