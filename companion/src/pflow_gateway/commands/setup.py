"""pflow-gateway setup: add a gateway to pflow with `pflow mcp add`, then test it."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from ..config import VAR_NAME
from ..exits import Cause, Exit
from ..kinds import KINDS, Kind
from ..options import server_options
from ..output import emit_json
from .test import test_server

NAME = "setup"
HELP = "add a gateway to pflow (through `pflow mcp add`), then test it"
DESCRIPTION = """\
Add a correct pflow entry for a gateway with pflow's own `pflow mcp add`:
{"type": "http", "url": URL, "auth": {"type": "bearer", "token": "${VAR}"}}.
The token stays in the variable; the file holds only its name. Then test it.
A URL without a path gets the kind's default path (/mcp)."""


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=sorted(KINDS), metavar="KIND", help="contextforge, docker or generic")
    server_options(parser)
    parser.add_argument(
        "--url", required=True, help="the gateway's MCP URL; ${VAR} and ${VAR:-default} are kept as written"
    )
    parser.add_argument(
        "--token-env",
        metavar="VAR",
        help="the environment variable holding the bearer token (default: the kind's, "
        "CONTEXTFORGE_TOKEN or MCP_GATEWAY_AUTH_TOKEN; generic: none; '' for no auth)",
    )
    parser.add_argument("--no-test", action="store_true", help="only add the entry, do not connect")


def run(args: argparse.Namespace) -> int:
    kind = KINDS[args.kind]
    token_env = args.token_env if args.token_env is not None else kind.token_env
    if token_env and not VAR_NAME.match(token_env):
        print(
            f"✗ --token-env takes the NAME of an environment variable, not a token: {token_env[:6]}…", file=sys.stderr
        )
        return Exit.USAGE
    entry = pflow_entry(kind, args.url, token_env, args.timeout)
    pflow = find_pflow()
    if not pflow:
        print("✗ pflow is not installed here (no `pflow` on PATH)")
        return Exit.PFLOW
    if not args.json:
        print(f"Adding '{args.name}' to pflow ({kind.title}): {json.dumps({'mcpServers': {args.name: entry}})}")
    refused = pflow_add(pflow, args.name, entry, args.json)
    if refused is not None:
        return refused
    if args.no_test:
        if args.json:
            emit_json({"server": args.name, "ok": True, "entry": entry, "test": None})
        return Exit.OK
    status, report = test_server(args.name, args, as_text=not args.json)
    if args.json:
        emit_json({"server": args.name, "ok": report.get("ok", False), "entry": entry, "test": report})
    return status


def pflow_entry(kind: Kind, url: str, token_env: str | None, timeout: float | None) -> dict[str, Any]:
    """The entry as pflow reads it; the token is `${VAR}`, never its value."""
    if not httpx.URL(re.sub(r"\$\{[^}]*\}", "0", url)).path.strip("/"):
        url = url.rstrip("/") + kind.paths[0]
    entry: dict[str, Any] = {"type": "http", "url": url}
    if token_env:
        entry["auth"] = {"type": "bearer", "token": "${" + token_env + "}"}
    if timeout is not None:
        entry["timeout"] = timeout
    return entry


def find_pflow() -> str | None:
    """The pflow installed next to pflow-gateway, else the one on PATH."""
    beside_us = str(Path(sys.executable).parent)
    return shutil.which("pflow", path=beside_us + os.pathsep + os.environ.get("PATH", ""))


def pflow_add(pflow: str, name: str, entry: dict[str, Any], as_json: bool) -> int | None:
    """Run `pflow mcp add` with the entry; None when pflow took it, else the exit status."""
    config = json.dumps({"mcpServers": {name: entry}})
    done = subprocess.run([pflow, "mcp", "add", config], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        text = (done.stdout + done.stderr).strip()
        if as_json:
            emit_json({"server": name, "ok": False, "cause": Cause.PFLOW_ADD, "message": text, "entry": entry})
        else:
            print(f"✗ pflow mcp add failed (exit {done.returncode}):\n{text}")
        return Exit.PFLOW
    if not as_json:
        print(done.stdout.strip())
    return None
