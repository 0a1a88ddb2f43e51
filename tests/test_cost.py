"""Claims of docs/explanation/cost.md: its tables and figures are exactly what the committed results
file gives, and that file is one full run of the benchmark with every path accounted for.
"""

import json
import re

import pytest
from gatewaylab import bench, benchreport
from gatewaylab.envs import REPO

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
    assert list(results["paths"]) == list(bench.PATH_LABELS)
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
