"""The check that `test`, `services` and `health` share: connect, initialize, list every page of
tools, look for gateway evidence, maybe call one tool. It reports; it never raises for the server's faults.
"""

from __future__ import annotations

from typing import Any

from .client import Failure, Session
from .config import Server
from .detect import detect
from .exits import Cause
from .fixes import fix_for, refine_auth
from .output import Progress

Report = dict[str, Any]


def check(
    server: Server,
    *,
    progress: Progress,
    call: str | None = None,
    arguments: dict[str, Any] | None = None,
    ping: bool = False,
) -> Report:
    """The report of one check; `ok` is False and `cause`, `message` and `fix` say why when it failed."""
    report = _empty_report(server)
    progress(f"connecting to {server.url}")
    session = Session(server.url, server.headers, timeout=server.timeout)
    try:
        session.initialize()
        report.update(
            server_info=session.server_info, protocol_version=session.protocol_version, session_id=session.session_id
        )
        _list_tools(session, server, report, progress)
        progress("looking for gateway evidence")
        report["gateway"] = detect(
            session.server_info, session.response_headers, report["tools"], server.url, server.headers, server.timeout
        )
        if call:
            _call_tool(session, call, arguments or {}, report, progress)
        elif ping:
            session.ping()
            report["call"] = {"tool": "ping", "ok": True, "result": None, "structured": None}
        report["ok"] = True
    except Failure as failure:
        _explain(failure, server, report)
    finally:
        session.close()
    report["timings_ms"] = {k: round(v, 1) for k, v in session.timings.items()}
    return report


def _empty_report(server: Server) -> Report:
    return {
        "server": server.name,
        "url": server.url,
        "ok": False,
        "cause": None,
        "step": None,
        "message": None,
        "fix": None,
        "server_info": {},
        "protocol_version": None,
        "session_id": None,
        "tools": [],
        "tool_count": 0,
        "pages": 0,
        "page_sizes": [],
        "pflow_sees": 0,
        "warnings": [],
        "gateway": None,
        "call": None,
        "timings_ms": {},
        "variables": server.sources,
    }


def _list_tools(session: Session, server: Server, report: Report, progress: Progress) -> None:
    """Every page of tools/list, and a warning when pflow, which reads only the first, sees fewer."""
    progress("listing tools")
    pages = session.list_tools(progress)
    names = [t.get("name", "") for page in pages for t in page]
    first = len(pages[0]) if pages else 0
    report.update(tools=names, tool_count=len(names), pages=len(pages), page_sizes=[len(p) for p in pages])
    report["pflow_sees"] = first
    if len(pages) > 1:
        report["warnings"].append(
            f"the server has {len(names)} tools on {len(pages)} pages, but pflow's discovery reads only the "
            f"first page: `pflow mcp sync {server.name}` registers {first} of them. "
            "On ContextForge raise MCP_LIST_PAGE_SIZE (default 100), or point pflow at a virtual server "
            "(/servers/<id>/mcp) with fewer tools."
        )


def _call_tool(session: Session, tool: str, arguments: dict[str, Any], report: Report, progress: Progress) -> None:
    progress(f"calling {tool}")
    result = session.call_tool(tool, arguments)
    parts = [c.get("text", "") for c in result.get("content") or [] if c.get("type") == "text"]
    text = "\n".join(parts)
    failed = bool(result.get("isError"))
    report["call"] = {"tool": tool, "ok": not failed, "result": text, "structured": result.get("structuredContent")}
    if failed:
        if tool not in report["tools"]:
            text += f" (tools/list has no tool named {tool!r})"
        raise Failure(Cause.TOOL_ERROR, f"the tool {tool} answered with an error: {text}", step="call")


def _explain(failure: Failure, server: Server, report: Report) -> None:
    """Fill in what failed, the server's own words, and the fix."""
    report.update(cause=failure.cause, step=failure.step, message=failure.message)
    if failure.status is not None:
        report["http_status"] = failure.status
        report["server_said"] = failure.body[:500]
    refine_auth(report, server)
    report["fix"] = fix_for(report, server, failure)
