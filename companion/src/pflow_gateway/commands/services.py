"""pflow-gateway services: the backend services behind a gateway, and which tool comes from which."""

from __future__ import annotations

import argparse
from typing import Any

import httpx

from ..check import check
from ..config import ConfigProblem, Server, resolve
from ..exits import Exit
from ..kinds import base_url, split_names
from ..options import server_options
from ..output import Progress, Report, emit_json, failed

NAME = "services"
HELP = "the backend services behind a gateway and their tools"
DESCRIPTION = """\
List the backend services behind a gateway and which tool comes from which:
from ContextForge's admin API (/v1/gateways, /v1/tools) when the server is
ContextForge, else from tool naming patterns (server__tool, slug-tool,
service:tool). Each tool has source_service and original_name."""

Services = dict[str, Any]  # {"source": where they were read, "note": ..., "services": [...]}


def arguments(parser: argparse.ArgumentParser) -> None:
    server_options(parser)


def run(args: argparse.Namespace) -> int:
    progress = Progress(args.quiet)
    try:
        server = resolve(args.name, timeout=args.timeout)
    except ConfigProblem as problem:
        return failed(problem.report(args.name), args.json)
    report = check(server, progress=progress)
    if not report["ok"]:
        return failed(report, args.json)
    progress("reading backend services")
    found = services_of(server, report)
    if args.json:
        emit_json({"server": server.name, "gateway": report["gateway"], **found})
    else:
        print_services(server, report, found)
    return Exit.OK


def print_services(server: Server, report: Report, found: Services) -> None:
    g = report["gateway"]
    what = f"a gateway ({g['kind']})" if g["gateway"] else "not a gateway"
    print(f"'{server.name}' is {what}; services from {found['source']}")
    if found["note"]:
        print(f"! {found['note']}")
    for service in found["services"]:
        extra = ""
        if service.get("reachable") is not None:
            extra = f" [{'reachable' if service['reachable'] else 'UNREACHABLE'}] {service['url']}"
        print(f"{service['name']}{extra}")
        for tool in service["tools"]:
            print(f"  {tool['name']}  <- {tool['original_name']}")


def services_of(server: Server, report: Report) -> Services:
    """ContextForge's admin API when the server is ContextForge, else the tools' names."""
    names = report["tools"]
    note = None
    if (report.get("gateway") or {}).get("kind") == "contextforge":
        admin = contextforge_services(server, names)
        if admin is not None:
            return admin
        note = "ContextForge's admin API (/v1/gateways, /v1/tools) refused this token; guessed from tool names"
    split = split_names(names)
    if not any(v["source_service"] for v in split.values()):
        return _direct_server(server, report, note)
    services: dict[str, dict[str, Any]] = {}
    for tool in names:
        service = split[tool]["source_service"] or "(unknown)"
        services.setdefault(service, {"name": service, "reachable": None, "tools": []})
        services[service]["tools"].append({"name": tool, **split[tool]})
    return {"source": "tool naming patterns", "note": note, "services": list(services.values())}


def _direct_server(server: Server, report: Report, note: str | None) -> Services:
    """No tool name carries a service: a direct server, whose tools are its own. We reached it."""
    own = report["server_info"].get("name") or server.name
    tools = [{"name": n, "source_service": own, "original_name": n, "pattern": None} for n in report["tools"]]
    return {
        "source": "serverInfo (a direct server: its tools are its own)",
        "note": note,
        "services": [{"name": own, "reachable": True, "url": server.url, "tools": tools}],
    }


def contextforge_services(server: Server, names: list[str]) -> Services | None:
    """The gateways (backends) ContextForge has registered, each with the tools it serves here."""
    root = base_url(server.url)
    try:
        with httpx.Client(timeout=server.timeout, headers=server.headers) as http:
            gateways = http.get(root + "/v1/gateways", params={"include_inactive": "true"})
            tools = http.get(root + "/v1/tools", params={"limit": 0, "include_inactive": "true"})
    except httpx.HTTPError:
        return None
    if gateways.status_code != 200 or tools.status_code != 200:
        return None
    by_name = {t["name"]: t for t in tools.json() if t["name"] in names}
    services = []
    for gateway in gateways.json():
        mine = sorted((t for t in by_name.values() if t.get("gatewayId") == gateway["id"]), key=lambda t: t["name"])
        services.append(_service(gateway, [_tool(t, t.get("gatewaySlug")) for t in mine]))
    local = [by_name[n] for n in sorted(by_name) if not by_name[n].get("gatewayId")]
    if local:
        itself = {"name": "(ContextForge itself)", "enabled": True, "reachable": True}
        services.append(_service(itself, [_tool(t, None) for t in local]))
    return {"source": "ContextForge admin API (/v1/gateways, /v1/tools)", "note": None, "services": services}


def _service(gateway: dict[str, Any], tools: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": gateway["name"],
        "slug": gateway.get("slug"),
        "url": gateway.get("url"),
        "transport": gateway.get("transport"),
        "enabled": gateway.get("enabled"),
        "reachable": gateway.get("reachable"),
        "status": gateway.get("status"),
        "last_error": gateway.get("lastError"),
        "tools": tools,
    }


def _tool(tool: dict[str, Any], service: str | None) -> dict[str, Any]:
    return {"name": tool["name"], "source_service": service, "original_name": tool.get("originalName")}
