"""Tables and figures for docs/explanation/cost.md, made from one results file of `scripts/benchmark.py`.

    .venv/bin/python scripts/benchmark_report.py docs/explanation/cost-results.json

writes the Markdown tables to snippets/cost/*.md and the figures to docs/explanation/cost-figures/*.svg.
`tables(results)` alone returns the tables, so a test can check the page against the results file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .envs import REPO

SNIPPETS = REPO / "snippets" / "cost"
FIGURES = REPO / "docs" / "explanation" / "cost-figures"
RESULTS = REPO / "docs" / "explanation" / "cost-results.json"

GATEWAYS = ["cf_defaults", "cf_stateful", "cf_virtual", "cf_federated", "bridge", "docker"]


def _ms(x: float | None) -> str:
    if x is None:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}"


def _ratio(x: float, base: float) -> str:
    return f"{x / base:.1f}×" if base else "–"


def _label(results: dict, key: str) -> str:
    return results["paths"][key]["label"]


def _live(results: dict) -> list[str]:
    return [k for k, p in results["paths"].items() if p["status"] == "ok"]


def _skipped(results: dict) -> list[str]:
    return [k for k, p in results["paths"].items() if p["status"] != "ok"]


# -- tables ---------------------------------------------------------------------------------------------
def table_machine(r: dict) -> str:
    m, v = r["machine"], r["versions"]
    rows = [
        ("Measured", f"{r['timestamp']} (`{r['command']}`, {r['run_time_s'] / 60:.0f} min)"),
        ("CPU", f"{m['cpu']}, {m['cores']} cores"),
        ("Memory", f"{m['memory_gb']} GB"),
        ("OS", m["os"]),
        ("Python", f"{m['python']} (pflow, clients, backends); {v.get('python_contextforge', '?')} (ContextForge)"),
        (
            "Versions",
            f"pflow-cli {v['pflow']}, mcp {v['mcp_client']} (client side); ContextForge "
            f"{v.get('contextforge', '?')} with mcp {v.get('mcp_contextforge', '?')}",
        ),
        (
            "Load average",
            f"{m['load_average_at_start'][0]:.2f} at the start, {m['load_average_at_end'][0]:.2f} at the end",
        ),
    ]
    return "| | |\n| --- | --- |\n" + "".join(f"| {a} | {b} |\n" for a, b in rows)


def table_paths(r: dict) -> str:
    out = "| Path | Endpoint pflow and the client use | Tool called | Notes |\n| --- | --- | --- | --- |\n"
    for p in r["paths"].values():
        if p["status"] == "ok":
            out += f"| {p['label']} | `{p['endpoint']}` | `{p['tool']}` | {p['note']} |\n"
        else:
            out += f"| {p['label']} | – | – | **not measured**: {p['reason']} |\n"
    return out


def table_latency(r: dict) -> str:
    lat, params = r["latency"], r["method"]["latency"]
    base = lat["direct"]["pooled"]["p50"]
    out = (
        "| Path | p50 ms | p95 ms | p99 ms | p50 by repeat | p50 over direct | errors |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    for key in _live(r):
        s = lat[key]
        p = s["pooled"]
        out += (
            f"| {_label(r, key)} | {_ms(p['p50'])} | {_ms(p['p95'])} | {_ms(p['p99'])} | "
            f"{_ms(s['spread']['p50_min'])}–{_ms(s['spread']['p50_max'])} | {_ratio(p['p50'], base)} | "
            f"{s['errors']} |\n"
        )
    out += (
        f"\n{params['calls']} timed calls in one MCP session per path and repeat, after {params['warmup']} "
        f"warm-up calls; {params['repeats']} repeats, paths interleaved. Percentiles pool all "
        f"{params['calls'] * params['repeats']} calls of a path.\n"
    )
    return out


def table_pflow(r: dict) -> str:
    pf, params = r["pflow"], r["method"]["pflow"]
    base = pf["paths"]["direct"]
    out = (
        "| Path | `pflow probe` | one-step run | ten-step run | per call | session and setup | "
        "one-step over direct |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    for key in _live(r):
        s = pf["paths"][key]
        out += (
            f"| {_label(r, key)} | {_ms(s['probe']['pooled']['p50'])} | {_ms(s['run_1']['pooled']['p50'])} | "
            f"{_ms(s['run_10']['pooled']['p50'])} | {_ms(s['split']['per_call_ms'])} | "
            f"{_ms(s['split']['session_and_setup_ms'])} | "
            f"{s['run_1']['pooled']['p50'] - base['run_1']['pooled']['p50']:+,.0f} ms |\n"
        )
    start = pf["process_start"]["pooled"]
    n = params["runs"] * params["repeats"]
    out += (
        f"\nMedians in ms of {n} runs of each command per path ({params['repeats']} repeats of "
        f"{params['runs']}, after {params['warmup']} warm-up run). Process start (`pflow --version`): "
        f"{_ms(start['p50'])} ms at the median (p95 {_ms(start['p95'])} ms). "
        "Per call = (ten-step − one-step) / 9; session and setup = one-step − process start − per call.\n"
    )
    return out


def table_throughput(r: dict) -> str:
    tp, params = r["throughput"], r["method"]["throughput"]
    clients = [str(c) for c in params["clients"]]
    out = (
        "| Path | "
        + " | ".join(f"{c} client{'s' if c != '1' else ''}" for c in clients)
        + " | errors |\n| --- |"
        + " ---: |" * (len(clients) + 1)
        + "\n"
    )
    for key in _live(r):
        cells = []
        for c in clients:
            s = tp[key][c]
            cells.append(f"{s['calls_per_s_median']:,.0f} ({s['calls_per_s_min']:,.0f}–{s['calls_per_s_max']:,.0f})")
        errors = sum(tp[key][c]["errors"] for c in clients)
        out += f"| {_label(r, key)} | " + " | ".join(cells) + f" | {errors} |\n"
    out += (
        f"\nCalls per second, median (lowest–highest) of {params['repeats']} runs of "
        f"{params['seconds']:g} s each; every client is its own MCP session, all in one Python process "
        "on the same two cores as the servers.\n"
    )
    return out


def table_memory(r: dict) -> str:
    out = "| Path | at rest, MB | peak under load, MB | processes measured |\n| --- | ---: | ---: | --- |\n"
    for key in _live(r):
        m = r["memory"].get(key)
        if m:
            out += (
                f"| {_label(r, key)} | {m['rest_mb']:,.0f} | {m['load_peak_mb']:,.0f} | "
                f"{', '.join(m['processes'])} (each with its whole process group) |\n"
            )
    out += (
        "\nResident memory (RSS) summed over every process of each process group; at rest = after the "
        "latency and pflow runs, before the throughput runs; peak = highest sample (every 0.2 s) during "
        "them.\n"
    )
    return out


def table_discovery(r: dict) -> str:
    d = r["discovery"]
    out = (
        "| Backends × tools | Direct: `pflow mcp sync --all` | pflow saw | ContextForge: registering | "
        "`pflow mcp sync` | pflow saw | all pages (SDK) | `MCP_LIST_PAGE_SIZE=1000`: pflow saw |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    for case in d["cases"]:
        cf, big = case["contextforge"], case["contextforge_page_1000"]
        out += (
            f"| {case['backends']} × {case['tools_per_backend']} = {case['total_tools']:,} | "
            f"{_ms(case['direct']['pflow_sync_ms'])} ms | {case['direct']['pflow_tools_seen']:,} | "
            f"{_ms(cf['register_ms'])} ms | {_ms(cf['pflow_sync_ms'])} ms | {cf['pflow_tools_seen']:,} | "
            f"{cf['sdk_tools_all_pages']:,} in {_ms(cf['sdk_list_all_pages_ms'])} ms | "
            f"{big['pflow_tools_seen']:,} |\n"
        )
    out += (
        "\nOne run per case. Times are wall-clock ms of the whole command (pflow's process start included); "
        "registering is every `POST /v1/gateways` of the case, one after the other.\n"
    )
    return out


def table_model(r: dict) -> str:
    m = r["model"]
    d = m["delays_ms"]
    names = {
        "direct": f"Direct, {d['client_backend']} ms to the backend",
        "cf_defaults": f"ContextForge defaults, {d['client_gateway']} ms + {d['gateway_backend']} ms",
        "cf_stateful": f"ContextForge stateful, {d['client_gateway']} ms + {d['gateway_backend']} ms",
    }
    out = (
        "| Route | loopback p50 | additive prediction | measured p50 | p95 | excess | "
        "excess in backend round trips | pflow one-step run |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    for key, s in m["cases"].items():
        trips = s.get("excess_in_backend_round_trips")
        out += (
            f"| {names[key]} | {_ms(s['loopback_p50'])} | {_ms(s['additive_prediction_p50'])} | "
            f"{_ms(s['pooled']['p50'])} | {_ms(s['pooled']['p95'])} | {s['excess_over_prediction_ms']:+.1f} | "
            f"{'–' if trips is None else f'{trips:+.1f}'} | {_ms(s.get('pflow_run_1', {}).get('p50'))} |\n"
        )
    p = r["method"]["model"]
    out += (
        f"\nms. Each delay is a round trip, added half each way by a relay. Additive prediction = the path's "
        f"loopback p50 + {d['client_backend']} ms of network. {p['calls']} calls × {p['repeats']} repeats "
        f"after {p['warmup']} warm-up calls; pflow: median of {p['pflow_runs']} runs.\n"
    )
    return out


REGENERATE = (
    "`.venv/bin/python scripts/benchmark.py --out docs/explanation/cost-results.json` and then "
    "`.venv/bin/python scripts/benchmark_report.py`"
)


def not_measured(what: str) -> str:
    return f"*Not measured yet: the committed results file has no {what}. {REGENERATE} measure it.*\n"


def table_profile(r: dict) -> str:
    if "profile" not in r:
        return not_measured("profile")
    pr, params = r["profile"], r["method"]["profile"]
    out = "| Where the time goes | share of samples |\n| --- | ---: |\n"
    for name, share in sorted(pr["categories"].items(), key=lambda kv: -kv[1]):
        out += f"| {name} | {share:.1f} % |\n"
    out += "\n| Function (most samples of its own) | share |\n| --- | ---: |\n"
    for row in pr["top_self"][:10]:
        out += f"| `{row['function']}` | {row['share']:.1f} % |\n"
    load = pr["load"]
    out += (
        f"\n{pr['samples']:,} samples of ContextForge ({_label(r, pr['path'])}, every process) in "
        f"{params['seconds']} s at {params['rate']} per second, taken by py-spy only while a thread held "
        f"Python's GIL, that is, while ContextForge ran Python. The load: {pr['clients']} clients of the "
        f"benchmark, {load['calls_per_s']:,.0f} calls/s, {load['errors']} errors: about "
        f"{pr['python_ms_per_call']:.1f} ms of Python per call (samples ÷ rate ÷ calls). A sample counts for the "
        "innermost frame on its stack that says what the work was for (auth, tool lookup, plugins, metrics "
        "and logging, the upstream session); if none does, for the kind of work (database, serialisation, the "
        "server framework, which includes the MCP SDK's server side).\n"
    )
    return out


GOAL = {"over_direct": 3.0, "calls_per_s": 150}


def _setting_cell(entry: dict) -> str:
    words = [f"`{k}={v}`" for k, v in entry["settings"].items() if not v.startswith("redis://")]
    words += [f"`{k}=redis://…`" for k, v in entry["settings"].items() if v.startswith("redis://")]
    if entry["options"]:
        words.append(f"`{' '.join(entry['options'])}`")
    return ", ".join(words)


def table_sweep(r: dict) -> str:
    if "sweep" not in r:
        return not_measured("sweep")
    params = r["method"]["sweep"]
    top = max(params["throughput"]["clients"])
    out = (
        f"| Variant | settings and flags | p50 ms | direct p50 ms | p50 over direct | calls/s, {top} clients | "
        f"direct calls/s | at rest, MB | errors |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    for entry in r["sweep"]["variants"].values():
        if entry["status"] != "ok":
            out += f"| {entry['label']} | {_setting_cell(entry)} | – | – | – | – | – | – | **{'not measured' if entry['status'] == 'skipped' else 'failed'}**: {entry['reason']} |\n"
            continue
        out += (
            f"| {entry['label']} | {_setting_cell(entry)} | {_ms(entry['p50_ms'])} | {_ms(entry['direct_p50_ms'])} | "
            f"{entry['over_direct']:.1f}× | {entry['calls_per_s']:,.0f} | {entry['direct_calls_per_s']:,.0f} | "
            f"{entry['rest_mb']:,.0f} | {entry['errors']} |\n"
        )
    lat = params["latency"]
    out += (
        f"\nEach variant in its own block: {lat['calls']} timed calls in one session after {lat['warmup']} warm-up "
        f"calls, {lat['repeats']} repeats alternating with direct, then {params['throughput']['repeats']} runs of "
        f"{params['throughput']['seconds']:g} s with {top} clients on each. Every variant has "
        "`USE_STATEFUL_SESSIONS=true`; all but the two that the main paths run are started for their block alone.\n"
    )
    ok = [e for e in r["sweep"]["variants"].values() if e["status"] == "ok"]
    if ok:
        best = min(ok, key=lambda e: e["over_direct"])
        reached = best["over_direct"] <= GOAL["over_direct"] and best["calls_per_s"] >= GOAL["calls_per_s"]
        out += (
            f"\nThe goal, at most {GOAL['over_direct']:g}× direct per call and at least {GOAL['calls_per_s']} calls/s "
            f"at {top} clients: **{'reached' if reached else 'not reached'}**. The lowest ratio was "
            f"{best['over_direct']:.1f}× ({best['label']}, {best['calls_per_s']:,.0f} calls/s).\n"
        )
    return out


def _p50s(r: dict) -> dict[str, float]:
    return {k: v["pooled"]["p50"] for k, v in r["latency"].items()}


def _finding_sessions(r: dict) -> str:
    lat = _p50s(r)
    d, cf, st = lat["direct"], lat["cf_defaults"], lat["cf_stateful"]
    return (
        f"- **Turn on stateful sessions.** With defaults ContextForge opens a new session to the backend for "
        f"every call: {_ms(cf)} ms per call at the median, against {_ms(d)} ms direct. With "
        f"`USE_STATEFUL_SESSIONS=true` it took {_ms(st)} ms ({cf / st:.1f}× faster than defaults, still "
        f"{st / d:.1f}× direct). [Per-call latency](#per-call-latency)"
    )


def _finding_one_run(r: dict) -> str:
    run1 = {k: v["run_1"]["pooled"]["p50"] for k, v in r["pflow"]["paths"].items()}
    start = r["pflow"]["process_start"]["pooled"]["p50"]
    extra = run1["cf_defaults"] - run1["direct"]
    lead = (
        "For one short pflow run, the gateway is not what you wait for."
        if extra < start
        else "Even one short pflow run feels the gateway."
    )
    return (
        f"- **{lead}** A one-step workflow took "
        f"{_ms(run1['direct'])} ms direct and {_ms(run1['cf_defaults'])} ms through ContextForge with defaults; "
        f"starting pflow alone (`pflow --version`) takes {_ms(start)} ms. [What pflow pays](#what-pflow-pays)"
    )


def _finding_per_step(r: dict) -> str:
    pf = r["pflow"]["paths"]
    per = {k: v["split"]["per_call_ms"] for k, v in pf.items()}
    return (
        f"- **Long workflows pay per step.** Each extra step cost {_ms(per['direct'])} ms direct, "
        f"{_ms(per['cf_defaults'])} ms through ContextForge defaults and {_ms(per['cf_stateful'])} ms with "
        f"stateful sessions: a ten-step run took {_ms(pf['direct']['run_10']['pooled']['p50'])}, "
        f"{_ms(pf['cf_defaults']['run_10']['pooled']['p50'])} and {_ms(pf['cf_stateful']['run_10']['pooled']['p50'])} ms. "
        "[What pflow pays](#what-pflow-pays)"
    )


def _finding_hops(r: dict) -> str:
    """The virtual server, federation and the stdio bridge, each against its neighbour."""
    lat = _p50s(r)
    d, cf = lat["direct"], lat["cf_defaults"]
    bridge = "The stdio bridge is cheap." if lat["bridge"] < 2 * d else "The stdio bridge has a price."
    return (
        f"- **A virtual server costs about what `/mcp` costs** ({_ms(lat['cf_virtual'])} against {_ms(cf)} ms per "
        "call): use one to show pflow a short, chosen tool list, not for speed. [Per-call latency](#per-call-latency)\n"
        f"- **Each federated hop adds a whole gateway.** Through two ContextForge instances a call took "
        f"{_ms(lat['cf_federated'])} ms, against {_ms(cf)} ms through one. [Per-call latency](#per-call-latency)\n"
        f"- **{bridge}** `mcpgateway.translate` in front of a stdio server answered in "
        f"{_ms(lat['bridge'])} ms per call ({lat['bridge'] / d:.1f}× direct HTTP). [Per-call latency](#per-call-latency)"
        + _docker_hop(lat, d)
    )


def _docker_hop(lat: dict, direct: float) -> str:
    """The Docker MCP Gateway in front of a remote server, when the run measured it."""
    if "docker" not in lat:
        return ""
    return (
        f"\n- **A gateway hop can cost little.** The Docker MCP Gateway in front of the same backend (a remote "
        f"server in its catalog) answered in {_ms(lat['docker'])} ms per call ({lat['docker'] / direct:.1f}× "
        "direct). [Per-call latency](#per-call-latency)"
    )


def _finding_page_size(r: dict) -> str:
    big = max(r["discovery"]["cases"], key=lambda c: c["total_tools"])
    return (
        f"- **Raise the page size when a gateway holds more than 100 tools.** pflow reads only the first page of "
        f"`tools/list`: with {big['total_tools']:,} tools behind ContextForge it saw "
        f"{big['contextforge']['pflow_tools_seen']:,}; with `MCP_LIST_PAGE_SIZE=1000` (the highest value "
        f"ContextForge accepts) it saw {big['contextforge_page_1000']['pflow_tools_seen']:,}. A virtual server "
        "with only the tools a workflow needs keeps the list short. [Discovery](#discovery)"
    )


def _finding_load(r: dict) -> str:
    """Throughput and memory."""
    tp, mem = r["throughput"], r["memory"]
    top = str(max(r["method"]["throughput"]["clients"]))
    return (
        f"- **Under concurrent load the gateway is the bottleneck.** With {top} clients: "
        f"{tp['direct'][top]['calls_per_s_median']:,.0f} calls/s direct, "
        f"{tp['cf_defaults'][top]['calls_per_s_median']:,.0f} through ContextForge defaults, "
        f"{tp['cf_stateful'][top]['calls_per_s_median']:,.0f} with stateful sessions. [Throughput](#throughput)\n"
        f"- **Budget memory for the gateway.** ContextForge held {mem['cf_defaults']['rest_mb']:,.0f} MB at rest "
        f"and up to {mem['cf_defaults']['load_peak_mb']:,.0f} MB under load; the backend it fronts "
        f"{mem['direct']['rest_mb']:,.0f} MB. [Memory](#memory)"
    )


def _finding_network(r: dict) -> str:
    model = r["model"]["cases"]
    return (
        f"- **Over a real network the overhead is not additive with defaults.** With "
        f"{r['model']['delays_ms']['gateway_backend']} ms between gateway and backend, a call through defaults "
        f"cost {model['cf_defaults']['excess_over_prediction_ms']:+.0f} ms more than loopback overhead plus "
        f"network time (about {model['cf_defaults']['excess_in_backend_round_trips']:+.1f} backend round trips: "
        f"the new session's handshake); with stateful sessions "
        f"{model['cf_stateful']['excess_over_prediction_ms']:+.0f} ms. Put the gateway next to its backends. "
        "[Network distance](#network-distance)"
    )


def _finding_direct(r: dict) -> str:
    lat = _p50s(r)
    slowest = min(lat[k] / lat["direct"] for k in _live(r) if k.startswith("cf_"))
    return (
        f"- **When direct is better:** when pflow can reach the servers itself and speed matters. Every "
        f"ContextForge path took at least {slowest:.1f}× the direct time per call. A gateway earns its place by "
        "what it gives (one endpoint, credentials kept out of pflow, one place for policy), not by speed. "
        "[Per-call latency](#per-call-latency)"
    )


def _finding_profile(r: dict) -> str:
    if "profile" not in r:
        return ""
    shares = sorted(r["profile"]["categories"].items(), key=lambda kv: -kv[1])[:3]
    return (
        "- **With stateful sessions, most of ContextForge's time is its own request handling.** Of the samples "
        "where it ran Python: " + ", ".join(f"{name} {share:.0f} %" for name, share in shares) + ". "
        "[Where a call's time goes](#where-a-calls-time-goes)"
    )


def _finding_recommended(r: dict) -> str:
    if "cf_recommended" not in r["latency"] or "sweep" not in r:
        return ""
    lat, tp = _p50s(r), r["throughput"]
    top = str(max(r["method"]["throughput"]["clients"]))
    best = lat["cf_recommended"]
    reached = (
        best / lat["direct"] <= GOAL["over_direct"]
        and tp["cf_recommended"][top]["calls_per_s_median"] >= GOAL["calls_per_s"]
    )
    return (
        f"- **The fastest setup measured** ([`fast.env`](#the-recommended-setup)) took {_ms(best)} ms per call "
        f"({best / lat['direct']:.1f}× direct) and served {tp['cf_recommended'][top]['calls_per_s_median']:,.0f} "
        f"calls/s at {top} clients; the goal of at most {GOAL['over_direct']:g}× and {GOAL['calls_per_s']} calls/s is "
        f"{'reached' if reached else 'not reached'}. [Settings that might help](#settings-that-might-help)"
    )


FINDINGS = [
    _finding_sessions,
    _finding_recommended,
    _finding_profile,
    _finding_one_run,
    _finding_per_step,
    _finding_hops,
    _finding_page_size,
    _finding_load,
    _finding_network,
    _finding_direct,
]


def findings(r: dict) -> str:
    """Advice with the numbers that back it, each linked to its table."""
    return "\n".join(line for line in (finding(r) for finding in FINDINGS) if line) + "\n"


def tables(results: dict) -> dict[str, str]:
    """Every Markdown snippet of the page, by file name."""
    return {
        "machine.md": table_machine(results),
        "paths.md": table_paths(results),
        "latency.md": table_latency(results),
        "pflow.md": table_pflow(results),
        "throughput.md": table_throughput(results),
        "memory.md": table_memory(results),
        "discovery.md": table_discovery(results),
        "model.md": table_model(results),
        "profile.md": table_profile(results),
        "sweep.md": table_sweep(results),
        "findings.md": findings(results),
    }


# -- figures --------------------------------------------------------------------------------------------
# Each figure is drawn by one function from the results, the live paths and their labels.
def _latency_figure(plt, r: dict, live: list[str], labels: list[str]):
    """Per-call latency: one box per path, whiskers at p5 and p95, log scale."""
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(live) + 1.2))
    data = [[x for rep in r["latency"][k]["samples"] for x in rep] for k in live]
    ax.boxplot(data, orientation="horizontal", whis=(5, 95), showfliers=False, tick_labels=labels, widths=0.6)
    for i, k in enumerate(live, start=1):
        ax.plot([r["latency"][k]["pooled"]["p99"]], [i], marker="|", color="crimson", markersize=12)
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.set_title("box p25–p75, line p50, whiskers p5–p95, red mark p99", fontsize=9)
    ax.set_xlabel("ms per tools/call in one MCP session (log scale)")
    return fig


def _pflow_figure(plt, r: dict, live: list[str], labels: list[str]):
    """pflow: whole-command times, medians, next to pflow's bare start."""
    fig, ax = plt.subplots(figsize=(8, 0.75 * len(live) + 1.4))
    kinds = [
        ("probe", "pflow probe", "#7986cb"),
        ("run_1", "one-step run", "#3949ab"),
        ("run_10", "ten-step run", "#ef6c00"),
    ]
    height = 0.8 / len(kinds)
    for j, (kind, name, color) in enumerate(kinds):
        ys = [i + (j - 1) * height for i in range(len(live))]
        medians = [r["pflow"]["paths"][k][kind]["pooled"]["p50"] for k in live]
        ax.barh(ys, medians, height * 0.9, color=color, label=name)
    start = r["pflow"]["process_start"]["pooled"]["p50"]
    ax.axvline(start, color="black", ls="--", lw=1, label="pflow --version")
    ax.set_yticks(range(len(live)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("ms per pflow command (medians)")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _discovery_figure(plt, r: dict, live: list[str], labels: list[str]):
    """Discovery: sync time and tools seen as tools grow."""
    import matplotlib.ticker

    cases = sorted(r["discovery"]["cases"], key=lambda c: (c["total_tools"], c["backends"]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for series, name, color in (
        ("direct", "direct", "#2e7d32"),
        ("contextforge", "ContextForge", "#c62828"),
        ("contextforge_page_1000", "ContextForge, page size 1000", "#1565c0"),
    ):
        for many, style, marker in ((False, "-", "o"), (True, ":", "s")):
            pts = [c for c in cases if (c["backends"] > 1) == many]
            if not pts:
                continue
            xs = [c["total_tools"] for c in pts]
            label = f"{name}, {'several backends' if many else 'one backend'}"
            left.plot(xs, [c[series]["pflow_sync_ms"] for c in pts], style, marker=marker, color=color, label=label)
            right.plot(xs, [c[series]["pflow_tools_seen"] for c in pts], style, marker=marker, color=color, label=label)
    scalar = matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:,.0f}")
    left.set(xscale="log", xlabel="tools behind the endpoint(s)", ylabel="ms for pflow mcp sync")
    right.set(xscale="log", yscale="log", xlabel="tools behind the endpoint(s)", ylabel="tools pflow registered")
    for axis in (left.xaxis, right.xaxis, right.yaxis):
        axis.set_major_formatter(scalar)
        axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    right.axhline(100, color="grey", lw=0.8, ls="--")
    left.legend(fontsize=7)
    return fig


def _throughput_figure(plt, r: dict, live: list[str], labels: list[str]):
    """Throughput against clients."""
    fig, ax = plt.subplots(figsize=(8, 4))
    clients = r["method"]["throughput"]["clients"]
    for k, label in zip(live, labels, strict=True):
        ax.plot(clients, [r["throughput"][k][str(c)]["calls_per_s_median"] for c in clients], marker="o", label=label)
    ax.set(xscale="log", yscale="log", xlabel="concurrent clients (one MCP session each)", ylabel="calls per second")
    ax.set_xticks(clients, [str(c) for c in clients])
    ax.legend(fontsize=8)
    return fig


def _model_figure(plt, r: dict, live: list[str], labels: list[str]):
    """The latency model: measured against the additive prediction."""
    m = r["model"]["cases"]
    keys = list(m)
    fig, ax = plt.subplots(figsize=(8, 3))
    ys = list(range(len(keys)))
    predicted = [m[k]["additive_prediction_p50"] for k in keys]
    ax.barh([y - 0.2 for y in ys], predicted, 0.38, color="#bdbdbd", label="loopback p50 + network time (additive)")
    ax.barh([y + 0.2 for y in ys], [m[k]["pooled"]["p50"] for k in keys], 0.38, color="#3949ab", label="measured p50")
    ax.set_yticks(list(ys), [_label(r, k) for k in keys])
    ax.invert_yaxis()
    ax.set_xlabel("ms per call with injected network delay")
    ax.legend(fontsize=8)
    return fig


CATEGORY_COLOURS = {
    "auth": "#e53935",
    "plugins": "#8e24aa",
    "metrics and logging writes": "#fb8c00",
    "tool lookup": "#fdd835",
    "upstream session (MCP client)": "#43a047",
    "database": "#1e88e5",
    "serialisation": "#00acc1",
    "server framework": "#9e9e9e",
    "other": "#d7ccc8",
}


def _flamegraph_figure(plt, r: dict, live: list[str], labels: list[str]):
    """The profile's call tree as an icicle: root at the top, each frame as wide as its samples."""
    if "profile" not in r:
        fig, ax = plt.subplots(figsize=(8, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, "Not measured yet: the results file has no profile.", ha="center", va="center")
        return fig
    tree = r["profile"]["tree"]
    total = tree["value"]
    bars: list[tuple[int, float, float, dict]] = []

    def walk(node: dict, depth: int, left: float) -> int:
        bars.append((depth, left, node["value"] / total, node))
        deepest, x = depth, left
        for child in node.get("children", []):
            deepest = max(deepest, walk(child, depth + 1, x))
            x += child["value"] / total
        return deepest

    depth = walk(tree, 0, 0.0)
    fig, ax = plt.subplots(figsize=(12, 0.16 * (depth + 1) + 1.2))
    for level, left, width, node in bars:
        ax.barh(level, width, left=left, height=0.92, color=CATEGORY_COLOURS.get(node.get("category", "other")))
        if width > 0.07:
            text = node["name"].rsplit("/", 1)[-1]
            limit = int(width * 150)
            ax.text(
                left + 0.002, level, text if len(text) <= limit else text[: limit - 1] + "…", va="center", fontsize=5
            )
    ax.set_ylim(depth + 0.6, -0.6)
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel("share of samples (frames under 0.5 % of the samples left out)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in CATEGORY_COLOURS.values()]
    ax.legend(handles, list(CATEGORY_COLOURS), fontsize=6, ncol=5, loc="lower left", bbox_to_anchor=(0, 1.0))
    return fig


DRAWERS = {
    "latency.svg": _latency_figure,
    "pflow.svg": _pflow_figure,
    "discovery.svg": _discovery_figure,
    "throughput.svg": _throughput_figure,
    "model.svg": _model_figure,
    "flamegraph.svg": _flamegraph_figure,
}
FIGURE_NAMES = list(DRAWERS)


def figures(results: dict, out_dir: Path) -> list[Path]:
    """Draw every figure as SVG into `out_dir`; the same results give the same bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "gateway-cost",
            "svg.fonttype": "none",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    live = _live(results)
    labels = [_label(results, k) for k in live]
    written = []
    for name, draw in DRAWERS.items():
        fig = draw(plt, results, live, labels)
        fig.tight_layout()
        path = out_dir / name
        fig.savefig(path, format="svg", metadata={"Date": None})
        plt.close(fig)
        written.append(path)
    return written


def write(results_path: Path, snippets: Path = SNIPPETS, figures_dir: Path = FIGURES) -> None:
    results = json.loads(results_path.read_text())
    snippets.mkdir(parents=True, exist_ok=True)
    for name, text in tables(results).items():
        (snippets / name).write_text(text)
    figures(results, figures_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="?", default=RESULTS)
    parser.add_argument("--snippets", type=Path, default=SNIPPETS)
    parser.add_argument("--figures", type=Path, default=FIGURES)
    args = parser.parse_args(argv)
    write(args.results, args.snippets, args.figures)
    print(f"tables in {args.snippets}, figures in {args.figures}")
    return 0
