"""What pflow-gateway knows about gateways: their defaults, how to recognise them, how they name tools."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

import httpx


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    paths: tuple[str, ...]
    port: int | None
    auth: str
    token_env: str | None
    naming: str
    server_info: str | None
    endpoints: tuple[str, ...]

    def as_dict(self) -> dict:
        return asdict(self)


KINDS: dict[str, Kind] = {
    "contextforge": Kind(
        "contextforge",
        "IBM ContextForge",
        ("/mcp", "/servers/<id>/mcp"),
        4444,
        "bearer JWT (python -m mcpgateway.utils.create_jwt_token)",
        "CONTEXTFORGE_TOKEN",
        "<slug>-<tool>, _ turned to -",
        "ContextForge",
        ("/health", "/ready", "/v1/gateways"),
    ),
    "docker": Kind(
        "docker",
        "Docker MCP Gateway",
        ("/mcp",),
        8811,
        "bearer MCP_GATEWAY_AUTH_TOKEN",
        "MCP_GATEWAY_AUTH_TOKEN",
        "<prefix>__<tool> when a prefix is set, else the tool's own name",
        "Docker AI MCP Gateway",
        ("/health",),
    ),
    "generic": Kind(
        "generic",
        "any MCP server or gateway",
        ("/mcp",),
        None,
        "whatever the server needs (bearer with --token-env)",
        None,
        "none",
        None,
        (),
    ),
}


def base_url(url: str) -> str:
    """The gateway's root: the MCP URL without /mcp or /servers/<id>/mcp."""
    u = httpx.URL(url)
    path = re.sub(r"(/servers/[^/]+)?/mcp/?$", "", u.path)
    return str(u.copy_with(path=path or "/", query=None, fragment=None)).rstrip("/")


# -- tool naming -------------------------------------------------------------------------------
def split_names(names: list[str]) -> dict[str, dict]:
    """Guess each tool's service and original name from its name alone.

    `server__tool` (Docker's prefix), `service:tool`, and `slug-tool` where at least two tools
    share the slug (ContextForge's `<gateway slug>-<tool>`, which turns `_` into `-`).
    A name that fits no pattern gets service None.
    """
    out: dict[str, dict] = {}
    hyphenated = [n for n in names if "-" in n and "__" not in n and ":" not in n]
    prefixes = Counter(p for n in hyphenated for p in _hyphen_prefixes(n))
    for name in names:
        if "__" in name:
            service, original = name.split("__", 1)
            out[name] = {"source_service": service, "original_name": original, "pattern": "server__tool"}
        elif ":" in name:
            service, original = name.split(":", 1)
            out[name] = {"source_service": service, "original_name": original, "pattern": "service:tool"}
        else:
            shared = [p for p in _hyphen_prefixes(name) if prefixes[p] >= 2]
            if shared:
                service = max(shared, key=len)
                out[name] = {
                    "source_service": service,
                    "original_name": name[len(service) + 1 :],
                    "pattern": "slug-tool",
                }
            else:
                out[name] = {"source_service": None, "original_name": name, "pattern": None}
    return out


def _hyphen_prefixes(name: str) -> list[str]:
    parts = name.split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts))]


def naming_summary(names: list[str]) -> dict:
    split = split_names(names)
    patterns = Counter(v["pattern"] for v in split.values() if v["pattern"])
    services = {v["source_service"] for v in split.values() if v["source_service"]}
    covered = sum(patterns.values())
    pattern = patterns.most_common(1)[0][0] if patterns else None
    return {"pattern": pattern, "services": sorted(services), "tools_matching": covered, "tools": len(names)}


# -- detection ---------------------------------------------------------------------------------
def detect(
    server_info: dict,
    response_headers: dict,
    tool_names: list[str],
    url: str,
    headers: dict[str, str],
    timeout: float,
    verify=True,
    probe: bool = True,
) -> dict:
    """Decide whether the server is a gateway, and which kind, from evidence; say what decided.

    Evidence, strongest first: the name in initialize's serverInfo, a product header on the
    initialize response, endpoints only that product serves, then tool naming patterns.
    The number of tools is not evidence: a direct server may have hundreds.
    """
    evidence: list[dict] = []
    name = str(server_info.get("name") or "")
    lowered = name.lower()
    if "contextforge" in lowered:
        evidence.append(_ev("serverInfo", "contextforge", f'serverInfo.name is "{name}"', True))
    elif lowered.startswith("docker") and "gateway" in lowered:
        evidence.append(_ev("serverInfo", "docker", f'serverInfo.name is "{name}"', True))
    else:
        evidence.append(_ev("serverInfo", None, f'serverInfo.name "{name}" is no known gateway\'s', False))

    lowered_headers = {k.lower(): v for k, v in response_headers.items()}
    if "x-contextforge-mcp-runtime" in lowered_headers:
        evidence.append(
            _ev(
                "header",
                "contextforge",
                f"initialize answered with x-contextforge-mcp-runtime: {lowered_headers['x-contextforge-mcp-runtime']}",
                True,
            )
        )

    if probe:
        evidence.extend(_probe_endpoints(url, headers, timeout, verify))

    summary = naming_summary(tool_names)
    if (
        summary["pattern"]
        and len(summary["services"]) >= 1
        and summary["tools_matching"] * 2 >= max(1, len(tool_names))
    ):
        says = "docker" if summary["pattern"] == "server__tool" else "gateway"
        evidence.append(
            _ev(
                "naming",
                says,
                f"{summary['tools_matching']} of {summary['tools']} tool names are "
                f"{summary['pattern']} ({', '.join(summary['services'])})",
                False,
            )
        )
    else:
        evidence.append(
            _ev(
                "naming",
                None,
                f"{summary['tools_matching']} of {summary['tools']} tool names carry a service prefix",
                False,
            )
        )

    decisive = [e for e in evidence if e["decisive"] and e["says"]]
    if decisive:
        kind = decisive[0]["says"]
        decided = decisive[0]
        gateway = True
    else:
        hint = next((e for e in evidence if e["source"] == "naming" and e["says"]), None)
        if hint:
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


def _ev(source: str, says: str | None, detail: str, decisive: bool) -> dict:
    return {"source": source, "says": says, "detail": detail, "decisive": decisive}


def _probe_endpoints(url: str, headers: dict[str, str], timeout: float, verify) -> list[dict]:
    """GET /ready and /v1/gateways at the gateway's root: only ContextForge answers both its way."""
    root = base_url(url)
    found: list[str] = []
    try:
        with httpx.Client(timeout=min(timeout, 5.0), verify=verify) as http:
            ready = http.get(root + "/ready")
            if ready.status_code == 200 and _json(ready).get("status") == "ready":
                found.append("/ready says ready")
            gateways = http.get(root + "/v1/gateways", headers=headers)
            body = _json(gateways)
            if gateways.status_code == 200 and isinstance(gateways.json(), list):
                found.append("/v1/gateways lists backends")
            elif gateways.status_code in (401, 403) and "detail" in body:
                found.append(f"/v1/gateways answers {gateways.status_code} {body['detail']!r}")
    except httpx.HTTPError:
        return []
    if len(found) == 2:
        return [_ev("endpoints", "contextforge", "; ".join(found), True)]
    return [_ev("endpoints", None, "no ContextForge endpoints (/ready, /v1/gateways)", False)]


def _json(resp: httpx.Response) -> dict:
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
