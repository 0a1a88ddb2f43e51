"""pflow-gateway health: status, tools, session, services and latency, once or every few seconds."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from typing import Any

from ..check import check
from ..config import ConfigProblem, Server, resolve
from ..exits import Cause, Exit
from ..options import call_arguments, call_options, server_options
from ..output import Progress, failed, milliseconds
from .services import services_of

NAME = "health"
HELP = "status, tools, session id, services and latency; --every to watch"
DESCRIPTION = """\
Report a server's health: status (healthy, degraded, unhealthy), tools
available, session id (Mcp-Session-Id), backend services, and the latency of
initialize, tools/list and one call (an MCP ping, or --call TOOL). Exits
non-zero unless healthy; with --every, the first failing round's status."""

Health = dict[str, Any]


def arguments(parser: argparse.ArgumentParser) -> None:
    server_options(parser)
    call_options(parser, "time a call of this tool instead of a ping")
    parser.add_argument("--every", type=float, metavar="SECONDS", help="check again every SECONDS")
    parser.add_argument("--count", type=int, default=3, metavar="N", help="with --every: how many checks (default 3)")


def run(args: argparse.Namespace) -> int:
    if args.every is not None and (args.every <= 0 or args.count < 1):
        print("pflow-gateway health: --every needs SECONDS > 0 and --count N >= 1", file=sys.stderr)
        return Exit.USAGE
    try:
        server = resolve(args.name, timeout=args.timeout)
        arguments = call_arguments(args.args)
    except ConfigProblem as problem:
        return failed(problem.report(args.name), args.json)
    rounds = args.count if args.every else 1
    first_failure = Exit.OK
    for i in range(rounds):
        h = health_once(server, args.call, arguments, Progress(args.quiet))
        status = Exit.OK if h["status"] == "healthy" else Exit.of(h["cause"])
        first_failure = first_failure or status
        if args.json:
            print(json.dumps(h, default=str) if args.every else json.dumps(h, indent=2, default=str), flush=True)
        elif args.every:
            print_watch_line(h)
        else:
            print_health(h)
        sys.stdout.flush()
        if i + 1 < rounds:
            time.sleep(args.every)
    return first_failure


def health_once(server: Server, call: str | None, arguments: dict[str, Any], progress: Progress) -> Health:
    started = time.perf_counter()
    report = check(server, call=call, arguments=arguments, ping=not call, progress=progress)
    answered = report["ok"] or report["cause"] == Cause.TOOL_ERROR
    services = services_of(server, report)["services"] if answered else []
    unreachable = [s["name"] for s in services if s.get("reachable") is False]
    status = "healthy" if report["ok"] and not unreachable else "degraded" if answered else "unhealthy"
    timings = report["timings_ms"]
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": server.name,
        "url": server.url,
        "status": status,
        "tools_available": report["tool_count"],
        "session_id": report["session_id"],
        "gateway": report["gateway"],
        "services": [{"name": s["name"], "reachable": s.get("reachable"), "tools": len(s["tools"])} for s in services],
        "unreachable_services": unreachable,
        "latency_ms": {step: timings.get(step) for step in ("initialize", "list", "call")},
        "call": report["call"]["tool"] if report["call"] else call,
        "cause": report["cause"] or (Cause.DEGRADED if status == "degraded" else None),
        "message": report["message"] or (f"unreachable: {', '.join(unreachable)}" if unreachable else None),
        "fix": report["fix"],
        "warnings": report["warnings"],
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _latencies(h: Health) -> str:
    lat = h["latency_ms"]
    return (
        f"initialize {milliseconds(lat['initialize'])}, list {milliseconds(lat['list'])}, "
        f"{h['call'] or 'call'} {milliseconds(lat['call'])}"
    )


def print_watch_line(h: Health) -> None:
    said = f" ({h['message']})" if h["message"] else ""
    print(f"{h['time']} {h['server']} {h['status']}: {h['tools_available']} tools, {_latencies(h)}{said}")


def print_health(h: Health) -> None:
    print(f"{h['server']}: {h['status']}")
    print(f"  url:             {h['url']}")
    if h["gateway"]:
        g = h["gateway"]
        print(f"  gateway:         {g['kind'] if g['gateway'] else 'no (direct server)'}")
    print(f"  tools available: {h['tools_available']}")
    print(f"  session id:      {h['session_id'] or 'none (the server keeps no session)'}")
    for service in h["services"]:
        state = {True: "reachable", False: "UNREACHABLE", None: "state unknown"}[service["reachable"]]
        print(f"  service:         {service['name']} ({service['tools']} tools, {state})")
    print(f"  latency:         {_latencies(h)}")
    for warning in h["warnings"]:
        print(f"! warning: {warning}")
    if h["cause"]:
        print(f"  cause:           {h['cause']}: {h['message']}")
    if h["fix"]:
        print(f"  fix:             {h['fix']}")
