"""Is a server a gateway, and which kind? Decided from evidence, strongest first, never from a count.

Evidence: the name in initialize's serverInfo, a product header on the initialize answer,
endpoints only that product serves, then tool naming patterns (a hint, never decisive).
The number of tools is not evidence: a direct server may have hundreds.
"""

from __future__ import annotations

from typing import Any

import httpx

from .kinds import base_url, naming_summary

Evidence = dict[str, Any]


def detect(
    server_info: dict[str, Any],
    response_headers: dict[str, str],
    tool_names: list[str],
    url: str,
    headers: dict[str, str],
    timeout: float,
) -> dict[str, Any]:
    """The verdict, what decided it (`decided_by`), and every item of evidence looked at."""
    evidence = [_by_server_info(server_info)]
    evidence += _by_header(response_headers)
    evidence += _by_endpoints(url, headers, timeout)
    evidence.append(_by_naming(tool_names))
    decisive = next((e for e in evidence if e["decisive"] and e["says"]), None)
    hint = next((e for e in evidence if e["source"] == "naming" and e["says"]), None)
    if decisive:
        kind, gateway, decided = decisive["says"], True, decisive
    elif hint:
        kind, gateway, decided = ("docker" if hint["says"] == "docker" else "generic"), True, hint
    else:
        kind, gateway, decided = None, False, None
    return {
        "gateway": gateway,
        "kind": kind,
        "decided_by": (
            decided["detail"] if decided else "no gateway evidence: " + "; ".join(e["detail"] for e in evidence)
        ),
        "evidence": evidence,
    }


def _evidence(source: str, says: str | None, detail: str, decisive: bool) -> Evidence:
    return {"source": source, "says": says, "detail": detail, "decisive": decisive}


def _by_server_info(server_info: dict[str, Any]) -> Evidence:
    name = str(server_info.get("name") or "")
    lowered = name.lower()
    if "contextforge" in lowered:
        return _evidence("serverInfo", "contextforge", f'serverInfo.name is "{name}"', True)
    if lowered.startswith("docker") and "gateway" in lowered:
        return _evidence("serverInfo", "docker", f'serverInfo.name is "{name}"', True)
    return _evidence("serverInfo", None, f'serverInfo.name "{name}" is no known gateway\'s', False)


def _by_header(response_headers: dict[str, str]) -> list[Evidence]:
    runtime = {k.lower(): v for k, v in response_headers.items()}.get("x-contextforge-mcp-runtime")
    if runtime is None:
        return []
    return [
        _evidence("header", "contextforge", f"initialize answered with x-contextforge-mcp-runtime: {runtime}", True)
    ]


def _by_endpoints(url: str, headers: dict[str, str], timeout: float) -> list[Evidence]:
    """GET /ready and /v1/gateways at the gateway's root: only ContextForge answers both its way."""
    root = base_url(url)
    found: list[str] = []
    try:
        with httpx.Client(timeout=min(timeout, 5.0)) as http:
            ready = http.get(root + "/ready")
            said = _json(ready)
            if ready.status_code == 200 and isinstance(said, dict) and said.get("status") == "ready":
                found.append("/ready says ready")
            gateways = http.get(root + "/v1/gateways", headers=headers)
            body = _json(gateways)
            if gateways.status_code == 200 and isinstance(body, list):
                found.append("/v1/gateways lists backends")
            elif gateways.status_code in (401, 403) and isinstance(body, dict) and "detail" in body:
                found.append(f"/v1/gateways answers {gateways.status_code} {body['detail']!r}")
    except httpx.HTTPError:
        return []
    if len(found) == 2:
        return [_evidence("endpoints", "contextforge", "; ".join(found), True)]
    return [_evidence("endpoints", None, "no ContextForge endpoints (/ready, /v1/gateways)", False)]


def _by_naming(tool_names: list[str]) -> Evidence:
    """A hint only: a direct server may name its tools `get-user`, `get-item`."""
    summary = naming_summary(tool_names)
    matching, total = summary["tools_matching"], summary["tools"]
    if summary["pattern"] and summary["services"] and matching * 2 >= max(1, len(tool_names)):
        says = "docker" if summary["pattern"] == "server__tool" else "gateway"
        services = ", ".join(summary["services"])
        return _evidence(
            "naming", says, f"{matching} of {total} tool names are {summary['pattern']} ({services})", False
        )
    return _evidence("naming", None, f"{matching} of {total} tool names carry a service prefix", False)


def _json(resp: httpx.Response) -> Any:
    """The parsed JSON body of an answer, or None."""
    try:
        return resp.json()
    except ValueError:
        return None
