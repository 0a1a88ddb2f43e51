"""Start a server on a loopback port, wait until it really answers, and always stop it.

Every child runs in its own process group (so its workers stop with it) and is told by the
kernel to stop if the process that started it dies, so even a killed test run leaves nothing.
The kernel ties that signal to the *thread* that started the child: start servers from a thread
that lives as long as they should (not from a short-lived pool worker).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .envs import SetupError

_PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """A port that nothing listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def pick_port(preferred: int | None) -> int:
    """The preferred port when it is free (readers' defaults), else any free one."""
    if preferred and port_is_free(preferred):
        return preferred
    return free_port()


class ManagedProcess:
    """One child process with a log file, a readiness check and a guaranteed stop."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log: Path, cwd: Path):
        self.name, self.argv, self.env, self.log, self.cwd = name, argv, env, log, cwd
        self.proc: subprocess.Popen | None = None

    def start(self, *, stop_with_parent: bool = True) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_stop_with_parent if stop_with_parent else None,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None, f"{self.name} was never started"
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.strip().splitlines()[-lines:])

    def wait_ready(self, is_ready: Callable[[], bool], *, timeout: float, what: str) -> float:
        """Poll `is_ready` until it holds; fail fast if the process dies. Returns seconds taken."""
        start = time.monotonic()
        interval = 0.02
        while True:
            if self.proc is None or self.proc.poll() is not None:
                code = None if self.proc is None else self.proc.returncode
                raise SetupError(
                    f"{self.name} exited (code {code}) before {what}. Last lines of {self.log}:\n" + self.log_tail()
                )
            try:
                if is_ready():
                    return time.monotonic() - start
            except OSError:
                pass
            if time.monotonic() - start > timeout:
                raise SetupError(
                    f"{self.name} did not become ready ({what}) within {timeout:.0f} s. "
                    f"Last lines of {self.log}:\n" + self.log_tail()
                )
            # Waiting on the child doubles as the poll interval and notices its exit at once.
            try:
                self.proc.wait(timeout=interval)
            except subprocess.TimeoutExpired:
                pass
            interval = min(interval * 1.5, 0.25)

    def stop(self, grace: float = 10.0) -> None:
        """Ask the leader to stop (it stops and reaps its own workers), then kill what is left.

        SIGTERM goes to the leader alone: a signal to the whole group would let the workers die
        unreaped, as zombies, if the leader exits first.
        """
        if self.proc is None:
            return
        pgid = self.proc.pid  # the child leads its own session and group
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + grace
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _group_alive(pgid) or self.proc.poll() is None:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


# -- the process table: the one place that reads /proc ------------------------------------------
@dataclass(frozen=True)
class Proc:
    """One entry of /proc. Each read is fresh; a process that is gone reads as empty."""

    pid: int

    def _read(self, what: str) -> bytes:
        try:
            return Path(f"/proc/{self.pid}/{what}").read_bytes()
        except OSError:
            return b""

    @property
    def argv(self) -> list[str]:
        return self._read("cmdline").decode(errors="replace").split("\0")[:-1]

    @property
    def cmdline(self) -> str:
        """The command line as one string, for messages."""
        return " ".join(self.argv)

    def has_env(self, marker: str) -> bool:
        """True when the environment holds `marker` ("KEY=value") exactly."""
        return marker.encode() in self._read("environ").split(b"\0")

    @property
    def environ(self) -> dict[str, str]:
        items = self._read("environ").decode(errors="replace").split("\0")
        return dict(item.split("=", 1) for item in items if "=" in item)

    @property
    def stat(self) -> list[str]:
        """The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [21] rss pages."""
        return self._read("stat").decode(errors="replace").rsplit(")", 1)[-1].split()

    @property
    def alive(self) -> bool:
        """True while the process runs; a zombie (dead, not yet reaped) counts as gone."""
        fields = self.stat
        return bool(fields) and fields[0] != "Z"


def processes() -> Iterator[Proc]:
    """Every process but this one."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            yield Proc(int(entry))


def pid_alive(pid: int) -> bool:
    return Proc(pid).alive


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
