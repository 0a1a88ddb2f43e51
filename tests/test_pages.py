"""The rules of CONTRIBUTING.md that no single fence checks: one name per page, and pages that open
with what they assume."""

from __future__ import annotations

import re

import pytest
from gatewaylab.envs import REPO
from gatewaylab.fences import keep_placeholders, matches, read_fences
from gatewaylab.pages import DOCS, FrontMatterError, front_matter, page_name, snippets_dir
from gatewaylab.scenarios import SCENARIOS

PAGES = sorted(DOCS.rglob("*.md"))
NAMES = {page_name(page): page for page in PAGES}
# Test modules that are about the project, not about one page.
PROJECT_TESTS = {
    "benchmark",
    "docker_catalog",
    "docker_pages",
    "fresh_start",
    "guardrails",
    "lab",
    "pages",
    "problems",
    "reader_walk",
    "settings_check",
    "site",
    "site_in_browser",
}


def test_page_names_follow_the_rule():
    assert page_name(DOCS / "how-to/contextforge/configuration.md") == "contextforge-configuration"
    assert page_name(DOCS / "tutorial/index.md") == "tutorial"
    assert page_name(DOCS / "reference/lab.md") == "lab"
    assert page_name(DOCS / "index.md") == "home"
    assert len(NAMES) == len(PAGES), "two pages have the same name"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_a_page_includes_its_own_folder(page):
    folders = {
        path.split("/")[1] for fence in read_fences(page) for path in fence.includes if path.startswith("snippets/")
    }
    if folders:
        assert snippets_dir(page).name in folders, (
            f"{page.relative_to(REPO)} includes from {sorted(folders)} but its own folder is "
            f"snippets/{page_name(page)}/"
        )


def test_every_snippets_folder_belongs_to_a_page():
    orphans = sorted(d.name for d in (REPO / "snippets").iterdir() if d.is_dir() and d.name not in NAMES)
    assert not orphans, f"snippets folders named after no page: {orphans}"


def test_every_test_module_is_a_pages_or_the_projects():
    for module in sorted((REPO / "tests").glob("test_*.py")):
        name = module.stem.removeprefix("test_")
        assert name in PROJECT_TESTS or name.replace("_", "-") in NAMES, (
            f"tests/{module.name} is named after no page (and is not one of the project's own test modules)"
        )


def test_every_scenario_is_named_after_the_page_that_starts_it():
    for name in set(SCENARIOS) - {"standard"}:
        assert name in NAMES, f"scenario {name} is named after no page"
        first_shell = next(f for f in read_fences(NAMES[name]) if f.kind == "shell")
        assert f"lab up {name}\n" in first_shell.text, (
            f"{NAMES[name].relative_to(REPO)}: its first command should start its scenario with `lab up {name}`"
        )


@pytest.mark.parametrize(
    "page", [p for p in PAGES if any(f.kind == "shell" for f in read_fences(p))], ids=lambda p: str(p.relative_to(DOCS))
)
def test_pages_with_commands_open_with_what_they_assume(page):
    assert re.search(r"^## (Before you start|What you need|What this page assumes)", page.read_text(), re.MULTILINE), (
        f"{page.relative_to(REPO)} runs commands but has no `## Before you start` section"
    )


def test_front_matter_keys_are_checked(tmp_path):
    page = tmp_path / "scratch.md"
    page.write_text("---\nfences:\n  lab: own\n---\n# Scratch\n")  # once silently ignored
    with pytest.raises(FrontMatterError, match=r"`fences: \{lab: ...\}` takes only `shared`"):
        front_matter(page)
    page.write_text("---\nfences:\n  scenery: x\n---\n# Scratch\n")
    with pytest.raises(FrontMatterError, match=r"unknown `fences` setting\(s\) \['scenery'\]"):
        front_matter(page)
    page.write_text("---\nstart_from: how-to/direct.md\n---\n# Scratch\n")
    with pytest.raises(FrontMatterError, match=r"unknown front-matter key\(s\) \['start_from'\]"):
        front_matter(page)
    page.write_text("---\nstarts_from: how-to/nowhere.md\n---\n# Scratch\n")
    with pytest.raises(FrontMatterError, match="not a page under docs/"):
        front_matter(page)
    for real in PAGES:
        front_matter(real)  # every real page passes


def test_updated_outputs_keep_the_placeholders_that_still_match():
    shown = "Run failed.\nResume with: pflow resume <...>\nx-ratelimit-reset: <...>\n"
    real = "Run failed, again.\nResume with: pflow resume 1234\nx-ratelimit-reset: 17\nnew line\n"
    assert keep_placeholders(shown, real) == (
        "Run failed, again.\nResume with: pflow resume <...>\nx-ratelimit-reset: <...>\nnew line"
    )
    assert matches(keep_placeholders(shown, real), real)  # what it writes is what it checks next time
