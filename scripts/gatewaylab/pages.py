"""One name per page, taken from its path, and the front matter a page may have.

    docs/how-to/contextforge/configuration.md  ->  contextforge-configuration
        snippets/contextforge-configuration/       the files the page includes
        lab up contextforge-configuration          its scenario, if it needs more than the standard lab
        tests/test_contextforge_configuration.py   its tests beyond the fences, if any

The Diátaxis section (tutorial, how-to, reference, explanation) and a trailing `index` are dropped,
the rest of the path is joined with `-`; a section's own index keeps the section's name.
CONTRIBUTING.md is the recipe that uses these names.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .envs import REPO

DOCS = REPO / "docs"
SECTIONS = ("tutorial", "how-to", "reference", "explanation")

# Every front-matter key a page may set, and what it means (CONTRIBUTING.md explains each).
FRONT_MATTER = {
    "fences": "settings for running the page's fences (the keys in FENCE_SETTINGS)",
    "starts_from": "the page (path under docs/) whose end state this page starts from",
}
FENCE_SETTINGS = {
    "lab": "`shared`: the suite's standard lab, started once for every page that asks; its variables "
    "are in the page's shell (for pages whose subject is not starting it)",
    "scenario": "module:function, a context manager (lab) -> env run before the first fence, "
    "for what the page cannot show as a command (the setup page's python3.12 on PATH)",
}


class FrontMatterError(ValueError):
    pass


def page_name(page: Path) -> str:
    """The one name of `page` (a path under docs/)."""
    parts = list(Path(page).resolve().relative_to(DOCS).with_suffix("").parts)
    if parts[-1] == "index":
        parts.pop()
    if not parts:
        return "home"
    if len(parts) > 1 and parts[0] in SECTIONS:
        parts.pop(0)
    return "-".join(parts)


def tests_of(page: Path) -> Path:
    """The module that holds the page's tests beyond its fences (it may not exist)."""
    return REPO / "tests" / f"test_{page_name(page).replace('-', '_')}.py"


def snippets_dir(page: Path) -> Path:
    return REPO / "snippets" / page_name(page)


def front_matter(page: Path) -> dict:
    """The page's front matter, checked: an unknown key is an error, not something silently ignored."""
    text = Path(page).read_text()
    if not text.startswith("---\n"):
        return {}
    data = yaml.safe_load(text[4 : text.index("\n---", 4)]) or {}
    page = Path(page).resolve()
    where = page.relative_to(REPO) if page.is_relative_to(REPO) else page
    unknown = sorted(set(data) - set(FRONT_MATTER))
    if unknown:
        raise FrontMatterError(f"{where}: unknown front-matter key(s) {unknown}; known: {sorted(FRONT_MATTER)}")
    unknown = sorted(set(data.get("fences") or {}) - set(FENCE_SETTINGS))
    if unknown:
        raise FrontMatterError(f"{where}: unknown `fences` setting(s) {unknown}; known: {sorted(FENCE_SETTINGS)}")
    if (data.get("fences") or {}).get("lab", "shared") != "shared":
        raise FrontMatterError(f"{where}: `fences: {{lab: ...}}` takes only `shared`")
    starts = data.get("starts_from") or []
    for start in [starts] if isinstance(starts, str) else starts:
        if not (DOCS / start).is_file():
            raise FrontMatterError(f"{where}: starts_from names {start}, which is not a page under docs/")
    return data
