"""`lab`: start, inspect and stop the gateway lab from a terminal.

    lab up          start text-tools, math-tools and ContextForge (both backends registered)
    lab up NAME     start what the page that names scenario NAME needs instead (`lab up --list`)
    lab up --containers   the same, with ContextForge as a container on a Docker engine
    eval "$(lab env)"   export the ports and the bearer token into this shell
    lab status      what runs, where
    lab down        stop everything

`up` hands the lab to a small supervisor process that owns every child: `down` asks it to stop
them, and if it dies the kernel stops them too. Its state (ports, token) lives in a private
temporary folder, never in the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from .envs import SetupError, ensure_contextforge_env
from .lab import Lab
from .procs import pid_alive
from .scenarios import SCENARIOS


def default_state_dir() -> Path:
    return Path(os.environ.get("GATEWAYLAB_DIR") or Path(tempfile.gettempdir()) / f"pflow-gateway-lab-{os.getuid()}")


def _state_file(state_dir: Path) -> Path:
    return state_dir / "state.json"


def read_state(state_dir: Path) -> dict | None:
    """The running lab's state, or None when no supervisor is alive."""
    try:
        state = json.loads(_state_file(state_dir).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return state if pid_alive(state["supervisor_pid"]) else None


def _export_lines(env: dict[str, str]) -> str:
    return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in sorted(env.items()))


def _summary(state: dict) -> str:
    scenario = state.get("scenario", "standard")
    lines = ["Gateway lab is running:" if scenario == "standard" else f"Gateway lab is running ({scenario}):"]
    for group in ("backends", "servers", "gateways"):
        members = state["lab"].get(group, {}).items()
        # Gateways may start side by side and finish in any order: list them by name.
        for name, info in sorted(members) if group == "gateways" else members:
            container = " (a container)" if group == "gateways" and state.get("containers") else ""
            lines.append(f"  {name:<13} {info['url']}{container}")
    names = textwrap.fill(" ".join(sorted(state["env"])), width=96, initial_indent="  ", subsequent_indent="  ")
    lines += [
        "",
        "Next: export the ports and the bearer token (CONTEXTFORGE_TOKEN) into your shell:"
        if scenario == "standard"
        else f"Next: export its variables into your shell:\n{names}",
        '  eval "$(lab env)"',
        "Stop it with: lab down",
    ]
    return "\n".join(lines)


def cmd_up(args: argparse.Namespace) -> int:
    if args.list:
        for name, scenario in SCENARIOS.items():
            print(f"{name:<30} {(scenario.__doc__ or '').strip().splitlines()[0]}")
        return 0
    state_dir = args.state_dir
    state = read_state(state_dir)
    if state:
        if state.get("scenario", "standard") != args.scenario:
            print(
                f"lab up: the lab already runs scenario {state.get('scenario', 'standard')}; "
                "stop it first with `lab down`.",
                file=sys.stderr,
            )
            return 1
        print(_summary(state))
        return 0
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Each lab starts from nothing: a database left by an earlier run would refuse re-registration.
    shutil.rmtree(state_dir / "run", ignore_errors=True)
    print(
        "Starting the gateway lab (backends, then ContextForge as a container; about a minute)..."
        if args.containers
        else "Starting the gateway lab (backends, then ContextForge; about 15 s)..."
        if args.scenario == "standard"
        else f"Starting the gateway lab, scenario {args.scenario} (up to a minute)...",
        file=sys.stderr,
        flush=True,
    )
    error = _run_supervisor(state_dir, args.scenario, args.containers)
    if error:
        print(error, file=sys.stderr)
        return 1
    state = read_state(state_dir)
    if state is None:
        print(f"lab up: the lab reported ready, but left no state in {state_dir}.", file=sys.stderr)
        return 1
    print(_summary(state))
    return 0


def _run_supervisor(state_dir: Path, scenario: str, containers: bool) -> str | None:
    """Start the lab's supervisor and wait for its report: None once the lab is ready, else the error."""
    supervisor = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gatewaylab.cli",
            "--state-dir",
            str(state_dir),
            "_supervise",
            scenario,
            *(["--containers"] if containers else []),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    # The supervisor writes one JSON line once the lab is ready or has failed, then detaches.
    assert supervisor.stdout is not None  # stdout=PIPE
    with supervisor.stdout:
        line = supervisor.stdout.readline()
    try:
        report = json.loads(line)
    except json.JSONDecodeError:
        supervisor.wait()
        return f"lab up: the supervisor exited (code {supervisor.returncode}) without a report."
    if not report["ok"]:
        supervisor.wait()
        return f"lab up failed: {report['error']}"
    return None


def cmd_supervise(args: argparse.Namespace) -> int:
    """Run the lab until SIGTERM/SIGINT/SIGHUP; report readiness on stdout."""
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    # Tests set GATEWAYLAB_FREE_PORTS so that nothing they start takes a fixed port.
    lab = Lab(
        args.state_dir / "run", reader_ports=not os.environ.get("GATEWAYLAB_FREE_PORTS"), containers=args.containers
    )
    scenario = contextlib.ExitStack()
    try:
        try:
            env = scenario.enter_context(SCENARIOS[args.scenario](lab))
        except (SetupError, OSError) as error:
            print(json.dumps({"ok": False, "error": str(error)}), flush=True)
            return 1
        state = {
            "supervisor_pid": os.getpid(),
            "scenario": args.scenario,
            "containers": args.containers,
            "env": env,
            "lab": lab.describe(),
        }
        path = _state_file(args.state_dir)
        path.touch(mode=0o600)
        path.write_text(json.dumps(state, indent=2))
        print(json.dumps({"ok": True}), flush=True)
        sys.stdout.close()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        while not stop["now"]:
            signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        scenario.close()
        lab.close()
        _state_file(args.state_dir).unlink(missing_ok=True)
        shutil.rmtree(lab.state_dir, ignore_errors=True)  # database, logs and secrets go too
    return 0


def cmd_env(args: argparse.Namespace) -> int:
    state = read_state(args.state_dir)
    if not state:
        print("lab env: no lab is running; start one with `lab up`.", file=sys.stderr)
        return 1
    print(_export_lines(state["env"]))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    state = read_state(args.state_dir)
    if not state:
        print("No lab is running.")
        return 3
    if args.json:
        print(json.dumps(state["lab"], indent=2))
    else:
        print(_summary(state))
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    state = read_state(args.state_dir)
    if not state:
        print("No lab is running.")
        return 0
    pid = state["supervisor_pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            print("Gateway lab stopped.")
            return 0
        time.sleep(0.1)
    print(f"lab down: supervisor {pid} did not stop within 30 s.", file=sys.stderr)
    return 1


def cmd_setup(args: argparse.Namespace) -> int:
    try:
        path = ensure_contextforge_env(quiet=False)
    except SetupError as error:
        print(f"lab setup failed: {error}", file=sys.stderr)
        return 1
    print(f"ContextForge environment ready: {path.parent.parent}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lab", description="Start and stop the local gateway lab.")
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=default_state_dir(),
        help="where the running lab keeps its state (default: $GATEWAYLAB_DIR, "
        "else pflow-gateway-lab-<uid> in the temporary folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{up,env,status,down,setup}")
    up = sub.add_parser("up", help="start the lab, or show the running one")
    up.add_argument(
        "scenario",
        nargs="?",
        default="standard",
        choices=sorted(SCENARIOS),
        metavar="SCENARIO",
        help="what to start (default: standard, the tutorial's lab); see --list",
    )
    up.add_argument("--list", action="store_true", help="list the scenarios and exit")
    up.add_argument(
        "--containers",
        action="store_true",
        help="run ContextForge as a container on a Docker engine (an image built here), not from Python 3.12",
    )
    sub.add_parser("env", help="print `export` lines for the ports and the token")
    status = sub.add_parser("status", help="show what runs (exit 3 when nothing does)")
    status.add_argument("--json", action="store_true")
    sub.add_parser("down", help="stop everything the lab started")
    sub.add_parser("setup", help="create ContextForge's Python 3.12 environment")
    supervise = sub.add_parser("_supervise")
    supervise.add_argument("scenario")
    supervise.add_argument("--containers", action="store_true")
    args = parser.parse_args(argv)
    handlers = {
        "up": cmd_up,
        "env": cmd_env,
        "status": cmd_status,
        "down": cmd_down,
        "setup": cmd_setup,
        "_supervise": cmd_supervise,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
