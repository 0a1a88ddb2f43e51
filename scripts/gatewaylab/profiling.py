"""Where a ContextForge call's time goes: py-spy samples, sorted into categories.

`record()` runs py-spy (a dev dependency of this project) on a running ContextForge and all its
worker processes and returns the collapsed stacks ("frame;frame;frame count" lines, root first).
It keeps only samples of a thread that holds Python's GIL (`--gil`), that is, ContextForge running
Python: threads waiting for work and the event loop waiting on sockets are left out. (py-spy's own
idle detection counted waiting thread-pool threads as busy here, which drowned the real work.)
`summarise()` turns them into what the results file keeps: each category's share of the samples,
the top functions by self and by inclusive samples, and a pruned call tree for the flame graph.

A sample's category is decided by the frames of its stack, innermost first, in two passes:
first what ContextForge was doing it *for* (auth, tool lookup, plugins, metrics and logging
writes, the upstream MCP session), then, if none of those is on the stack, the *kind* of work
(database, serialisation, the server framework). So a database query made to check a token
counts as auth, and one made for nothing named counts as database.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

from .envs import REPO

PY_SPY = REPO / ".venv" / "bin" / "py-spy"

# (category, patterns on a frame "function (package/module.py:line)"). Module paths are those of
# ContextForge 1.1.0 (mcpgateway/...) and the libraries it runs on, as py-spy shortens them.
PURPOSES: list[tuple[str, list[str]]] = [
    (
        "auth",
        [
            r"mcpgateway/auth\.py",
            r"mcpgateway/utils/verify_credentials\.py",
            r"mcpgateway/utils/token_scoping\.py",
            r"mcpgateway/middleware/(token_scoping|rbac|auth\w*)\.py",
            r"mcpgateway/services/(permission|auth\w*|email_auth|team\w*|token_catalog)_service\.py",
            r"mcpgateway/cache/auth_cache\.py",
            r"_check_\w*permission\w* \(mcpgateway/",
            r"\bjwt/",
        ],
    ),
    (
        "plugins",
        [r"mcpgateway/plugins/", r"\bcpex/"],
    ),
    (
        "metrics and logging writes",
        [
            r"mcpgateway/services/(metrics\w*|log\w*|structured_logger|performance\w*|observability\w*|audit\w*|security_logger|token_usage\w*)\.py",
            r"mcpgateway/middleware/(token_usage\w*|observability\w*|request_logging\w*|correlation_id)\.py",
            r"mcpgateway/observability\.py",
            r"mcpgateway/instrumentation/",
            r"^\w+ \(logging/",
            r"\bopentelemetry/",
        ],
    ),
    (
        "tool lookup",
        [
            r"mcpgateway/cache/(tool_lookup|registry)\w*\.py",
            r"(_get_tool|_resolve_tool|_negative_cache|\w*lookup)\w* \(mcpgateway/services/tool_service\.py",
        ],
    ),
    (
        "upstream session (MCP client)",
        [
            r"mcpgateway/services/(mcp_session_pool|upstream_session_registry)\.py",
            r"mcpgateway/utils/mcp_proxy_client\.py",
            r"connect_to_\w+ \(mcpgateway/services/tool_service\.py",
            r"\bmcp/client/",
            r"\bhttpx2?/",
            r"\bhttpcore2?/",
        ],
    ),
]
KINDS: list[tuple[str, list[str]]] = [
    ("database", [r"\bsqlalchemy/", r"\bsqlite3/", r"\balembic/", r"mcpgateway/db\.py"]),
    (
        "serialisation",
        [r"\bpydantic\w*/", r"\borjson\b", r"\bjson/", r"mcpgateway/schemas\.py", r"mcpgateway/utils/orjson_response"],
    ),
    (
        "server framework",
        [
            r"\buvicorn/",
            r"\bstarlette/",
            r"\bfastapi/",
            r"\banyio/",
            r"\bh11/",
            r"\bhttptools/",
            r"\basyncio/",
            r"\bmcp/(server|shared)/",
            r"mcpgateway/transports/",
            r"mcpgateway/middleware/",
        ],
    ),
]
CATEGORIES = [name for name, _ in PURPOSES + KINDS] + ["other"]
_COMPILED = [(name, re.compile("|".join(pats))) for name, pats in PURPOSES + KINDS]


def record(pid: int, seconds: float, rate: int, raw_file: Path) -> str:
    """Sample `pid` and its subprocesses for `seconds` at `rate` Hz; the collapsed stacks py-spy wrote."""
    argv = [str(PY_SPY), "record", "--pid", str(pid), "--subprocesses", "--format", "raw", "--function"]
    argv += [
        "--gil",
        "--nonblocking",
        "--rate",
        str(rate),
        "--duration",
        str(round(seconds)),
        "--output",
        str(raw_file),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0 or not raw_file.exists():
        raise RuntimeError(f"py-spy failed ({done.returncode}): {done.stderr[-1500:]}")
    return raw_file.read_text()


def parse(raw: str) -> Counter[tuple[str, ...]]:
    """Collapsed stacks ("a;b;c 12") as {(a, b, c): 12}, without py-spy's process frame."""
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = tuple(f for f in stack.split(";") if not f.startswith("process "))
        stacks[frames] += int(count)
    return stacks


def category(frames: tuple[str, ...]) -> str:
    for patterns in (_COMPILED[: len(PURPOSES)], _COMPILED[len(PURPOSES) :]):
        for frame in reversed(frames):  # innermost first
            for name, pattern in patterns:
                if pattern.search(frame):
                    return name
    return "other"


def frame_category(frame: str) -> str:
    """The category one frame alone points to (the flame graph's colour), or "other"."""
    return next((name for name, pattern in _COMPILED if pattern.search(frame)), "other")


def _short(frame: str) -> str:
    """`function (mcpgateway/services/tool_service.py:123)` -> `mcpgateway/services/tool_service.py:function`."""
    found = re.match(r"(.+?) \((.+?)(?::\d+)?\)$", frame)
    return f"{found[2]}:{found[1]}" if found else frame


def _tree(stacks: Counter[tuple[str, ...]], min_samples: int) -> dict:
    root: dict = {"name": "all", "value": 0, "children": {}}
    for frames, count in stacks.items():
        root["value"] += count
        node = root
        for frame in frames:
            name = _short(frame)
            node = node["children"].setdefault(
                name, {"name": name, "category": frame_category(frame), "value": 0, "children": {}}
            )
            node["value"] += count

    def prune(node: dict) -> dict:
        kids = [prune(c) for c in node["children"].values() if c["value"] >= min_samples]
        kids.sort(key=lambda c: c["name"])
        out = {"name": node["name"], "category": node.get("category", "other"), "value": node["value"]}
        if kids:
            out["children"] = kids
        return out

    return prune(root)


def summarise(stacks: Counter[tuple[str, ...]], top: int = 15, tree_share: float = 0.005) -> dict:
    """Category shares (%), the top functions by self and by inclusive samples, and the call tree."""
    total = sum(stacks.values())
    if not total:
        raise RuntimeError("py-spy recorded no samples of ContextForge")
    by_category = Counter({name: 0 for name in CATEGORIES})
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, count in stacks.items():
        by_category[category(frames)] += count
        if frames:
            own[_short(frames[-1])] += count
        for name in {_short(f) for f in frames}:
            inclusive[name] += count

    def pct(n: int) -> float:
        return round(100 * n / total, 1)

    return {
        "samples": total,
        "categories": {name: pct(n) for name, n in by_category.items()},
        "top_self": [{"function": f, "share": pct(n)} for f, n in own.most_common(top)],
        "top_inclusive": [{"function": f, "share": pct(n)} for f, n in inclusive.most_common(top)],
        "tree": _tree(stacks, max(1, int(total * tree_share))),
    }
