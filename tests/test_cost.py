"""Claims of docs/explanation/cost.md: its tables and figures are exactly what the committed results
file gives, and that file is one full run of the benchmark with every path accounted for.
"""

import json
import re
import subprocess

import pytest
from gatewaylab import bench, benchreport
from gatewaylab.envs import REPO, contextforge_bin
from gatewaylab.lab import Lab

PAGE = REPO / "docs" / "explanation" / "cost.md"


@pytest.fixture(scope="module")
def results() -> dict:
    return json.loads(benchreport.RESULTS.read_text())


def test_committed_results_are_one_full_run_with_every_path(results):
    assert results["mode"] == "full"
    assert results["command"] == "python scripts/benchmark.py"
    full = json.loads(json.dumps(bench.FULL))
    # A results file from before a part was added lacks that part; the page says "not measured yet".
    missing = set(full) - set(results["method"])
    assert missing <= set(bench.ADDED_LATER), missing
    assert results["method"] == {key: value for key, value in full.items() if key not in missing}
    for part in missing:
        assert part not in results
    # Paths added after the committed run are missing from it, the others in the benchmark's order.
    assert list(results["paths"]) == [key for key in bench.PATH_LABELS if key in results["paths"]]
    assert set(bench.PATH_LABELS) - set(results["paths"]) <= set(bench.ADDED_LATER_PATHS)
    for path in results["paths"].values():
        assert path["status"] == "ok" or path["reason"]


@pytest.mark.parametrize("name", sorted(benchreport.tables(json.loads(benchreport.RESULTS.read_text()))))
def test_page_tables_are_regenerated_from_the_results_file(results, name):
    expected = benchreport.tables(results)[name]
    shown = (benchreport.SNIPPETS / name).read_text()
    assert shown == expected, f"snippets/cost/{name} is stale: run scripts/benchmark_report.py"
    assert f'--8<-- "snippets/cost/{name}"' in PAGE.read_text()


def test_page_shows_every_figure_and_each_figure_exists():
    page = PAGE.read_text()
    for name in benchreport.FIGURE_NAMES:
        assert f"(cost-figures/{name})" in page
        assert (benchreport.FIGURES / name).stat().st_size > 1000


def test_figures_regenerate_from_the_results_file(results, tmp_path):
    written = benchreport.figures(results, tmp_path)
    assert sorted(p.name for p in written) == sorted(benchreport.FIGURE_NAMES)


def test_every_finding_links_to_a_section_of_the_page(results):
    headings = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", PAGE.read_text(), flags=re.MULTILINE)
    }
    findings = benchreport.findings(results).splitlines()
    assert findings
    for line in findings:
        anchors = re.findall(r"\]\(#([a-z0-9-]+)\)", line)
        assert anchors and set(anchors) <= headings, line


def test_tutorial_links_here():
    tutorial = (REPO / "docs" / "tutorial" / "index.md").read_text()
    assert "[What a gateway costs](../explanation/cost.md)" in tutorial


# What ContextForge itself says its settings are: every field of its Settings class and of the plugin
# framework's (read with the PLUGINS_ prefix), with its default; no instance, so no secrets needed.
SETTINGS_DUMP = """
import json
from cpex.framework.settings import PluginsSettings
from mcpgateway.config import Settings
fields = {name.upper(): f.default for name, f in Settings.model_fields.items()}
fields.update({"PLUGINS_" + name.upper(): f.default for name, f in PluginsSettings.model_fields.items()})
print(json.dumps(fields, default=str))
"""


@pytest.fixture(scope="module")
def contextforge_settings() -> dict:
    done = subprocess.run(
        [str(contextforge_bin("python")), "-c", SETTINGS_DUMP], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _named_on_the_page() -> set[str]:
    """Every `NAME=value` the page, its snippets and the sweep name."""
    texts = [PAGE.read_text(), bench.RECOMMENDED_ENV.read_text()]
    texts += [path.read_text() for path in benchreport.SNIPPETS.glob("*.md")]
    named = {name for text in texts for name in re.findall(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)[=`]", text)}
    named |= set(bench.read_settings_file(bench.RECOMMENDED_ENV))
    named |= {name for _, settings, _ in bench.SWEEP.values() for name in settings}
    return named - {"DOCKER_MCP_GATEWAY_URL", "DOCKER_MCP_GATEWAY_TOKEN"}  # the benchmark's, not ContextForge's


def test_every_setting_the_page_names_is_a_contextforge_setting(contextforge_settings):
    named = _named_on_the_page()
    assert {"USE_STATEFUL_SESSIONS", "CACHE_TYPE", "LOG_LEVEL", "PLUGINS_ENABLED"} <= named
    assert named <= set(contextforge_settings), named - set(contextforge_settings)


def test_the_defaults_the_page_states_are_contextforge_s(contextforge_settings):
    page = PAGE.read_text()
    for name, default, words in (
        ("LOG_LEVEL", "ERROR", "`LOG_LEVEL` is `ERROR`"),
        ("PLUGINS_ENABLED", False, "`PLUGINS_ENABLED` is `false`"),
        ("CACHE_TYPE", "database", "(`database` is the default)"),
        ("USE_STATEFUL_SESSIONS", False, "`USE_STATEFUL_SESSIONS=true`"),
        ("COMPRESSION_ENABLED", True, "`COMPRESSION_ENABLED=false`"),
        ("DB_METRICS_RECORDING_ENABLED", True, "`DB_METRICS_RECORDING_ENABLED=false`"),
    ):
        assert contextforge_settings[name] == default, name
        assert words in page, words


def test_every_command_line_option_the_page_names_is_one_mcpgateway_takes():
    helped = subprocess.run([str(contextforge_bin("mcpgateway")), "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0, helped.stderr[-1000:]
    _, options = bench.recommended_setup()
    options += [word for _, _, flags in bench.SWEEP.values() for word in flags]
    for option in (word for word in options if word.startswith("--")):
        assert re.search(rf"^\s+{re.escape(option)}\b", helped.stdout, flags=re.MULTILINE), option
        assert f"`{option}" in PAGE.read_text() or option in bench.RECOMMENDED_START.read_text()


def test_recommended_setup_serves_a_pflow_workflow(tmp_path):
    """ContextForge started with exactly fast.env and fast-start.sh's options, a ten-step pflow run through it."""
    settings, options = bench.recommended_setup()
    assert settings and settings["USE_STATEFUL_SESSIONS"] == "true"
    with Lab(tmp_path / "lab") as lab:
        math = lab.start_backend("math-tools")
        gateway = lab.start_contextforge("contextforge", settings, options=options)
        assert gateway.process.argv[len(gateway.process.argv) - len(options) :] == options
        assert all(gateway.process.env[key] == value for key, value in settings.items())
        gateway.register("math-tools", math.url)
        path = bench.Path_("cf_recommended", gateway.mcp_url, gateway.token, "math-tools-add")
        home = bench.pflow_home_for(path, tmp_path / "pflow")
        # Ten chained calls: x=1 plus ten times one; _timed_pflow fails unless pflow printed 11.0.
        assert bench._timed_pflow(home, "run_10", path.pflow_node) > 0
        if "--workers" in options:  # the option took effect: that many uvicorn workers under the parent
            workers = int(options[options.index("--workers") + 1])
            children = subprocess.run(
                ["pgrep", "-P", str(gateway.process.pid), "-f", "spawn_main"], capture_output=True, text=True
            )
            assert len(children.stdout.split()) == workers, children.stdout
