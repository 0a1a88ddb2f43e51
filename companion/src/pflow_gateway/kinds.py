"""What pflow-gateway knows about gateways: their defaults, how to recognise them, how they name tools."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

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

    def as_dict(self) -> dict[str, Any]:
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
def split_names(names: list[str]) -> dict[str, dict[str, Any]]:
    """Guess each tool's service and original name from its name alone.

    `server__tool` (Docker's prefix), `service:tool`, and `slug-tool` where at least two tools
    share the slug (ContextForge's `<gateway slug>-<tool>`, which turns `_` into `-`).
    A name that fits no pattern gets service None.
    """
    hyphenated = [n for n in names if "-" in n and "__" not in n and ":" not in n]
    prefixes = Counter(p for n in hyphenated for p in _hyphen_prefixes(n))
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        shared = [p for p in _hyphen_prefixes(name) if prefixes[p] >= 2]
        if "__" in name or ":" in name:
            separator = "__" if "__" in name else ":"
            service, original = name.split(separator, 1)
            pattern = "server__tool" if separator == "__" else "service:tool"
        elif shared:
            service = max(shared, key=len)
            original, pattern = name[len(service) + 1 :], "slug-tool"
        else:
            out[name] = {"source_service": None, "original_name": name, "pattern": None}
            continue
        out[name] = {"source_service": service, "original_name": original, "pattern": pattern}
    return out


def _hyphen_prefixes(name: str) -> list[str]:
    parts = name.split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts))]


def naming_summary(names: list[str]) -> dict[str, Any]:
    split = split_names(names)
    patterns = Counter(v["pattern"] for v in split.values() if v["pattern"])
    services = {v["source_service"] for v in split.values() if v["source_service"]}
    covered = sum(patterns.values())
    pattern = patterns.most_common(1)[0][0] if patterns else None
    return {"pattern": pattern, "services": sorted(services), "tools_matching": covered, "tools": len(names)}
