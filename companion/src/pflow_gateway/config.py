"""pflow's server configuration, read the way pflow reads it.

- servers: `~/.pflow/mcp-servers.json`, shaped {"mcpServers": {NAME: {...}}};
- `${VAR}` and `${VAR:-default}` anywhere in an entry (url, headers, auth), expanded when connecting;
- a variable comes from the shell's environment first, then from the `env` map of
  `~/.pflow/settings.json` (where `pflow settings set-env VAR VALUE` stores it; names there match
  without regard to case, as in pflow).

Nothing here writes to either file.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .exits import Cause

# The same pattern pflow uses (pflow.mcp.auth_utils.ENV_VAR_PATTERN).
ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ConfigProblem(Exception):
    """The server cannot be tried at all: not configured, not HTTP, a variable missing."""

    def __init__(self, cause: Cause, message: str, fix: str, **details: Any):
        super().__init__(message)
        self.cause, self.message, self.fix, self.details = cause, message, fix, details

    def report(self, name: str) -> dict[str, Any]:
        """What the commands print for it (`--json`), like a failed check's report."""
        return {
            "server": name,
            "ok": False,
            "cause": self.cause,
            "message": self.message,
            "fix": self.fix,
            **self.details,
        }


def pflow_home() -> Path:
    return Path.home() / ".pflow"


def servers_file() -> Path:
    return pflow_home() / "mcp-servers.json"


def load_servers(path: Path | None = None) -> dict[str, dict[str, Any]]:
    path = path or servers_file()
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data.get("mcpServers") or {})


def settings_env(path: Path | None = None) -> dict[str, str]:
    """Variables stored with `pflow settings set-env` (the `env` map of ~/.pflow/settings.json)."""
    path = path or pflow_home() / "settings.json"
    try:
        env = json.loads(path.read_text(encoding="utf-8")).get("env") or {}
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in env.items()}


@dataclass
class Expanded:
    """An entry with its variables filled in, and where each variable came from (never its value)."""

    entry: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)  # VAR -> environment | pflow settings | default
    missing: dict[str, list[str]] = field(default_factory=dict)  # VAR -> the keys that use it


def expand(entry: Any, environ: dict[str, str] | None = None, stored: dict[str, str] | None = None) -> Expanded:
    environ = dict(os.environ if environ is None else environ)
    stored = settings_env() if stored is None else stored
    result = Expanded(entry={})

    def lookup(name: str) -> str | None:
        if name in environ:
            result.sources[name] = "environment"
            return environ[name]
        for key, value in stored.items():
            if key.lower() == name.lower():
                result.sources[name] = "pflow settings"
                return value
        return None

    def walk(value: Any, where: str) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, f"{where}.{k}" if where else k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if not isinstance(value, str):
            return value

        def replace(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            found = lookup(name)
            if found is not None:
                return found
            if default is not None:
                result.sources.setdefault(name, "default")
                return default
            result.missing.setdefault(name, []).append(where)
            return ""

        return ENV_VAR.sub(replace, value)

    result.entry = walk(entry, "")
    return result


@dataclass
class Server:
    """One pflow server entry, ready to connect to."""

    name: str
    raw: dict[str, Any]
    url: str
    headers: dict[str, str] = field(repr=False)
    timeout: float
    sources: dict[str, str]
    auth_type: str | None
    bearer_token: str | None = field(default=None, repr=False)


def build_headers(entry: dict[str, Any]) -> dict[str, str]:
    """Headers as pflow sends them: `headers`, then the `auth` block (bearer, api_key, basic)."""
    headers = {str(k): str(v) for k, v in (entry.get("headers") or {}).items()}
    auth = entry.get("auth") or {}
    kind = auth.get("type") if isinstance(auth, dict) else None
    if kind == "bearer" and auth.get("token"):
        headers["Authorization"] = f"Bearer {auth['token']}"
    elif kind == "api_key" and auth.get("key"):
        headers[auth.get("header") or "X-API-Key"] = auth["key"]
    elif kind == "basic" and auth.get("username") and auth.get("password"):
        pair = f"{auth['username']}:{auth['password']}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return headers


def resolve(name: str, *, timeout: float | None = None, path: Path | None = None) -> Server:
    """pflow's entry NAME with its variables expanded, ready to connect to; a ConfigProblem if it cannot be."""
    raw = _http_entry(name, load_servers(path))
    done = expand(raw)
    if done.missing:
        names = sorted(done.missing)
        used = "; ".join(f"{n} in {', '.join(done.missing[n])}" for n in names)
        raise ConfigProblem(
            Cause.MISSING_ENV,
            f"missing environment variable(s): {', '.join(names)} ({used})",
            f"export {names[0]}=VALUE in this shell, or store it for pflow: pflow settings set-env {names[0]} VALUE",
            missing=names,
        )
    entry = done.entry
    if not entry.get("url"):
        raise ConfigProblem(Cause.NO_URL, f"'{name}' has no url", 'add "url": "http://HOST:PORT/mcp"')
    auth: dict[str, Any] = entry["auth"] if isinstance(entry.get("auth"), dict) else {}
    token = auth.get("token") if auth.get("type") == "bearer" else None
    return Server(
        name=name,
        raw=raw,
        url=entry["url"],
        headers=build_headers(entry),
        timeout=float(timeout if timeout is not None else entry.get("timeout", 30)),
        sources=done.sources,
        auth_type=auth.get("type"),
        bearer_token=token or None,
    )


def _http_entry(name: str, servers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if name not in servers:
        known = ", ".join(sorted(servers)) or "none"
        raise ConfigProblem(
            Cause.NOT_CONFIGURED,
            f"pflow has no server named '{name}' (configured: {known})",
            f"add it: pflow-gateway setup KIND {name} --url URL, or pflow mcp add CONFIG.json",
        )
    kind = servers[name].get("type", "stdio")
    if kind != "http":
        raise ConfigProblem(
            Cause.NOT_HTTP,
            f"'{name}' is a {kind} server; gateways are reached over HTTP",
            'give the entry "type": "http" and a "url"',
        )
    return servers[name]


def jwt_claims(token: str | None) -> dict[str, Any] | None:
    """The payload of a JWT, unverified (to tell an expired token from a wrong one), or None."""
    if not token or token.count(".") != 2:
        return None
    try:
        part = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None
