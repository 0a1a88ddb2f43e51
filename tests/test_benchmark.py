"""scripts/benchmark.py --quick, run for real: every path measured or skipped with a reason, and the
results file sane. No timing assertions: only structure, counts and orderings that must hold anywhere.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys

import pytest
from gatewaylab import bench, benchreport, profiling
from gatewaylab import docker_gateway as dg
from gatewaylab.envs import REPO
from gatewaylab.procs import processes


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "benchmark.py"), "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def live(results: dict) -> list[str]:
    return [key for key, path in results["paths"].items() if path["status"] == "ok"]


def test_every_path_is_measured_or_skipped_with_a_reason(quick):
    assert list(quick["paths"]) == list(bench.PATH_LABELS)
    for key, path in quick["paths"].items():
        assert path["status"] in ("ok", "skipped"), key
        if path["status"] == "skipped":
            assert len(path["reason"]) > 20, key
    # Everything we start ourselves must have worked; the Docker gateway wherever it can run.
    assert set(live(quick)) >= {
        "direct",
        "cf_defaults",
        "cf_stateful",
        "cf_recommended",
        "cf_virtual",
        "cf_federated",
        "bridge",
    }
    docker = quick["paths"]["docker"]
    if dg.unavailable() is None:
        assert docker["status"] == "ok", docker
        assert docker["endpoint"] == "http://127.0.0.1:<port>/mcp" and docker["tool"] == "add"
    else:
        assert docker == {"label": bench.PATH_LABELS["docker"], "status": "skipped", "reason": dg.unavailable()}


def test_machine_versions_and_method_are_recorded(quick):
    assert quick["mode"] == "quick" and quick["schema"] == bench.SCHEMA
    machine = quick["machine"]
    assert machine["cores"] == os.cpu_count() and machine["cpu"] and machine["os"] and machine["memory_gb"] > 0
    assert machine["python"] == ".".join(map(str, sys.version_info[:3]))
    assert quick["versions"]["pflow"] == importlib.metadata.version("pflow-cli")
    assert quick["versions"]["mcp_client"] == importlib.metadata.version("mcp")
    assert quick["versions"]["contextforge"].startswith("1.")
    assert quick["method"] == json.loads(json.dumps(bench.QUICK))
    assert quick["timestamp"] and quick["run_time_s"] > 0


def _ordered(stats: dict) -> None:
    assert stats["min"] <= stats["p50"] <= stats["p95"] <= stats["p99"] <= stats["max"], stats


def test_latency_percentiles_are_ordered_and_counts_match_the_method(quick):
    params = quick["method"]["latency"]
    for key in live(quick):
        lat = quick["latency"][key]
        assert lat["errors"] == 0, key
        assert len(lat["samples"]) == len(lat["repeats"]) == params["repeats"]
        assert all(len(s) == params["calls"] for s in lat["samples"])
        assert lat["pooled"]["n"] == params["calls"] * params["repeats"]
        _ordered(lat["pooled"])
        for repeat in lat["repeats"]:
            _ordered(repeat)
        assert lat["spread"]["p50_min"] <= lat["spread"]["p50_max"]


def test_pflow_called_the_tool_of_each_path_under_its_expected_name(quick):
    for key in live(quick):
        path = quick["paths"][key]
        # pflow names a synced tool mcp-<server>-<tool>; the benchmark's server is "p".
        assert path["pflow_node"] == f"mcp-p-{path['tool']}"
        stats = quick["pflow"]["paths"][key]
        for kind in ("probe", "run_1", "run_10"):
            _ordered(stats[kind]["pooled"])
        assert set(stats["split"]) >= {"process_start_ms", "per_call_ms", "session_and_setup_ms"}
    assert quick["paths"]["cf_federated"]["tool"] == "far-" + quick["paths"]["cf_defaults"]["tool"]
    _ordered(quick["pflow"]["process_start"]["pooled"])


def test_pflow_sees_the_first_page_only_and_the_page_size_setting_fixes_it(quick):
    cases = quick["discovery"]["cases"]
    assert any(c["total_tools"] > 100 for c in cases), "no case exercises ContextForge's pagination"
    assert any(c["backends"] > 1 for c in cases)
    for case in cases:
        total = case["total_tools"]
        assert total == case["backends"] * case["tools_per_backend"]
        assert case["direct"]["pflow_tools_seen"] == total
        for label, page in (("contextforge", 100), ("contextforge_page_1000", 1000)):
            cf = case[label]
            assert cf["gateway_tools"] == cf["sdk_tools_all_pages"] == total, (label, case)
            assert cf["first_page"] == {"tools": min(total, page), "has_next_cursor": total > page}
            assert cf["pflow_tools_seen"] == min(total, page), (label, case)


def test_throughput_ran_at_every_client_count(quick):
    params = quick["method"]["throughput"]
    for key in live(quick):
        for clients in params["clients"]:
            level = quick["throughput"][key][str(clients)]
            assert len(level["runs"]) == params["repeats"]
            assert level["calls_per_s_min"] <= level["calls_per_s_median"] <= level["calls_per_s_max"]
            for run in level["runs"]:
                assert run["clients"] == clients and run["calls"] > 0 and run["setup_errors"] == 0, (key, run)


def test_memory_at_rest_and_under_load(quick):
    for key in live(quick):
        memory = quick["memory"][key]
        assert 0 < memory["rest_mb"] <= memory["load_peak_mb"], key
    # The federated path counts both ContextForge instances.
    assert quick["memory"]["cf_federated"]["processes"] == ["cf-near", "cf-defaults"]


def test_latency_model_relays_really_add_their_delay(quick):
    model = quick["model"]
    delays = model["delays_ms"]
    assert delays["client_gateway"] + delays["gateway_backend"] == delays["client_backend"]
    assert set(model["cases"]) == {"direct", "cf_defaults", "cf_stateful"}
    for key, case in model["cases"].items():
        _ordered(case["pooled"])
        # A relay holds data for the delay: no call can beat the network time it adds.
        assert case["pooled"]["min"] >= delays["client_backend"], key
        assert case["additive_prediction_p50"] == pytest.approx(case["loopback_p50"] + delays["client_backend"])


def test_report_renders_every_table_and_figure_from_a_fresh_run(quick, tmp_path):
    tables = benchreport.tables(quick)
    assert all(text.strip() for text in tables.values())
    for key in live(quick):
        assert quick["paths"][key]["label"] in tables["latency.md"]
    written = benchreport.figures(quick, tmp_path)
    assert sorted(p.name for p in written) == sorted(benchreport.FIGURE_NAMES)
    assert all(p.stat().st_size > 1000 for p in written)


def test_profile_sorted_the_samples_of_contextforge_under_load(quick, tmp_path):
    profile = quick["profile"]
    assert profile["path"] == "cf_stateful" and profile["samples"] > 0
    assert profile["load"]["calls"] > 0 and profile["load"]["errors"] == profile["load"]["setup_errors"] == 0
    assert list(profile["categories"]) == profiling.CATEGORIES
    assert sum(profile["categories"].values()) == pytest.approx(100, abs=1)
    # A call through ContextForge runs its server framework and checks the token every time.
    assert profile["categories"]["server framework"] > 0 and profile["categories"]["auth"] > 0
    assert profile["top_self"] and profile["top_inclusive"] and profile["tree"]["value"] == profile["samples"]
    assert profile["python_ms_per_call"] > 0


def test_sweep_ran_its_variants_against_direct(quick):
    params = quick["method"]["sweep"]
    assert list(quick["sweep"]["variants"]) == params["variants"]
    for name, entry in quick["sweep"]["variants"].items():
        assert entry["status"] == "ok" and entry["errors"] == 0, (name, entry)
        assert entry["settings"]["USE_STATEFUL_SESSIONS"] == "true"
        assert entry["p50_ms"] > 0 and entry["direct_p50_ms"] > 0 and entry["calls_per_s"] > 0
    settings, options = bench.recommended_setup()
    recommended = quick["sweep"]["variants"]["recommended"]
    assert recommended["settings"] == settings and recommended["options"] == options
    assert "reached" in benchreport.tables(quick)["sweep.md"]


def test_nothing_is_left_running(quick):
    marks = ("gatewaylab.benchservers", "gatewaylab.relay", "gatewaylab-bench-", "py-spy")
    leftovers = [f"{p.pid}: {p.cmdline[:200]}" for p in processes() if any(m in p.cmdline for m in marks)]
    assert not leftovers, leftovers


def test_categoriser_patterns_name_real_contextforge_modules_and_functions():
    """Every ContextForge module (and function) a category names exists in the installed package."""
    site = next((REPO / ".venvs" / "contextforge" / "lib").glob("python3*/site-packages"))
    files = {str(f.relative_to(site)): f for f in (site / "mcpgateway").rglob("*.py")}
    for name, patterns in profiling.PURPOSES + profiling.KINDS:
        for pattern in (p for p in patterns if "mcpgateway" in p):
            function, _, module = pattern.rpartition(" \\(")
            hits = [f for path, f in files.items() if re.search(module, path)]
            assert hits, (name, pattern)
            if function:
                assert any(re.search(rf"def {function}\(", f.read_text()) for f in hits), (name, pattern)


def test_categoriser_prefers_the_purpose_over_the_kind_of_work():
    auth_query = (
        "main (uvicorn/main.py:61)",
        "_check_streamable_permission (mcpgateway/transports/streamablehttp_transport.py:1230)",
        "PermissionService._get_user_roles (mcpgateway/services/permission_service.py:300)",
        "Session.execute (sqlalchemy/orm/session.py:2300)",
    )
    assert profiling.category(auth_query) == "auth"
    assert profiling.category(auth_query[:1] + auth_query[3:]) == "database"
    upstream = ("Router.__call__ (starlette/routing.py:700)", "AsyncClient.send (httpx2/_client.py:1600)")
    assert profiling.category(upstream) == "upstream session (MCP client)"
    assert profiling.category(("Router.__call__ (starlette/routing.py:700)",)) == "server framework"
    assert profiling.category(("f (somewhere/else.py:1)",)) == "other"
    raw = 'process 1:"mcpgateway";main (uvicorn/main.py:61);f (somewhere/else.py:1) 3\nprocess 1:"x" 2\n'
    summary = profiling.summarise(profiling.parse(raw))
    assert summary["samples"] == 5 and summary["categories"]["other"] == 40.0
