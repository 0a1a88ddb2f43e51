"""pflow-gateway test: check one of pflow's servers the way pflow connects to it."""

from __future__ import annotations

import argparse

from ..check import check
from ..config import ConfigProblem, resolve
from ..exits import Exit
from ..options import call_arguments, call_options, server_options
from ..output import Progress, Report, emit_json, milliseconds, print_failure

NAME = "test"
HELP = "connect, initialize, list every page of tools, optionally call one"
DESCRIPTION = """\
Check one server of pflow's configuration the way pflow connects to it, and
on failure name the cause and the fix. Follows nextCursor through every page
of tools/list and warns when pflow's discovery (first page only) sees fewer."""


def arguments(parser: argparse.ArgumentParser) -> None:
    server_options(parser)
    call_options(parser, "also call this tool")


def run(args: argparse.Namespace) -> int:
    status, report = test_server(args.name, args, as_text=not args.json)
    if args.json:
        emit_json(report)
    return status


def test_server(name: str, args: argparse.Namespace, as_text: bool) -> tuple[int, Report]:
    """Check the server (`setup` runs this too); print the text report when `as_text`."""
    try:
        server = resolve(name, timeout=args.timeout)
        arguments = call_arguments(getattr(args, "args", None))
    except ConfigProblem as problem:
        report = problem.report(name)
        if as_text:
            print_failure(report)
        return Exit.of(problem.cause), report
    report = check(server, call=getattr(args, "call", None), arguments=arguments, progress=Progress(args.quiet))
    if as_text:
        print_test(report)
    return (Exit.OK if report["ok"] else Exit.of(report["cause"])), report


def print_test(report: Report) -> None:
    print(f"Testing '{report['server']}' at {report['url']}")
    info, timings = report["server_info"], report["timings_ms"]
    if report["protocol_version"]:
        print(
            f"✓ initialize: {info.get('name', '?')} {info.get('version', '')}, protocol "
            f"{report['protocol_version']} ({milliseconds(timings.get('initialize'))})"
        )
    if report["pages"]:
        page_word = "page" if report["pages"] == 1 else "pages"
        print(
            f"✓ tools/list: {report['tool_count']} tools on {report['pages']} {page_word} ({milliseconds(timings.get('list'))})"
        )
    if report["gateway"]:
        g = report["gateway"]
        what = f"gateway ({g['kind']})" if g["gateway"] else "not a gateway (a direct MCP server)"
        print(f"✓ detected: {what}, decided by {g['decided_by']}")
    call = report["call"]
    if call and call["ok"]:
        print(f"✓ tools/call {call['tool']}: {call['result']!r} ({milliseconds(timings.get('call'))})")
    for warning in report["warnings"]:
        print(f"! warning: {warning}")
    if report["ok"]:
        print("OK")
    else:
        print_failure(report)
