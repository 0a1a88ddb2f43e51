"""What a gateway costs: one benchmark run over every path, on one machine, with the same backends.

Run it as `.venv/bin/python scripts/benchmark.py [--quick] [--out results.json]`. It starts every
server it needs on free loopback ports with the lab (`gatewaylab.lab.Lab`) and stops them all at
the end, also on Ctrl-C. The results file holds the machine, the versions, the method's parameters
and every measurement, so runs can be compared; `gatewaylab.benchreport` turns it into the
tables and figures of docs/explanation/cost.md.

Paths (each calls the math backend's `add` with a=2, b=3):
  direct        the backend's own /mcp endpoint
  cf_defaults   ContextForge /mcp with default settings (a new upstream session per call)
  cf_stateful   ContextForge /mcp with USE_STATEFUL_SESSIONS=true
  cf_recommended  ContextForge started as snippets/cost/fast-start.sh with snippets/cost/fast.env
  cf_virtual    a ContextForge virtual server (/servers/<id>/mcp) holding only that tool
  cf_federated  a second ContextForge ("near") with the first ("far") registered as a gateway
  bridge        mcpgateway.translate exposing the backend run over stdio as Streamable HTTP
  docker        Docker MCP Gateway (`docker mcp gateway run`, started here, or the one that
                DOCKER_MCP_GATEWAY_URL and _TOKEN name) with the backend as a remote server
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client

from . import docker_gateway as dg
from . import profiling
from .envs import REPO, contextforge_bin
from .lab import Backend, ContextForge, Lab, read_settings_file
from .procs import ManagedProcess, processes

VENV_BIN = REPO / ".venv" / "bin"
PFLOW = str(VENV_BIN / "pflow")
SCHEMA = 1

PATH_LABELS = {
    "direct": "Direct, no gateway",
    "cf_defaults": "ContextForge, defaults",
    "cf_stateful": "ContextForge, stateful sessions",
    "cf_recommended": "ContextForge, recommended setup",
    "cf_virtual": "ContextForge, virtual server",
    "cf_federated": "ContextForge, federated (two hops)",
    "bridge": "stdio bridge (mcpgateway.translate)",
    "docker": "Docker MCP Gateway",
}

QUICK: dict[str, Any] = {
    "latency": {"warmup": 3, "calls": 20, "repeats": 2},
    "pflow": {"warmup": 0, "runs": 1, "repeats": 1, "version_runs": 2},
    "discovery": {"cases": [[3, 5], [1, 150]]},
    "throughput": {"clients": [1, 4, 16], "seconds": 1.0, "repeats": 1, "warmup_calls": 1},
    "profile": {"seconds": 3, "clients": 4, "rate": 100},
    # Quick: the sweep's code on the recommended setup only, which already runs (no extra start).
    "sweep": {
        "variants": ["recommended"],
        "latency": {"warmup": 2, "calls": 10, "repeats": 1},
        "throughput": {"clients": [16], "seconds": 1.0, "repeats": 1, "warmup_calls": 1},
    },
    "model": {
        "warmup": 2,
        "calls": 8,
        "repeats": 1,
        "pflow_runs": 0,
        "delays_ms": {"client_gateway": 20, "gateway_backend": 30, "client_backend": 50},
    },
}
FULL: dict[str, Any] = {
    "latency": {"warmup": 10, "calls": 100, "repeats": 3},
    "pflow": {"warmup": 1, "runs": 3, "repeats": 2, "version_runs": 3},
    "discovery": {"cases": [[1, 10], [5, 10], [20, 10], [1, 100], [1, 1000], [20, 50]]},
    "throughput": {"clients": [1, 4, 16], "seconds": 4.0, "repeats": 2, "warmup_calls": 2},
    "profile": {"seconds": 30, "clients": 4, "rate": 100},
    # Fewer calls than the main latency and 16 clients only: each variant is one more ContextForge,
    # started, measured against direct and stopped in turn (about 45 s each on two cores).
    "sweep": {
        "variants": [
            "stateful",
            "workers_2",
            "workers_2_affinity",
            "cache_memory",
            "cache_redis",
            "metrics_off",
            "compression_off",
            "recommended",
        ],
        "latency": {"warmup": 5, "calls": 60, "repeats": 3},
        "throughput": {"clients": [16], "seconds": 4.0, "repeats": 2, "warmup_calls": 2},
    },
    "model": {
        "warmup": 5,
        "calls": 30,
        "repeats": 2,
        "pflow_runs": 3,
        "delays_ms": {"client_gateway": 20, "gateway_backend": 30, "client_backend": 50},
    },
}

# Parts of the run added after the committed results were measured: a results file may lack them
# (none today: the committed run has every part and path).
ADDED_LATER: tuple[str, ...] = ()
ADDED_LATER_PATHS: tuple[str, ...] = ()

# Servers start from these threads in parallel. The pool lives as long as the run: the lab's children
# get SIGTERM when the *thread* that started them ends (PR_SET_PDEATHSIG follows the thread), so a
# short-lived pool would kill them as soon as it shut down.
POOL = ThreadPoolExecutor(4, thread_name_prefix="bench-start")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- statistics -----------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), q in [0, 100]."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no samples")
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    """p50/p95/p99, mean, min, max and n of a list of milliseconds (rounded to 0.01 ms)."""
    if not values:
        return {"n": 0}
    r = lambda x: round(x, 2)  # noqa: E731
    return {
        "n": len(values),
        "p50": r(percentile(values, 50)),
        "p95": r(percentile(values, 95)),
        "p99": r(percentile(values, 99)),
        "mean": r(statistics.fmean(values)),
        "min": r(min(values)),
        "max": r(max(values)),
    }


def repeated(repeats: list[list[float]]) -> dict:
    """Pooled statistics over all repeats, each repeat's own, and the spread of its p50."""
    per = [summary(r) for r in repeats if r]
    out = {"pooled": summary([x for r in repeats for x in r]), "repeats": per}
    if per:
        out["spread"] = {
            "p50_min": min(p["p50"] for p in per),
            "p50_max": max(p["p50"] for p in per),
            "p95_min": min(p["p95"] for p in per),
            "p95_max": max(p["p95"] for p in per),
        }
    return out


# -- the machine and the versions ---------------------------------------------------------------------
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
        memory_gb = round(kb / 1024 / 1024, 1)
    except (OSError, TypeError):
        pass
    os_name = platform.platform()
    try:
        pretty = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
        if pretty:
            os_name = f"{pretty[1]} (kernel {platform.release()})"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": os_name,
        "python": platform.python_version(),
        "load_average_at_start": list(os.getloadavg()),
    }


def versions() -> dict:
    out = {"pflow": importlib.metadata.version("pflow-cli"), "mcp_client": importlib.metadata.version("mcp")}
    probe = subprocess.run(
        [
            str(contextforge_bin("python")),
            "-c",
            "import importlib.metadata as m, platform; "
            "print(m.version('mcp-contextforge-gateway'), m.version('mcp'), platform.python_version())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode == 0:
        cf, mcp_cf, py = probe.stdout.split()
        out.update(contextforge=cf, mcp_contextforge=mcp_cf, python_contextforge=py)
    return out


# -- memory: RSS of a whole process group ------------------------------------------------------------------
_PAGE = os.sysconf("SC_PAGE_SIZE")


def group_rss_mb(pgids: list[int]) -> float:
    """Resident memory of every process in these process groups, in MB."""
    total = 0
    for proc in processes():
        fields = proc.stat  # [0] the state, [2] the process group, [21] the resident pages
        if fields and int(fields[2]) in pgids and fields[0] != "Z":
            total += int(fields[21]) * _PAGE
    return round(total / 1024 / 1024, 1)


class PeakSampler:
    """Samples the RSS of some process groups in a thread and keeps the highest value."""

    def __init__(self, pgids: list[int], every: float = 0.2):
        self.pgids, self.every, self.peak = pgids, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, group_rss_mb(self.pgids))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# -- the paths ------------------------------------------------------------------------------------------
@dataclass
class Path_:
    key: str
    url: str = ""
    token: str = field(default="", repr=False)
    tool: str = "add"
    args: dict = field(default_factory=lambda: {"a": 2, "b": 3})
    expected: str | None = "5.0"
    processes: list[ManagedProcess] = field(default_factory=list)  # whose memory is the gateway's
    note: str = ""
    skipped: str | None = None
    pflow_node: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def describe(self) -> dict:
        out = {"label": PATH_LABELS[self.key], "status": "skipped" if self.skipped else "ok"}
        if self.skipped:
            out["reason"] = self.skipped
        else:
            endpoint = re.sub(r"/servers/[0-9a-f]+/", "/servers/<id>/", re.sub(r":\d+/", ":<port>/", self.url))
            out.update(tool=self.tool, endpoint=endpoint, note=self.note, pflow_node=self.pflow_node)
        return out


def _tool_ids(gateway: ContextForge, suffix: str, gateway_name: str) -> list[str]:
    return [
        t["id"] for t in gateway.tools() if t.get("gatewaySlug") == gateway_name and t.get("originalName") == suffix
    ]


def _virtual_path(cf: ContextForge) -> Path_:
    """A virtual server on `cf` that holds only the backend's `add`."""
    ids = _tool_ids(cf, "add", "math-tools")
    answer = cf.api("POST", "/v1/servers", json={"server": {"name": "bench-virtual", "associated_tools": ids}})
    answer.raise_for_status()
    return Path_(
        "cf_virtual",
        f"{cf.base_url}/servers/{answer.json()['id']}/mcp",
        cf.token,
        "math-tools-add",
        processes=[cf.process],
        note="on the defaults instance; the virtual server holds only `add`",
    )


def _federated_path(near: ContextForge, far: ContextForge) -> Path_:
    """`near` with `far` registered as its backend, as the federation page does."""
    federation = {
        "name": "far",
        "url": far.mcp_url,
        "transport": "STREAMABLEHTTP",
        "auth_type": "bearer",
        "auth_token": far.mint_token(24 * 60),
    }
    answer = near.api("POST", "/v1/gateways", json=federation)
    if answer.status_code not in (200, 201):
        raise RuntimeError(f"federation failed: HTTP {answer.status_code} {answer.text[:300]}")
    return Path_(
        "cf_federated",
        near.mcp_url,
        near.token,
        "far-math-tools-add",
        processes=[near.process, far.process],
        note="near (defaults) -> far (the defaults instance) -> backend; memory of both",
    )


def _bridge_path(lab: Lab, cf: ContextForge) -> Path_:
    """The math backend over stdio under `mcpgateway.translate` (with `cf`'s secrets, minus its database)."""
    bridge, url = lab.start_stdio_bridge(
        "stdio-bridge",
        f"{sys.executable} -m gatewaylab.benchservers math-stdio",
        {k: v for k, v in cf.process.env.items() if k not in ("DATABASE_URL", "TMPDIR")},
        "--logLevel",
        "warning",
    )
    note = "the math backend run over stdio under mcpgateway.translate; memory of both"
    return Path_("bridge", url, "", "add", processes=[bridge], note=note)


# -- the recommended setup and the sweep ------------------------------------------------------------------
RECOMMENDED_ENV = REPO / "snippets" / "cost" / "fast.env"
RECOMMENDED_START = REPO / "snippets" / "cost" / "fast-start.sh"
STATEFUL = {"USE_STATEFUL_SESSIONS": "true"}


def recommended_setup() -> tuple[dict[str, str], list[str]]:
    """The settings of fast.env and the options of fast-start.sh's `mcpgateway` line (host and port left
    to the lab), as the page shows them."""
    settings = read_settings_file(RECOMMENDED_ENV)
    line = next(line for line in RECOMMENDED_START.read_text().splitlines() if "bin/mcpgateway " in line)
    words = shlex.split(line.split(">", 1)[0])[1:]
    options = []
    while words:
        word = words.pop(0)
        if word in ("--host", "--port"):
            words.pop(0)
        else:
            options.append(word)
    return settings, options


# Each variant: stateful sessions plus one change. "stateful" and "recommended" are the gateways the main
# paths already run; the others start one at a time. "{redis}" is the URL of a Redis the sweep starts.
SWEEP: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "stateful": ("stateful sessions alone", {}, []),
    "workers_2": ("two uvicorn workers", {}, ["--workers", "2"]),
    "workers_2_affinity": (
        "two uvicorn workers, session affinity over Redis",
        {"CACHE_TYPE": "redis", "REDIS_URL": "{redis}", "MCPGATEWAY_SESSION_AFFINITY_ENABLED": "true"},
        ["--workers", "2"],
    ),
    "cache_memory": ("caches in memory", {"CACHE_TYPE": "memory"}, []),
    "cache_redis": ("caches in Redis", {"CACHE_TYPE": "redis", "REDIS_URL": "{redis}"}, []),
    "metrics_off": (
        "metrics recording off",
        {"DB_METRICS_RECORDING_ENABLED": "false", "METRICS_AGGREGATION_ENABLED": "false"},
        [],
    ),
    "compression_off": ("response compression off", {"COMPRESSION_ENABLED": "false"}, []),
    "recommended": ("recommended setup (best combination)", {}, []),
}


def _sweep_gateway(lab: Lab, name: str, math: Backend, redis: list[str]) -> ContextForge | str:
    """Start the sweep's ContextForge for `name` with its math backend registered, or say why not."""
    _, settings, options = SWEEP[name]
    if "{redis}" in settings.values():
        if not redis:
            if not shutil.which("redis-server"):
                return "redis-server is not installed (Debian: apt-get install redis-server)"
            port = lab.port("redis")
            lab.start_redis(port)
            redis.append(f"redis://127.0.0.1:{port}/0")
        settings = {k: v.replace("{redis}", redis[0]) for k, v in settings.items()}
    gateway = lab.start_contextforge(f"cf-sweep-{name}", {**STATEFUL, **settings}, options=options)
    gateway.register("math-tools", math.url)
    return gateway


def measure_sweep(lab: Lab, paths: dict[str, Path_], math: Backend, params: dict) -> dict:
    """Each variant measured against direct, interleaved, in its own block; one variant's gateway at a time."""
    out: dict[str, Any] = {"variants": {}}
    redis: list[str] = []
    recommended_settings, recommended_options = recommended_setup()
    for name in params["variants"]:
        label, settings, options = SWEEP[name]
        if name == "recommended":
            settings, options = recommended_settings, recommended_options
        entry: dict[str, Any] = {"label": label, "settings": {**STATEFUL, **settings}, "options": options}
        gateway = None
        if name in ("stateful", "recommended"):
            path = paths[f"cf_{name}"]
        else:
            started = _sweep_gateway(lab, name, math, redis)
            if isinstance(started, str):
                out["variants"][name] = {**entry, "status": "skipped", "reason": started}
                continue
            gateway = started
            path = Path_("cf_sweep", gateway.mcp_url, gateway.token, "math-tools-add", processes=[gateway.process])
        pair = {"direct": paths["direct"], path.key: path}
        try:
            latency = measure_latency(pair, params["latency"])
            throughput, memory = measure_throughput_and_memory(pair, params["throughput"])
        except Exception as error:  # noqa: BLE001 - a variant that breaks the client is a result, not the run's end
            out["variants"][name] = {**entry, "status": "failed", "reason": f"{type(error).__name__}: {error}"[:300]}
            log(f"sweep {name}: failed: {error}")
            if gateway:
                lab.stop(gateway.process)
            continue
        top = str(max(params["throughput"]["clients"]))
        direct_p50, p50 = latency["direct"]["pooled"]["p50"], latency[path.key]["pooled"]["p50"]
        entry.update(
            status="ok",
            p50_ms=p50,
            p95_ms=latency[path.key]["pooled"]["p95"],
            direct_p50_ms=direct_p50,
            over_direct=round(p50 / direct_p50, 2),
            calls_per_s=throughput[path.key][top]["calls_per_s_median"],
            direct_calls_per_s=throughput["direct"][top]["calls_per_s_median"],
            clients=int(top),
            rest_mb=memory[path.key]["rest_mb"],
            errors=latency[path.key]["errors"] + throughput[path.key][top]["errors"],
        )
        out["variants"][name] = entry
        log(f"sweep {name}: p50 {p50:.1f} ms ({entry['over_direct']}x direct), {entry['calls_per_s']}/s x{top}")
        if gateway:
            lab.stop(gateway.process)
    return out


def setup_paths(lab: Lab, stack: contextlib.ExitStack) -> tuple[dict[str, Path_], Backend, dict[str, ContextForge]]:
    """Start the backend, the gateways and the bridge; return every path, ready to call.
    `stack` closes what the lab alone would not (the Docker gateway's catalog)."""
    math = lab.start_backend("math-tools")
    recommended, options = recommended_setup()
    wanted = {"cf-defaults": {}, "cf-stateful": STATEFUL, "cf-near": {}}
    futures = {name: POOL.submit(lab.start_contextforge, name, settings) for name, settings in wanted.items()}
    futures["cf-recommended"] = POOL.submit(lab.start_contextforge, "cf-recommended", recommended, options=options)
    gateways = {name: f.result() for name, f in futures.items()}
    cf, stateful, near = gateways["cf-defaults"], gateways["cf-stateful"], gateways["cf-near"]

    note = "the backend itself; memory is the backend's"
    paths = {"direct": Path_("direct", math.url, processes=[math.process], note=note)}
    for key, gateway, sessions in (("cf_defaults", cf, "false (default)"), ("cf_stateful", stateful, "true")):
        gateway.register("math-tools", math.url)
        note = f"USE_STATEFUL_SESSIONS={sessions}"
        paths[key] = Path_(
            key, gateway.mcp_url, gateway.token, "math-tools-add", processes=[gateway.process], note=note
        )
    best = gateways["cf-recommended"]
    best.register("math-tools", math.url)
    note = "snippets/cost/fast.env and fast-start.sh: " + ", ".join(f"{k}={v}" for k, v in recommended.items())
    paths["cf_recommended"] = Path_(
        "cf_recommended",
        best.mcp_url,
        best.token,
        "math-tools-add",
        processes=[best.process],
        note=note + (f"; `{' '.join(options)}`" if options else ""),
    )
    paths["cf_virtual"] = _virtual_path(cf)
    paths["cf_federated"] = _federated_path(near, cf)
    paths["bridge"] = _bridge_path(lab, cf)
    paths["docker"] = docker_path(lab, math, stack)
    return paths, math, gateways


# The Docker path's catalog: the benchmark's math backend as a remote server, no prefix.
DOCKER_CATALOG = """name: gatewaylab-bench
registry:
  math-tools:
    name: math-tools
    type: remote
    title: The benchmark's math backend
    remote:
      url: {url}
      transport_type: streamable-http
"""


def docker_path(lab: Lab, math: Backend, stack: contextlib.ExitStack) -> Path_:
    """The Docker MCP Gateway in front of the math backend: a running one named by
    DOCKER_MCP_GATEWAY_URL and _TOKEN, else the setup page's `docker mcp gateway run`, started here."""
    if dg.external():
        return _external_docker_path()
    reason = dg.unavailable()
    if reason:
        return Path_("docker", skipped=reason)
    name = "bench-docker-gateway"
    gateway = stack.enter_context(
        dg.docker_gateway(lab, catalog=DOCKER_CATALOG.format(url=math.url), name=name, require_tools=False)
    )
    return Path_(
        "docker",
        gateway.url,
        gateway.token,
        "add",
        processes=[p for p in lab.processes if p.name == name],
        note=f"`docker mcp gateway run` {dg.plugin_version()}, the math backend as a remote server",
    )


def _external_docker_path() -> Path_:
    url, token = os.environ.get("DOCKER_MCP_GATEWAY_URL", ""), os.environ.get("DOCKER_MCP_GATEWAY_TOKEN", "")
    path = Path_(
        "docker",
        url.rstrip("/"),
        token,
        os.environ.get("DOCKER_MCP_GATEWAY_TOOL", ""),
        json.loads(os.environ.get("DOCKER_MCP_GATEWAY_ARGS", '{"a": 2, "b": 3}')),
        expected=None,
        note="an external gateway: its memory is not measured",
    )
    try:
        tools = asyncio.run(_list_all(path.url, path.headers))
    except Exception as error:  # noqa: BLE001 - any failure means not reachable
        path.skipped = f"Docker MCP Gateway at DOCKER_MCP_GATEWAY_URL not reachable: {type(error).__name__}: {error}"
        return path
    if not path.tool:
        adds = [t for t in tools if t == "add" or t.endswith(("__add", "-add"))]
        if not adds:
            path.skipped = "Docker MCP Gateway has no `add` tool: set DOCKER_MCP_GATEWAY_TOOL (and _ARGS)"
            return path
        path.tool = adds[0]
    return path


# -- MCP SDK measurements ----------------------------------------------------------------------------------
def _call_ok(result, expected: str | None) -> bool:
    if result.isError:
        return False
    if expected is None:
        return True
    text = "".join(getattr(c, "text", "") for c in result.content)
    return text.strip() == expected


async def _list_all(url: str, headers: dict) -> list[str]:
    async with streamablehttp_client(url, headers=headers) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            names, cursor = [], None
            while True:
                page = await session.list_tools(cursor=cursor)
                names += [t.name for t in page.tools]
                cursor = page.nextCursor
                if not cursor:
                    return names


async def _session_latency(path: Path_, warmup: int, calls: int) -> tuple[list[float], int]:
    """Per-call latency (ms) of `calls` tools/call requests in one session, after `warmup` calls."""
    samples, errors = [], 0
    async with streamablehttp_client(path.url, headers=path.headers) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for i in range(warmup + calls):
                start = time.perf_counter()
                try:
                    result = await session.call_tool(path.tool, path.args)
                    ok = _call_ok(result, path.expected)
                except Exception:  # noqa: BLE001 - counted, not fatal
                    ok = False
                elapsed = (time.perf_counter() - start) * 1000
                if i >= warmup:
                    if ok:
                        samples.append(elapsed)
                    else:
                        errors += 1
    return samples, errors


def measure_latency(paths: dict[str, Path_], params: dict) -> dict:
    live = [p for p in paths.values() if not p.skipped]
    runs: dict[str, list[list[float]]] = {p.key: [] for p in live}
    errors = {p.key: 0 for p in live}
    for repeat in range(params["repeats"]):
        for path in live:  # paths interleaved, so a slow moment of the machine hits all of them
            samples, errs = asyncio.run(_session_latency(path, params["warmup"], params["calls"]))
            runs[path.key].append(samples)
            errors[path.key] += errs
            log(
                f"latency {path.key} repeat {repeat + 1}: p50 {percentile(samples, 50) if samples else float('nan'):.1f} ms"
            )
    return {
        key: {**repeated(r), "errors": errors[key], "samples": [[round(x, 2) for x in s] for s in r]}
        for key, r in runs.items()
    }


async def _call_until_the_bell(
    session: ClientSession, path: Path_, stop_at: float, finished: list[float], counts: dict[str, int]
) -> None:
    """Call the tool until `stop_at` (no new call after it), counting calls and errors in `counts`
    and the end of the last call in `finished[0]`; give up after 50 errors in a row."""
    consecutive = 0
    while time.perf_counter() < stop_at:
        try:
            result = await session.call_tool(path.tool, path.args)
            ok = _call_ok(result, path.expected)
        except Exception:  # noqa: BLE001
            ok = False
        finished[0] = max(finished[0], time.perf_counter())
        counts["calls" if ok else "errors"] += 1
        consecutive = 0 if ok else consecutive + 1
        if consecutive >= 50:
            return


async def _throughput(
    path: Path_, clients: int, seconds: float, warmup_calls: int, started: threading.Event | None = None
) -> dict:
    """`clients` sessions calling as fast as answers come for `seconds`; `started` is set when they begin."""
    ready = asyncio.Event()
    go = asyncio.Event()
    counts = {"calls": 0, "errors": 0, "setup_errors": 0}
    opened = 0
    stop_at, finished = [0.0], [0.0]

    async def client() -> None:
        nonlocal opened
        try:
            async with streamablehttp_client(path.url, headers=path.headers) as (read, write, _):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    for _ in range(warmup_calls):
                        await session.call_tool(path.tool, path.args)
                    opened += 1
                    if opened == clients:
                        ready.set()
                    await go.wait()
                    await _call_until_the_bell(session, path, stop_at[0], finished, counts)
        except Exception:  # noqa: BLE001 - a client that cannot even start is an error too
            counts["setup_errors"] += 1
            if opened + counts["setup_errors"] == clients:
                ready.set()

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    try:
        await asyncio.wait_for(ready.wait(), timeout=120)
    except TimeoutError:
        counts["setup_errors"] += clients - opened
    start = time.perf_counter()
    stop_at[0] = start + seconds
    go.set()
    if started:
        started.set()
    await asyncio.gather(*tasks)
    # Calls running at the bell are waited for and counted: the time runs until the last one ends.
    elapsed = max(finished[0] - start, seconds)
    return {
        "clients": clients,
        "seconds": round(elapsed, 3),
        "calls": counts["calls"],
        "errors": counts["errors"],
        "setup_errors": counts["setup_errors"],
        "calls_per_s": round(counts["calls"] / elapsed, 1),
    }


def measure_throughput_and_memory(paths: dict[str, Path_], params: dict) -> tuple[dict, dict]:
    throughput, memory = {}, {}
    for path in (p for p in paths.values() if not p.skipped):
        pgids = [p.pid for p in path.processes]
        rest = group_rss_mb(pgids) if pgids else None
        per_clients = {}
        with PeakSampler(pgids) as sampler:
            for clients in params["clients"]:
                runs = [
                    asyncio.run(_throughput(path, clients, params["seconds"], params["warmup_calls"]))
                    for _ in range(params["repeats"])
                ]
                rates = [r["calls_per_s"] for r in runs]
                per_clients[str(clients)] = {
                    "runs": runs,
                    "calls_per_s_median": round(statistics.median(rates), 1),
                    "calls_per_s_min": min(rates),
                    "calls_per_s_max": max(rates),
                    "errors": sum(r["errors"] + r["setup_errors"] for r in runs),
                }
                log(
                    f"throughput {path.key} x{clients}: {per_clients[str(clients)]['calls_per_s_median']}/s, "
                    f"errors {per_clients[str(clients)]['errors']}"
                )
        throughput[path.key] = per_clients
        if pgids:
            memory[path.key] = {
                "rest_mb": rest,
                "load_peak_mb": max(sampler.peak, rest or 0),
                "processes": [p.name for p in path.processes],
            }
    return throughput, memory


# -- pflow ---------------------------------------------------------------------------------------------
def workflow(node: str, steps: int) -> str:
    """A workflow of `steps` chained additions of one, starting from input x."""
    lines = [
        f"# Add one {steps} times",
        "",
        f"Adds one to x, {steps} times, one MCP call per step.",
        "",
        "## Inputs",
        "",
        "### x",
        "",
        "The starting number.",
        "",
        "- type: number",
        "- required: true",
        "",
        "## Steps",
        "",
    ]
    for i in range(1, steps + 1):
        a = "${x}" if i == 1 else f"${{s{i - 1}.result.result}}"
        lines += [f"### s{i}", "", "Add one.", "", f"- type: {node}", f"- a: {a}", "- b: 1", ""]
    lines += [
        "## Outputs",
        "",
        "### total",
        "",
        "The number after the additions.",
        "",
        f"- source: ${{s{steps}.result.result}}",
        "",
    ]
    return "\n".join(lines)


class PflowHome:
    """A temporary HOME with one pflow server configured (`p`), synced."""

    def __init__(self, root: Path, servers: dict[str, dict], token: str = ""):
        self.root = root
        self.home = root / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
            "TERM": "dumb",
            "BENCH_TOKEN": token,
        }
        config = root / "servers.json"
        config.write_text(json.dumps({"mcpServers": servers}))
        self.check(self.run([PFLOW, "mcp", "add", str(config)]), "pflow mcp add")

    def run(self, argv: list[str], timeout: float = 300) -> tuple[float, subprocess.CompletedProcess]:
        start = time.perf_counter()
        done = subprocess.run(
            argv, env=self.env, cwd=self.root, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
        )
        return (time.perf_counter() - start) * 1000, done

    @staticmethod
    def check(result: tuple[float, subprocess.CompletedProcess], what: str) -> float:
        ms, done = result
        if done.returncode != 0:
            raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout[-800:]}\n{done.stderr[-800:]}")
        return ms

    def tools(self) -> dict[str, list[str]]:
        _, done = self.run([PFLOW, "mcp", "list", "--json"])
        listed = json.loads(done.stdout)
        return {server: [t["node_name"] for t in tools] for server, tools in listed.get("servers", {}).items()}


def registered(sync_output: str) -> int:
    """How many tools `pflow mcp sync` put in pflow's registry, from its own summary line."""
    found = re.search(r"Total: \d+ tools discovered, (\d+) registered", sync_output) or re.search(
        r"Registered (\d+) tools in pflow registry", sync_output
    )
    if found is None:
        raise RuntimeError(f"no tool count in pflow's sync output:\n{sync_output[-600:]}")
    return int(found[1])


def _http_server(path: Path_) -> dict:
    server = {"type": "http", "url": path.url, "timeout": 120}
    if path.token:
        server["auth"] = {"type": "bearer", "token": "${BENCH_TOKEN}"}
    return server


def pflow_home_for(path: Path_, root: Path) -> PflowHome:
    home = PflowHome(root, {"p": _http_server(path)}, path.token)
    synced = home.run([PFLOW, "mcp", "sync", "p"])
    home.check(synced, f"pflow mcp sync ({path.key})")
    nodes = re.findall(r"^\s+- (mcp-p-\S+)$", synced[1].stdout, flags=re.MULTILINE)
    node = f"mcp-p-{path.tool}"
    if node not in nodes:
        raise RuntimeError(f"pflow did not see {node} through {path.key}; it saw {nodes[:10]}")
    path.pflow_node = node
    for steps in (1, 10):
        (root / f"add{steps}.pflow.md").write_text(workflow(node, steps))
    return home


def _timed_pflow(home: PflowHome, kind: str, node: str) -> float:
    if kind == "probe":
        ms, done = home.run([PFLOW, "probe", node, "a=2", "b=3"])
        # 5.0, or 5 where the gateway passes a whole float on as an integer (Docker's does)
        answer = re.search(r"\(\w+\) = (5(?:\.0)?)$", done.stdout, flags=re.MULTILINE)
        ok = done.returncode == 0 and "Node executed successfully" in done.stdout and answer is not None
    else:
        steps = 1 if kind == "run_1" else 10
        ms, done = home.run([PFLOW, "-p", "-o", "total", f"./add{steps}.pflow.md", "x=1"])
        ok = done.returncode == 0 and re.fullmatch(rf"{1 + steps}(\.0)?", done.stdout.strip()) is not None
    if not ok:
        raise RuntimeError(f"pflow {kind} with {node} failed:\n{done.stdout[-600:]}\n{done.stderr[-600:]}")
    return ms


def measure_pflow(paths: dict[str, Path_], params: dict, scratch: Path) -> dict:
    live = [p for p in paths.values() if not p.skipped]
    homes = {p.key: pflow_home_for(p, scratch / f"pflow-{p.key}") for p in live}
    version_home = homes["direct"]
    starts: list[list[float]] = []
    kinds = ("probe", "run_1", "run_10")
    data: dict[str, dict[str, list[list[float]]]] = {p.key: {k: [] for k in kinds} for p in live}
    for path in live:  # warm-up: a first run fills caches (bytecode, pflow's registry)
        for _ in range(params["warmup"]):
            _timed_pflow(homes[path.key], "run_1", path.pflow_node)
    for repeat in range(params["repeats"]):
        starts.append(
            [
                version_home.check(version_home.run([PFLOW, "--version"]), "pflow --version")
                for _ in range(params["version_runs"])
            ]
        )
        for path in live:
            for kind in kinds:
                data[path.key][kind].append(
                    [_timed_pflow(homes[path.key], kind, path.pflow_node) for _ in range(params["runs"])]
                )
            log(f"pflow {path.key} repeat {repeat + 1}: run_1 p50 {percentile(data[path.key]['run_1'][-1], 50):.0f} ms")
    start_stats = repeated(starts)
    out = {"process_start": start_stats, "paths": {}}
    for key, kinds_data in data.items():
        stats = {kind: repeated(r) for kind, r in kinds_data.items()}
        p50 = {kind: stats[kind]["pooled"]["p50"] for kind in kinds}
        per_call = (p50["run_10"] - p50["run_1"]) / 9
        stats["split"] = {
            "process_start_ms": start_stats["pooled"]["p50"],
            "per_call_ms": round(per_call, 1),
            "session_and_setup_ms": round(p50["run_1"] - start_stats["pooled"]["p50"] - per_call, 1),
            "method": "medians: start = pflow --version; per call = (10-step - 1-step) / 9; "
            "session and setup = 1-step - start - per call",
        }
        out["paths"][key] = stats
    return out


# -- discovery ---------------------------------------------------------------------------------------------
def _start_many_tools(lab: Lab, name: str, tools: int) -> tuple[str, ManagedProcess, int]:
    """A backend named `name` that lists `tools` tools."""
    port = lab.port(name)
    argv = [sys.executable, "-m", "gatewaylab.benchservers", "many", "--tools", str(tools)]
    argv += ["--name", name, "--port", str(port)]
    process = lab.start_server(name, argv, f"http://127.0.0.1:{port}/health", port=port)
    return name, process, port


def _discovery_direct(started: list[tuple[str, ManagedProcess, int]], home_dir: Path) -> dict:
    """pflow holds one server per backend and syncs them all."""
    servers = {
        name: {"type": "http", "url": f"http://127.0.0.1:{port}/mcp", "timeout": 120} for name, _, port in started
    }
    home = PflowHome(home_dir, servers)
    synced = home.run([PFLOW, "mcp", "sync", "--all"])
    sync_ms = home.check(synced, "pflow mcp sync --all")
    return {"pflow_sync_ms": round(sync_ms, 1), "pflow_tools_seen": registered(synced[1].stdout)}


def _discovery_through(gateway: ContextForge, started: list[tuple[str, ManagedProcess, int]], home_dir: Path) -> dict:
    """Register every backend on `gateway`, list its tools three ways (REST, SDK, pflow), then unregister them."""
    names = [name for name, _, _ in started]
    t0 = time.perf_counter()
    ids = []
    for name, _, port in started:  # like ContextForge.register, with room for a thousand tools
        answer = httpx.post(
            f"{gateway.base_url}/v1/gateways",
            timeout=600,
            headers={"Authorization": f"Bearer {gateway.token}"},
            json={"name": name, "url": f"http://127.0.0.1:{port}/mcp", "transport": "STREAMABLEHTTP"},
        )
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"{gateway.name} refused {name}: {answer.status_code} {answer.text[:300]}")
        ids.append(answer.json()["id"])
    register_ms = (time.perf_counter() - t0) * 1000
    listed = len([t for t in gateway.tools() if t.get("gatewaySlug") in names])
    result: dict[str, Any] = {"register_ms": round(register_ms, 1), "gateway_tools": listed}
    t0 = time.perf_counter()
    sdk_names = asyncio.run(_list_all(gateway.mcp_url, {"Authorization": f"Bearer {gateway.token}"}))
    result["sdk_list_all_pages_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    result["sdk_tools_all_pages"] = len(sdk_names)
    result["first_page"] = asyncio.run(_first_page(gateway))
    auth = {"type": "bearer", "token": "${BENCH_TOKEN}"}
    home = PflowHome(
        home_dir, {"gw": {"type": "http", "url": gateway.mcp_url, "timeout": 120, "auth": auth}}, gateway.token
    )
    synced = home.run([PFLOW, "mcp", "sync", "gw"])
    result["pflow_sync_ms"] = round(home.check(synced, "pflow mcp sync gw"), 1)
    result["pflow_tools_seen"] = registered(synced[1].stdout)
    for gateway_id in ids:
        gateway.api("DELETE", f"/v1/gateways/{gateway_id}").raise_for_status()
    return result


def measure_discovery(lab: Lab, params: dict, scratch: Path) -> dict:
    """How long listing tools takes as backends and tools grow, and how many tools pflow sees."""
    futures = {
        "contextforge": POOL.submit(lab.start_contextforge, "cf-discovery"),
        "contextforge_page_1000": POOL.submit(
            lab.start_contextforge, "cf-discovery-page1000", {"MCP_LIST_PAGE_SIZE": "1000"}
        ),
    }
    gateways = {label: f.result() for label, f in futures.items()}
    cases = []
    for n, (backend_count, tools_each) in enumerate(params["cases"]):
        log(f"discovery: {backend_count} backend(s) x {tools_each} tools")
        names = [f"d{n}b{i:02d}" for i in range(backend_count)]
        started = list(POOL.map(lambda name, tools=tools_each: _start_many_tools(lab, name, tools), names))
        case: dict[str, Any] = {
            "backends": backend_count,
            "tools_per_backend": tools_each,
            "total_tools": backend_count * tools_each,
            "direct": _discovery_direct(started, scratch / f"disc{n}-direct"),
        }
        for label, gateway in gateways.items():
            case[label] = _discovery_through(gateway, started, scratch / f"disc{n}-{label}")
        for _, process, _ in started:
            lab.stop(process)
        cases.append(case)
        log(
            f"  direct sync {case['direct']['pflow_sync_ms']:.0f} ms saw {case['direct']['pflow_tools_seen']}; "
            f"via ContextForge {case['contextforge']['pflow_sync_ms']:.0f} ms "
            f"saw {case['contextforge']['pflow_tools_seen']}"
        )
    for gateway in gateways.values():
        lab.stop(gateway.process)
    return {"cases": cases, "page_size": {"contextforge": 100, "contextforge_page_1000": 1000}}


async def _first_page(gateway: ContextForge) -> dict:
    async with (
        streamablehttp_client(gateway.mcp_url, headers={"Authorization": f"Bearer {gateway.token}"}) as (
            r,
            w,
            _,
        ),
        ClientSession(r, w) as session,
    ):
        await session.initialize()
        page = await session.list_tools()
        return {"tools": len(page.tools), "has_next_cursor": bool(page.nextCursor)}


# -- the latency model with injected delay ------------------------------------------------------------------
def _start_relay(lab: Lab, name: str, target_port: int, round_trip_ms: float) -> int:
    """A TCP relay in front of `target_port` that adds `round_trip_ms` per round trip; its port."""
    port = lab.port(name)
    lab.start_server(
        name,
        [
            sys.executable,
            "-m",
            "gatewaylab.relay",
            "--port",
            str(port),
            "--target",
            f"127.0.0.1:{target_port}",
            "--delay-ms",
            str(round_trip_ms / 2),
        ],
        f"http://127.0.0.1:{port}/health",
        port=port,
    )
    return port


def measure_model(
    lab: Lab,
    paths: dict[str, Path_],
    math: Backend,
    gateways: dict[str, ContextForge],
    params: dict,
    latency: dict,
    scratch: Path,
) -> dict:
    delays = params["delays_ms"]

    direct_port = _start_relay(lab, "relay-direct", math.port, delays["client_backend"])
    backend_port = _start_relay(lab, "relay-backend", math.port, delays["gateway_backend"])
    cases = {"direct": Path_("direct", f"http://127.0.0.1:{direct_port}/mcp")}
    for key, name in (("cf_defaults", "cf-defaults"), ("cf_stateful", "cf-stateful")):
        gateway = gateways[name]
        gateway.register("math-far", f"http://127.0.0.1:{backend_port}/mcp")
        front = _start_relay(lab, f"relay-{name}", gateway.port, delays["client_gateway"])
        cases[key] = Path_(key, f"http://127.0.0.1:{front}/mcp", gateway.token, "math-far-add")
    out = {"delays_ms": delays, "cases": {}}
    runs: dict[str, list[list[float]]] = {k: [] for k in cases}
    errors = dict.fromkeys(cases, 0)
    for _ in range(params["repeats"]):
        for key, path in cases.items():
            samples, errs = asyncio.run(_session_latency(path, params["warmup"], params["calls"]))
            runs[key].append(samples)
            errors[key] += errs
    added = delays["client_backend"]
    for key, path in cases.items():
        stats = repeated(runs[key])
        loopback = latency[key]["pooled"]["p50"]
        predicted = loopback + added  # same total network time on both routes: 20 + 30 = 50
        stats.update(
            errors=errors[key],
            loopback_p50=loopback,
            additive_prediction_p50=round(predicted, 2),
            excess_over_prediction_ms=round(stats["pooled"]["p50"] - predicted, 2),
        )
        if key != "direct":
            stats["excess_in_backend_round_trips"] = round(
                stats["excess_over_prediction_ms"] / delays["gateway_backend"], 2
            )
        # pflow one-step workflow over the same delays: sessions and handshakes cost round trips too.
        if params["pflow_runs"]:
            home = pflow_home_for(path, scratch / f"model-{key}")
            _timed_pflow(home, "run_1", path.pflow_node)
            stats["pflow_run_1"] = summary(
                [_timed_pflow(home, "run_1", path.pflow_node) for _ in range(params["pflow_runs"])]
            )
        out["cases"][key] = stats
        log(f"model {key}: p50 {stats['pooled']['p50']:.1f} ms, additive prediction {predicted:.1f} ms")
    return out


def profile_file(out: Path) -> Path:
    """Where py-spy's collapsed stacks go: next to the results file."""
    return out.with_name(out.stem + "-profile.txt")


# -- the profile -------------------------------------------------------------------------------------------
def measure_profile(path: Path_, gateway: ContextForge, params: dict, raw_file: Path) -> dict:
    """py-spy on `gateway` (every worker) while `params["clients"]` sessions call `path` as fast as they can.

    The load is the throughput measurement's own client; py-spy starts once every session is open
    and its warm-up calls are done, and the load runs on for a margin after py-spy stops. py-spy's
    collapsed stacks stay in `raw_file` (for any flame graph tool); the summary goes in the results."""
    started = threading.Event()
    load: dict[str, Any] = {}
    margin = 5.0  # py-spy needs a moment to attach to every worker

    def run_load() -> None:
        load.update(asyncio.run(_throughput(path, params["clients"], params["seconds"] + margin, 2, started)))

    loader = threading.Thread(target=run_load, name="profile-load")
    loader.start()
    try:
        if not started.wait(timeout=180):
            raise RuntimeError(f"the profile's {params['clients']} clients did not start calling {path.key}")
        raw = profiling.record(gateway.process.pid, params["seconds"], params["rate"], raw_file)
    finally:
        loader.join()
    if load.get("errors") or load.get("setup_errors") or not load.get("calls"):
        raise RuntimeError(f"the load under the profile failed: {load}")
    out = {
        "path": path.key,
        "settings": path.note,
        "clients": params["clients"],
        "load": load,
        **profiling.summarise(profiling.parse(raw)),
    }
    # Samples / rate = seconds of Python running; over the calls served meanwhile = its CPU per call.
    out["python_ms_per_call"] = round(
        out["samples"] / params["rate"] / (load["calls_per_s"] * params["seconds"]) * 1000, 1
    )
    top = sorted(out["categories"].items(), key=lambda kv: -kv[1])[:4]
    log(f"profile of {path.key}: {out['samples']} samples; " + ", ".join(f"{k} {v}%" for k, v in top))
    return out


def _results_head(quick: bool, option: str, method: dict) -> dict[str, Any]:
    """What every results file starts with: the run's mode and command, the machine, the versions, the method."""
    flags = "".join(f" {flag}" for flag in (option, "--quick" if quick else "") if flag)
    mode = ("quick" if quick else "full") + (" profile" if option == "--profile" else "")
    return {
        "schema": SCHEMA,
        "mode": mode,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python scripts/benchmark.py" + flags,
        "machine": machine(),
        "versions": versions(),
        "method": method,
    }


def _write_results(result: dict, started: float, out: Path) -> dict:
    """Close the results (load average at the end, run time) and write them to `out`."""
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    result["run_time_s"] = round(time.perf_counter() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    log(f"done in {result['run_time_s']:.0f} s: {out}")
    return result


def run_profile_only(quick: bool, out: Path) -> dict:
    """`--profile`: the backend and ContextForge with stateful sessions, profiled under load, nothing else."""
    params = QUICK if quick else FULL
    started = time.perf_counter()
    result = _results_head(quick, "--profile", {"profile": params["profile"]})
    state = Path(tempfile.mkdtemp(prefix="gatewaylab-bench-"))
    try:
        with Lab(state / "lab") as lab:
            math = lab.start_backend("math-tools")
            gateway = lab.start_contextforge("cf-stateful", {"USE_STATEFUL_SESSIONS": "true"})
            gateway.register("math-tools", math.url)
            path = Path_(
                "cf_stateful", gateway.mcp_url, gateway.token, "math-tools-add", note="USE_STATEFUL_SESSIONS=true"
            )
            result["profile"] = measure_profile(path, gateway, params["profile"], profile_file(out))
    finally:
        shutil.rmtree(state, ignore_errors=True)
    return _write_results(result, started, out)


# -- the run -------------------------------------------------------------------------------------------
def run(quick: bool, out: Path, keep: bool = False) -> dict:
    params = QUICK if quick else FULL
    started = time.perf_counter()
    result = _results_head(quick, "", params)
    state = Path(tempfile.mkdtemp(prefix="gatewaylab-bench-"))
    try:
        with Lab(state / "lab") as lab, contextlib.ExitStack() as stack:
            log("starting the backend, four ContextForge instances, the stdio bridge and the Docker gateway")
            paths, math, gateways = setup_paths(lab, stack)
            result["setup_s"] = round(time.perf_counter() - started, 1)
            result["paths"] = {}
            for key in PATH_LABELS:
                result["paths"][key] = paths[key].describe()
            log("per-call latency in one MCP session")
            result["latency"] = measure_latency(paths, params["latency"])
            log("pflow: probe, one-step and ten-step runs")
            result["pflow"] = measure_pflow(paths, params["pflow"], state)
            for key in PATH_LABELS:  # now with pflow's node names
                result["paths"][key] = paths[key].describe()
            log("throughput and memory")
            result["throughput"], result["memory"] = measure_throughput_and_memory(paths, params["throughput"])
            log("profile: py-spy on ContextForge with stateful sessions under load")
            result["profile"] = measure_profile(
                paths["cf_stateful"], gateways["cf-stateful"], params["profile"], profile_file(out)
            )
            log("sweep: stateful sessions plus one setting at a time, each against direct")
            result["sweep"] = measure_sweep(lab, paths, math, params["sweep"])
            log("latency model with injected delay")
            result["model"] = measure_model(lab, paths, math, gateways, params["model"], result["latency"], state)
            log("discovery as backends and tools grow")
            result["discovery"] = measure_discovery(lab, params["discovery"], state)
    finally:
        if keep:
            log(f"kept the lab's folder: {state}")
        else:
            shutil.rmtree(state, ignore_errors=True)
    return _write_results(result, started, out)


def _terminate(signum, frame):  # SIGTERM/SIGHUP behave like Ctrl-C: the Lab stops everything
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="What a gateway costs: latency, pflow runs, discovery, "
        "throughput and memory, direct and through each gateway path."
    )
    parser.add_argument("--quick", action="store_true", help="every path with small counts (a few minutes)")
    parser.add_argument("--out", type=Path, default=Path("benchmark-results.json"), help="results file (JSON)")
    parser.add_argument("--keep", action="store_true", help="keep the lab's folder (logs) after the run")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only the profile: py-spy on ContextForge with stateful sessions under load (the full run includes it)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    try:
        if args.profile:
            run_profile_only(args.quick, args.out)
        else:
            run(args.quick, args.out, args.keep)
    except KeyboardInterrupt:
        log("interrupted: every server the benchmark started has been stopped")
        return 130
    return 0
