"""pflow-gateway: check, describe and watch the MCP gateways pflow is configured to use."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from . import __version__
from .client import Failure, Session
from .config import VAR_NAME, ConfigProblem, Server, jwt_claims, resolve
from .kinds import KINDS, base_url, detect, split_names

# -- exit codes --------------------------------------------------------------------------------
EXIT_CODES = [
    (0, "ok", "everything checked works (health: healthy)"),
    (1, "degraded", "the gateway answers, but a tool call failed or a backend service is unreachable"),
    (2, "usage", "wrong command-line arguments"),
    (3, "config", "pflow's entry cannot be used: no such server, not HTTP, a variable is missing, bad --args"),
    (4, "network", "no connection: refused, DNS failure, TLS verification, timeout"),
    (5, "auth", "the server refused the credentials: HTTP 401/403, expired token"),
    (6, "endpoint", "no MCP endpoint at that URL: HTTP 404/405, or an answer that is not MCP"),
    (7, "server", "the server failed: HTTP 5xx or 429, a JSON-RPC error, a broken event stream"),
    (8, "pflow", "setup: `pflow mcp add` refused the entry or could not run"),
]
CAUSE_EXIT = {
    "tool_error": 1,
    "degraded": 1,
    "not_configured": 3,
    "not_http": 3,
    "missing_env": 3,
    "no_url": 3,
    "bad_args": 3,
    "refused": 4,
    "dns": 4,
    "tls": 4,
    "timeout": 4,
    "network": 4,
    "auth": 5,
    "expired_token": 5,
    "path": 6,
    "not_mcp": 6,
    "protocol": 7,
    "rpc_error": 7,
    "server_error": 7,
    "rate_limited": 7,
    "pflow_add": 8,
}
EXIT_EPILOG = "exit status:\n" + "\n".join(f"  {code}  {what}" for code, _, what in EXIT_CODES)


class Progress:
    """Progress of slow steps on stderr: on for a terminal or PFLOW_GATEWAY_PROGRESS=1, off with --quiet."""

    def __init__(self, quiet: bool):
        wanted = os.environ.get("PFLOW_GATEWAY_PROGRESS")
        self.on = not quiet and (wanted == "1" or (wanted != "0" and sys.stderr.isatty()))

    def __call__(self, text: str) -> None:
        if self.on:
            print(f"… {text}", file=sys.stderr, flush=True)


# -- the check shared by test, services and health ------------------------------------------
def check(
    server: Server,
    *,
    call: str | None = None,
    arguments: dict | None = None,
    ping: bool = False,
    progress: Progress,
    probe: bool = True,
) -> dict:
    """Connect, initialize, list every page of tools, maybe call one; never raises for the server's faults."""
    report: dict = {
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
    progress(f"connecting to {server.url}")
    session = Session(server.url, server.headers, timeout=server.timeout)
    try:
        session.initialize()
        report.update(
            server_info=session.server_info, protocol_version=session.protocol_version, session_id=session.session_id
        )
        progress("listing tools")
        pages = session.list_tools(progress)
        names = [t.get("name", "") for page in pages for t in page]
        report.update(
            tools=names,
            tool_count=len(names),
            pages=len(pages),
            page_sizes=[len(p) for p in pages],
            pflow_sees=len(pages[0]) if pages else 0,
        )
        if len(pages) > 1:
            report["warnings"].append(
                f"the server has {len(names)} tools on {len(pages)} pages, but pflow's discovery reads only the "
                f"first page: `pflow mcp sync {server.name}` registers {len(pages[0])} of them. "
                "On ContextForge raise MCP_LIST_PAGE_SIZE (default 100), or point pflow at a virtual server "
                "(/servers/<id>/mcp) with fewer tools."
            )
        if probe:
            progress("looking for gateway evidence")
            report["gateway"] = detect(
                session.server_info, session.response_headers, names, server.url, server.headers, server.timeout
            )
        if call:
            progress(f"calling {call}")
            result = session.call_tool(call, arguments or {})
            text = _content_text(result)
            report["call"] = {
                "tool": call,
                "ok": not result.get("isError"),
                "result": text,
                "structured": result.get("structuredContent"),
            }
            if result.get("isError"):
                if call not in names:
                    text += f" (tools/list has no tool named {call!r})"
                raise Failure("tool_error", f"the tool {call} answered with an error: {text}", step="call")
        elif ping:
            session.ping()
            report["call"] = {"tool": "ping", "ok": True, "result": None, "structured": None}
        report["ok"] = True
    except Failure as failure:
        report.update(cause=failure.cause, step=failure.step, message=failure.message)
        if failure.status is not None:
            report["http_status"] = failure.status
            report["server_said"] = failure.body[:500]
        refine_auth(report, server)
        report["fix"] = fix_for(report, server, failure)
    finally:
        session.close()
    report["timings_ms"] = {k: round(v, 1) for k, v in session.timings.items()}
    return report


def _content_text(result: dict) -> str:
    parts = [c.get("text", "") for c in result.get("content") or [] if c.get("type") == "text"]
    return "\n".join(parts)


def refine_auth(report: dict, server: Server) -> None:
    """A 401 with an expired JWT is an expired token, not a wrong one: say so, with the time."""
    if report["cause"] != "auth":
        return
    claims = jwt_claims(server.bearer_token)
    if claims and isinstance(claims.get("exp"), (int, float)):
        expired = datetime.fromtimestamp(claims["exp"], UTC)
        now = datetime.now(UTC)
        if expired <= now:
            ago = int((now - expired).total_seconds() // 60)
            report["cause"] = "expired_token"
            report["token_expired_at"] = expired.isoformat(timespec="seconds")
            report["message"] += f"; the token expired at {expired:%Y-%m-%d %H:%M:%S} UTC ({ago} min ago)"
    elif claims is not None and "exp" not in claims:
        report["message"] += "; the token has no exp claim"


def _token_var(server: Server) -> str | None:
    auth = server.raw.get("auth") or {}
    found = re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", str(auth.get("token") or auth.get("key") or ""))
    return found[0] if found else None


def fix_for(report: dict, server: Server, failure: Failure) -> str:
    cause, raw_url = report["cause"], server.raw.get("url", server.url)
    u = httpx.URL(server.url)
    var = _token_var(server)
    if cause == "refused":
        return (
            f"start the server, or correct the port in pflow's entry (url {raw_url}); "
            f"nothing accepts connections on {u.host}:{u.port}"
        )
    if cause == "dns":
        return f"correct the host name '{u.host}' in the url ({raw_url}), or add it to DNS or /etc/hosts"
    if cause == "tls":
        if "WRONG_VERSION_NUMBER" in failure.message or "wrong version number" in failure.message:
            return "the server speaks plain HTTP here: use http:// in the url"
        return (
            "give the server a certificate this machine trusts, or trust its CA: export SSL_CERT_FILE=/path/"
            "to/ca.pem (pflow's HTTP client reads it; it replaces the default CA bundle)"
        )
    if cause == "timeout":
        return (
            f"the server took longer than {server.timeout:g} s: check that it is up and is an MCP server, "
            'or raise the entry\'s "timeout" (seconds, as pflow reads it)'
        )
    if cause == "expired_token":
        mint = (
            'python -m mcpgateway.utils.create_jwt_token --username EMAIL --exp MINUTES --secret "$JWT_SECRET_KEY"'
            if _looks_like(report, "contextforge")
            else "a new token from the gateway"
        )
        return f"mint a new token ({mint}) and export {var or 'the variable the entry names'} again"
    if cause == "auth":
        if "Authorization" not in server.headers and server.auth_type is None:
            return (
                'the entry sends no credentials: add "auth": {"type": "bearer", "token": "${VAR}"} '
                "(pflow-gateway setup KIND NAME --url URL --token-env VAR)"
            )
        if "Authorization" not in server.headers:
            return f"the token is empty after expansion: export {var or 'the token variable'} with a real token"
        source = server.sources.get(var or "", "the entry")
        if report.get("http_status") == 403:
            return (
                f"the token in {var or 'the entry'} ({source}) is valid but not allowed here: use a token "
                "with access to this server (Docker's gateway also answers 403 to a non-localhost Origin)"
            )
        if _claims_missing_exp(server):
            return (
                "ContextForge refuses tokens without an expiry (REQUIRE_TOKEN_EXPIRATION): mint one with "
                "--exp MINUTES greater than 0"
            )
        return (
            f"the token in {var or 'the entry'} (from {source}) is not accepted: use a token made for this "
            "gateway (ContextForge: signed with its JWT_SECRET_KEY, for a user it knows; Docker: "
            "MCP_GATEWAY_AUTH_TOKEN as the gateway was started with)"
        )
    if cause == "path":
        found = find_mcp_path(server)
        where = f"; an MCP endpoint answers at {found}" if found else ""
        return (
            f"the path '{u.path}' is not an MCP endpoint{where}. Gateways serve /mcp (ContextForge also "
            "/servers/<id>/mcp); correct the url in pflow's entry"
        )
    if cause == "not_mcp":
        return "this URL answers, but not with MCP: check the path and that no proxy or login page is in the way"
    if cause == "rate_limited":
        return "wait and retry; ContextForge limits requests per minute (RATE_LIMITING_ENABLED, RATE_LIMIT_*)"
    if cause == "server_error":
        return "the server failed on its side: read its log"
    if cause == "tool_error":
        return (
            "the gateway answered but the tool failed: check the backend service behind it "
            "(pflow-gateway services NAME) and the arguments"
        )
    if cause == "rpc_error":
        return (
            "the server rejected the request: check the tool name and arguments (pflow-gateway test NAME lists tools)"
        )
    return "see the message above"


def _looks_like(report: dict, kind: str) -> bool:
    if kind == "contextforge" and (report.get("server_said") or "").find("detail") >= 0:
        return True
    return bool(report.get("gateway") and report["gateway"].get("kind") == kind)


def _claims_missing_exp(server: Server) -> bool:
    claims = jwt_claims(server.bearer_token)
    return claims is not None and "exp" not in claims


def find_mcp_path(server: Server) -> str | None:
    """After a 404/405, try the usual paths at the same host: an MCP answer there is the fix."""
    u = httpx.URL(server.url)
    for path in ("/mcp", "/mcp/"):
        if path == u.path:
            continue
        candidate = str(u.copy_with(path=path, query=None))
        try:
            with Session(candidate, server.headers, timeout=min(server.timeout, 5.0)) as probe:
                probe.initialize()
                return candidate
        except Failure as failure:
            if failure.cause in ("auth", "expired_token"):
                return candidate
    return None


# -- output helpers ---------------------------------------------------------------------------
def emit_json(data) -> None:
    print(json.dumps(data, indent=2, default=str))


def ms(report: dict, step: str) -> str:
    value = report["timings_ms"].get(step)
    return f"{value:.0f} ms" if value is not None else "-"


def print_failure(report: dict) -> None:
    step = f"{report['step']} failed: " if report.get("step") else ""
    message = str(report["message"]).replace("\n", "\n    ")
    print(f"✗ {step}{message}")
    print(f"  cause: {report['cause']}")
    print(f"  fix:   {report['fix']}")


def config_failure(problem: ConfigProblem, name: str, as_json: bool) -> int:
    data = {
        "server": name,
        "ok": False,
        "cause": problem.cause,
        "message": problem.message,
        "fix": problem.fix,
        **problem.details,
    }
    if as_json:
        emit_json(data)
    else:
        print(f"✗ {problem.message}")
        print(f"  cause: {problem.cause}")
        print(f"  fix:   {problem.fix}")
    return CAUSE_EXIT[problem.cause]


def parse_args_json(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ConfigProblem(
            "bad_args", f"--args is not JSON: {exc}", 'pass an object, e.g. --args \'{"text": "hi"}\''
        ) from exc
    if not isinstance(value, dict):
        raise ConfigProblem(
            "bad_args", "--args must be a JSON object", 'pass an object, e.g. --args \'{"text": "hi"}\''
        )
    return value


# -- commands ---------------------------------------------------------------------------------
def cmd_list(args) -> int:
    if args.json:
        emit_json({"kinds": [k.as_dict() for k in KINDS.values()]})
        return 0
    for kind in KINDS.values():
        print(f"{kind.name}: {kind.title}")
        print(f"  paths:     {', '.join(kind.paths)}")
        print(f"  port:      {kind.port or '-'}")
        print(f"  auth:      {kind.auth}")
        print(f"  token env: {kind.token_env or '-'}")
        print(f"  naming:    {kind.naming}")
        print(f"  known by:  {_known_by(kind)}")
    return 0


def _known_by(kind) -> str:
    signs = []
    if kind.server_info:
        signs.append(f'serverInfo.name "{kind.server_info}"')
    if kind.name == "contextforge":
        signs.append("/ready and /v1/gateways")
    if kind.name == "docker":
        signs.append("<prefix>__<tool> names")
    return ", ".join(signs) or "tool naming patterns only"


def cmd_setup(args) -> int:
    kind = KINDS[args.kind]
    token_env = args.token_env if args.token_env is not None else kind.token_env
    if token_env and not VAR_NAME.match(token_env):
        print(
            f"✗ --token-env takes the NAME of an environment variable, not a token: {token_env[:6]}…", file=sys.stderr
        )
        return 2
    url = args.url
    if not httpx.URL(re.sub(r"\$\{[^}]*\}", "0", url)).path.strip("/"):
        url = url.rstrip("/") + kind.paths[0]
    entry: dict = {"type": "http", "url": url}
    if token_env:
        entry["auth"] = {"type": "bearer", "token": "${" + token_env + "}"}
    if args.timeout is not None:
        entry["timeout"] = args.timeout
    config = json.dumps({"mcpServers": {args.name: entry}})
    pflow = shutil.which("pflow", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if not pflow:
        print("✗ pflow is not installed here (no `pflow` on PATH)")
        return 8
    if not args.json:
        print(f"Adding '{args.name}' to pflow ({kind.title}): {config}")
    done = subprocess.run([pflow, "mcp", "add", config], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        text = (done.stdout + done.stderr).strip()
        if args.json:
            emit_json({"server": args.name, "ok": False, "cause": "pflow_add", "message": text, "entry": entry})
        else:
            print(f"✗ pflow mcp add failed (exit {done.returncode}):\n{text}")
        return 8
    if not args.json:
        print(done.stdout.strip())
    if args.no_test:
        if args.json:
            emit_json({"server": args.name, "ok": True, "entry": entry, "test": None})
        return 0
    status, report = run_test(args.name, args, quiet_header=args.json)
    if args.json:
        emit_json({"server": args.name, "ok": report.get("ok", False), "entry": entry, "test": report})
    return status


def run_test(name: str, args, quiet_header: bool = False) -> tuple[int, dict]:
    progress = Progress(args.quiet)
    try:
        server = resolve(name, timeout=args.timeout)
        arguments = parse_args_json(getattr(args, "args", None))
    except ConfigProblem as problem:
        if not quiet_header:
            return config_failure(problem, name, False), {}
        return CAUSE_EXIT[problem.cause], {
            "server": name,
            "ok": False,
            "cause": problem.cause,
            "message": problem.message,
            "fix": problem.fix,
            **problem.details,
        }
    report = check(server, call=getattr(args, "call", None), arguments=arguments, progress=progress)
    if not quiet_header:
        print_test(report)
    return (0 if report["ok"] else CAUSE_EXIT.get(report["cause"], 7)), report


def print_test(report: dict) -> None:
    print(f"Testing '{report['server']}' at {report['url']}")
    info = report["server_info"]
    if report["protocol_version"]:
        print(
            f"✓ initialize: {info.get('name', '?')} {info.get('version', '')}, protocol "
            f"{report['protocol_version']} ({ms(report, 'initialize')})"
        )
    if report["pages"]:
        page_word = "page" if report["pages"] == 1 else "pages"
        print(f"✓ tools/list: {report['tool_count']} tools on {report['pages']} {page_word} ({ms(report, 'list')})")
    if report["gateway"]:
        g = report["gateway"]
        what = f"gateway ({g['kind']})" if g["gateway"] else "not a gateway (a direct MCP server)"
        print(f"✓ detected: {what}, decided by {g['decided_by']}")
    call = report["call"]
    if call and call["ok"]:
        print(f"✓ tools/call {call['tool']}: {call['result']!r} ({ms(report, 'call')})")
    for warning in report["warnings"]:
        print(f"! warning: {warning}")
    if report["ok"]:
        print("OK")
    else:
        print_failure(report)


def cmd_test(args) -> int:
    status, report = run_test(args.name, args, quiet_header=args.json)
    if args.json:
        emit_json(report)
    return status


# -- services ----------------------------------------------------------------------------------
def services_of(server: Server, report: dict) -> dict:
    """The backend services behind a gateway: ContextForge's admin API when it is one, else names."""
    names = report["tools"]
    kind = (report.get("gateway") or {}).get("kind")
    note = None
    if kind == "contextforge":
        admin = contextforge_services(server, names)
        if admin is not None:
            return admin
        note = "ContextForge's admin API (/v1/gateways, /v1/tools) refused this token; guessed from tool names"
    split = split_names(names)
    if not any(v["source_service"] for v in split.values()):
        own = report["server_info"].get("name") or server.name
        split = {n: {"source_service": own, "original_name": n, "pattern": None} for n in names}
        source = "serverInfo (a direct server: its tools are its own)"
        # We are connected to it: the one service is reachable.
        return {
            "source": source,
            "note": note,
            "services": [
                {"name": own, "reachable": True, "url": server.url, "tools": [{"name": n, **split[n]} for n in names]}
            ],
        }
    source = "tool naming patterns"
    services: dict[str, dict] = {}
    for tool in names:
        service = split[tool]["source_service"] or "(unknown)"
        services.setdefault(service, {"name": service, "reachable": None, "tools": []})["tools"].append(
            {
                "name": tool,
                "source_service": split[tool]["source_service"],
                "original_name": split[tool]["original_name"],
                "pattern": split[tool]["pattern"],
            }
        )
    return {"source": source, "note": note, "services": list(services.values())}


def contextforge_services(server: Server, names: list[str]) -> dict | None:
    root = base_url(server.url)
    try:
        with httpx.Client(timeout=server.timeout, headers=server.headers) as http:
            gateways = http.get(root + "/v1/gateways", params={"include_inactive": "true"})
            tools = http.get(root + "/v1/tools", params={"limit": 0, "include_inactive": "true"})
    except httpx.HTTPError:
        return None
    if gateways.status_code != 200 or tools.status_code != 200:
        return None
    by_name = {t["name"]: t for t in tools.json()}
    served = set(names)
    out = []
    for gw in gateways.json():
        mine = [t for t in by_name.values() if t.get("gatewayId") == gw["id"] and t["name"] in served]
        out.append(
            {
                "name": gw["name"],
                "slug": gw.get("slug"),
                "url": gw.get("url"),
                "transport": gw.get("transport"),
                "enabled": gw.get("enabled"),
                "reachable": gw.get("reachable"),
                "status": gw.get("status"),
                "last_error": gw.get("lastError"),
                "tools": [
                    {"name": t["name"], "source_service": t.get("gatewaySlug"), "original_name": t.get("originalName")}
                    for t in sorted(mine, key=lambda t: t["name"])
                ],
            }
        )
    local = sorted(n for n in served if n in by_name and not by_name[n].get("gatewayId"))
    if local:
        out.append(
            {
                "name": "(ContextForge itself)",
                "slug": None,
                "url": None,
                "transport": None,
                "enabled": True,
                "reachable": True,
                "status": None,
                "last_error": None,
                "tools": [
                    {"name": n, "source_service": None, "original_name": by_name[n].get("originalName")} for n in local
                ],
            }
        )
    return {"source": "ContextForge admin API (/v1/gateways, /v1/tools)", "note": None, "services": out}


def cmd_services(args) -> int:
    progress = Progress(args.quiet)
    try:
        server = resolve(args.name, timeout=args.timeout)
    except ConfigProblem as problem:
        return config_failure(problem, args.name, args.json)
    report = check(server, progress=progress)
    if not report["ok"]:
        if args.json:
            emit_json(report)
        else:
            print_failure(report)
        return CAUSE_EXIT.get(report["cause"], 7)
    progress("reading backend services")
    found = services_of(server, report)
    if args.json:
        emit_json({"server": server.name, "gateway": report["gateway"], **found})
        return 0
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
    return 0


# -- health ------------------------------------------------------------------------------------
def health_once(server: Server, args, progress: Progress) -> dict:
    started = time.perf_counter()
    arguments = parse_args_json(args.args)
    report = check(server, call=args.call, arguments=arguments, ping=not args.call, progress=progress)
    services = None
    if report["ok"] or report["cause"] == "tool_error":
        services = services_of(server, report)["services"]
    unreachable = [s["name"] for s in services or [] if s.get("reachable") is False]
    if report["ok"] and not unreachable:
        status = "healthy"
    elif report["ok"] or report["cause"] == "tool_error":
        status = "degraded"
    else:
        status = "unhealthy"
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": server.name,
        "url": server.url,
        "status": status,
        "tools_available": report["tool_count"],
        "session_id": report["session_id"],
        "gateway": report["gateway"],
        "services": [
            {"name": s["name"], "reachable": s.get("reachable"), "tools": len(s["tools"])} for s in services or []
        ],
        "unreachable_services": unreachable,
        "latency_ms": {
            "initialize": report["timings_ms"].get("initialize"),
            "list": report["timings_ms"].get("list"),
            "call": report["timings_ms"].get("call"),
        },
        "call": report["call"]["tool"] if report["call"] else args.call,
        "cause": report["cause"] or ("degraded" if status == "degraded" else None),
        "message": report["message"] or (f"unreachable: {', '.join(unreachable)}" if unreachable else None),
        "fix": report["fix"],
        "warnings": report["warnings"],
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def print_health(h: dict, watching: bool) -> None:
    lat = h["latency_ms"]

    def fmt(v):
        return f"{v:.0f} ms" if v is not None else "-"

    if watching:
        print(
            f"{h['time']} {h['server']} {h['status']}: {h['tools_available']} tools, initialize "
            f"{fmt(lat['initialize'])}, list {fmt(lat['list'])}, {h['call'] or 'call'} {fmt(lat['call'])}"
            + (f" ({h['message']})" if h["message"] else "")
        )
        return
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
    print(
        f"  latency:         initialize {fmt(lat['initialize'])}, list {fmt(lat['list'])}, "
        f"{h['call'] or 'call'} {fmt(lat['call'])}"
    )
    for warning in h["warnings"]:
        print(f"! warning: {warning}")
    if h["cause"]:
        print(f"  cause:           {h['cause']}: {h['message']}")
    if h["fix"]:
        print(f"  fix:             {h['fix']}")


def cmd_health(args) -> int:
    progress = Progress(args.quiet)
    try:
        server = resolve(args.name, timeout=args.timeout)
        parse_args_json(args.args)
    except ConfigProblem as problem:
        return config_failure(problem, args.name, args.json)
    rounds = max(1, args.count if args.every else 1)
    worst = 0
    for i in range(rounds):
        h = health_once(server, args, progress)
        status = 0 if h["status"] == "healthy" else CAUSE_EXIT.get(h["cause"] or "", 1)
        worst = worst or status
        if args.json:
            print(json.dumps(h, default=str) if args.every else json.dumps(h, indent=2, default=str), flush=True)
        else:
            print_health(h, watching=bool(args.every))
            sys.stdout.flush()
        if i + 1 < rounds:
            time.sleep(args.every)
    return worst


# -- argument parsing --------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="pflow-gateway",
        formatter_class=fmt,
        epilog=EXIT_EPILOG,
        description="Gateway features for pflow: set up, test, describe and watch the MCP gateways in\n"
        "pflow's ~/.pflow/mcp-servers.json. Secrets stay in environment variables.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p, name=True, timeout=True):
        if name:
            p.add_argument("name", metavar="NAME", help="the server's name in pflow's configuration")
        p.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
        p.add_argument("--quiet", "-q", action="store_true", help="no progress lines on stderr")
        if timeout:
            p.add_argument(
                "--timeout",
                type=float,
                metavar="SECONDS",
                help="seconds to wait for each request (default: the entry's timeout, else 30)",
            )

    p = sub.add_parser(
        "list",
        help="the gateway kinds pflow-gateway knows, with their defaults",
        formatter_class=fmt,
        epilog=EXIT_EPILOG,
        description="List the gateway kinds (contextforge, docker, generic) with their default\n"
        "paths, ports, authentication, tool naming and how each is recognised.",
    )
    common(p, name=False, timeout=False)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "setup",
        help="add a gateway to pflow (through `pflow mcp add`), then test it",
        formatter_class=fmt,
        epilog=EXIT_EPILOG,
        description="Add a correct pflow entry for a gateway with pflow's own `pflow mcp add`:\n"
        '{"type": "http", "url": URL, "auth": {"type": "bearer", "token": "${VAR}"}}.\n'
        "The token stays in the variable; the file holds only its name. Then test it.\n"
        "A URL without a path gets the kind's default path (/mcp).",
    )
    p.add_argument("kind", choices=sorted(KINDS), metavar="KIND", help="contextforge, docker or generic")
    common(p)
    p.add_argument("--url", required=True, help="the gateway's MCP URL; ${VAR} and ${VAR:-default} are kept as written")
    p.add_argument(
        "--token-env",
        metavar="VAR",
        help="the environment variable holding the bearer token (default: the kind's, "
        "CONTEXTFORGE_TOKEN or MCP_GATEWAY_AUTH_TOKEN; generic: none; '' for no auth)",
    )
    p.add_argument("--no-test", action="store_true", help="only add the entry, do not connect")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser(
        "test",
        help="connect, initialize, list every page of tools, optionally call one",
        formatter_class=fmt,
        epilog=EXIT_EPILOG,
        description="Check one server of pflow's configuration the way pflow connects to it, and\n"
        "on failure name the cause and the fix. Follows nextCursor through every page\n"
        "of tools/list and warns when pflow's discovery (first page only) sees fewer.",
    )
    common(p)
    p.add_argument("--call", metavar="TOOL", help="also call this tool")
    p.add_argument("--args", metavar="JSON", help="arguments for --call, a JSON object")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser(
        "services",
        help="the backend services behind a gateway and their tools",
        formatter_class=fmt,
        epilog=EXIT_EPILOG,
        description="List the backend services behind a gateway and which tool comes from which:\n"
        "from ContextForge's admin API (/v1/gateways, /v1/tools) when the server is\n"
        "ContextForge, else from tool naming patterns (server__tool, slug-tool,\n"
        "service:tool). Each tool has source_service and original_name.",
    )
    common(p)
    p.set_defaults(func=cmd_services)

    p = sub.add_parser(
        "health",
        help="status, tools, session id, services and latency; --every to watch",
        formatter_class=fmt,
        epilog=EXIT_EPILOG,
        description="Report a server's health: status (healthy, degraded, unhealthy), tools\n"
        "available, session id (Mcp-Session-Id), backend services, and the latency of\n"
        "initialize, tools/list and one call (an MCP ping, or --call TOOL). Exits\n"
        "non-zero unless healthy; with --every, the first failing round's status.",
    )
    common(p)
    p.add_argument("--call", metavar="TOOL", help="time a call of this tool instead of a ping")
    p.add_argument("--args", metavar="JSON", help="arguments for --call, a JSON object")
    p.add_argument("--every", type=float, metavar="SECONDS", help="check again every SECONDS")
    p.add_argument("--count", type=int, default=3, metavar="N", help="with --every: how many checks (default 3)")
    p.set_defaults(func=cmd_health)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "every", None) is not None and (args.every <= 0 or args.count < 1):
        print("pflow-gateway health: --every needs SECONDS > 0 and --count N >= 1", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except ConfigProblem as problem:
        return config_failure(problem, getattr(args, "name", ""), getattr(args, "json", False))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
