"""The problems readers report, kept as data (tests/data/problems.yaml), each checked against the site.

For every row: its thread is a GitHub issue or pull request of ContextForge, the Docker MCP
Gateway, pflow or pflow's MCP client (the mcp Python SDK); the section it names exists in the
strictly built site and quotes the symptom; and a row that still happens on the pinned versions names a test that exists: a fence
of the answering page that shows the given snippet, or a pytest node id that collects.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from gatewaylab.envs import REPO
from gatewaylab.fences import read_fences

pytestmark = pytest.mark.run_last

DATA = REPO / "tests" / "data" / "problems.yaml"
ROWS = yaml.safe_load(DATA.read_text())
THREAD = re.compile(
    r"^https://github\.com/(IBM/mcp-context-forge|docker/mcp-gateway|docker/desktop-feedback|spinje/pflow"
    r"|modelcontextprotocol/python-sdk)/(issues|pull)/\d+$"
)
STATUSES = {"reproduces", "fixed", "elsewhere", "not reproduced"}
HEADING = re.compile(r"^h[1-6]$")


def _id(row: dict) -> str:
    return row["thread"].removeprefix("https://github.com/")


def section_text(html: str, anchor: str) -> str | None:
    """The text of the section a heading with id `anchor` opens (up to the next heading of its level or above)."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find(id=anchor)
    if heading is None or not HEADING.match(heading.name):
        return None
    level = int(heading.name[1])
    parts = [heading.get_text(" ")]
    for sibling in heading.find_next_siblings():
        if HEADING.match(sibling.name) and int(sibling.name[1]) <= level:
            break
        parts.append(sibling.get_text(" "))
    return " ".join(" ".join(parts).split())


def rendered(built_site, answer: str) -> str:
    site, done = built_site
    assert done.returncode == 0, done.stderr
    page = answer.split("#")[0].removesuffix(".md")
    return (site / page / "index.html").read_text()


def test_the_list_is_long_enough_and_each_thread_appears_once():
    threads = Counter(row["thread"] for row in ROWS)
    assert [thread for thread, count in threads.items() if count > 1] == []
    assert len(ROWS) >= 40
    reproduced = [row for row in ROWS if row.get("test")]
    assert len(reproduced) >= 30, f"only {len(reproduced)} rows have a test"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_a_row_is_complete(row):
    assert THREAD.match(row["thread"]), row["thread"]
    assert row["status"] in STATUSES, row["status"]
    assert row["symptom"].strip() and row["versions"].strip()
    if row["status"] == "fixed":
        assert row.get("changed_in"), "a problem that no longer happens says which version changed it"
    if row["status"] == "reproduces":
        assert row.get("answer") and row.get("test"), "a problem that still happens needs its answer and its test"
    if row["status"] in ("elsewhere", "not reproduced"):
        assert row.get("test") or row.get("why"), "say why there is no test"


@pytest.mark.parametrize("row", [r for r in ROWS if r.get("answer")], ids=_id)
def test_the_answer_quotes_the_symptom(row, built_site):
    page, _, anchor = row["answer"].partition("#")
    assert anchor, f"{row['answer']}: name the section (page.md#anchor)"
    text = section_text(rendered(built_site, row["answer"]), anchor)
    assert text is not None, f"no heading #{anchor} in the built {page}"
    assert " ".join(row["symptom"].split()) in text, f"#{anchor} of {page} does not show: {row['symptom']}"


@pytest.mark.parametrize("row", [r for r in ROWS if str(r.get("test", "")).startswith("snippets/")], ids=_id)
def test_the_named_fence_is_on_the_answering_page(row):
    page = REPO / "docs" / row["answer"].split("#")[0]
    fences = [fence for fence in read_fences(page) if row["test"] in fence.includes]
    assert fences, f"{page.relative_to(REPO)} has no fence that includes {row['test']}"
    assert all(fence.kind == "shell" for fence in fences), "the named snippet must be a command the suite runs"


def test_the_named_pytest_tests_collect():
    node_ids = sorted({row["test"] for row in ROWS if str(row.get("test", "")).startswith("tests/")})
    assert node_ids
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *node_ids],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        # The outer run's PYTEST_ADDOPTS (say -v) would change the listing's format.
        env={key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"},
    )
    collected = {
        line.strip().split("[")[0] for line in done.stdout.splitlines() if "::" in line
    }  # a row names a parametrized test whole
    missing = [node for node in node_ids if node not in collected]
    assert not missing, f"not collected: {missing}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"


def test_the_search_sample_is_reproduced_rows():
    sample = [row for row in ROWS if row.get("search")]
    assert len(sample) >= 10
    assert all(row.get("answer") and row.get("test") for row in sample)


def search_sample() -> list[tuple[str, str]]:
    """(text typed into the search box, page path#anchor it must lead to), for the browser test."""
    return [(row["search"], row["answer"]) for row in ROWS if row.get("search")]


__all__ = ["search_sample", "section_text"]


if __name__ == "__main__":  # list a built page's heading ids: python tests/test_problems.py site/how-to/x/index.html
    for path in sys.argv[1:]:
        soup = BeautifulSoup(Path(path).read_text(), "html.parser")
        print("\n".join(h["id"] for h in soup.find_all(HEADING) if h.get("id")))
