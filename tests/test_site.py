"""The site as readers get it: built strictly, its commands the ones the suite ran, no secret in it.

These run last (marker run_last), after every page, fence and notebook has run.
"""

import html
import json
import os
import re
from pathlib import Path

import httpx
import pytest
from gatewaylab.envs import REPO
from gatewaylab.fences import read_fences
from gatewaylab.lab import GENERATED_SECRETS

pytestmark = pytest.mark.run_last

PAGES = sorted((REPO / "docs").rglob("*.md"))


def test_site_builds_strictly_without_warnings(built_site):
    site, done = built_site
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    warnings = re.findall(r"^WARNING.*$", done.stderr, flags=re.MULTILINE)
    assert not warnings, "\n".join(warnings)
    assert (site / "tutorial" / "index.html").exists()
    assert (site / "notebooks" / "tutorial" / "index.html").exists()


def _code_blocks(page_html: str) -> list[str]:
    """The text of every code block as the reader sees it and the copy button copies it."""
    blocks = re.findall(r"<pre[^>]*>(?:<span></span>)?<code[^>]*>(.*?)</code></pre>", page_html, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


def _built_page(site: Path, page: Path) -> Path:
    relative = page.relative_to(REPO / "docs").with_suffix("")
    return site / (relative.parent if relative.name == "index" else relative) / "index.html"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO / "docs")))
def test_rendered_commands_are_the_commands_the_suite_ran(built_site, page):
    """Copy-paste truth: each shell fence, after snippet inclusion, is a code block of the built page."""
    site, _ = built_site
    shell_fences = [f for f in read_fences(page) if f.kind in ("shell", "file", "output")]
    if not shell_fences:
        pytest.skip("no runnable fence on this page")
    blocks = [block.rstrip("\n") for block in _code_blocks(_built_page(site, page).read_text())]
    for fence in shell_fences:
        assert fence.text.rstrip("\n") in blocks, f"{fence.where}: the built page does not show what ran"


JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")


def _reader_files(site: Path) -> list[Path]:
    return [*site.rglob("*.html"), *(REPO / "notebooks").glob("*.ipynb"), *(REPO / "snippets").rglob("*")] + [
        p for p in (REPO / "docs").rglob("*") if p.suffix in (".md", ".json")
    ]


def test_no_secret_of_this_run_and_no_token_shaped_string_reaches_readers(built_site, lab):
    site, _ = built_site
    secrets = GENERATED_SECRETS.of_the_run()
    assert secrets, "the run generated no secrets to look for: the check would prove nothing"
    leaks = []
    for path in _reader_files(site):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        leaks += [f"{path}: a secret of this run" for secret in secrets if secret in text]
        leaks += [f"{path}: JWT {match[:16]}..." for match in JWT.findall(text)]
    assert leaks == []


def test_committed_notebooks_show_outputs_and_no_errors():
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
        outputs = [o for c in cells for o in c.get("outputs", [])]
        assert outputs, f"{notebook.name} is committed without outputs: the site would show none"
        assert not [o for o in outputs if o["output_type"] == "error"], f"{notebook.name} has an error output"


def test_external_links_answer(built_site):
    """External links are listed always, and checked only where the outside world is reachable."""
    site, _ = built_site
    links = sorted(
        {
            link
            for page in site.rglob("*.html")
            for link in re.findall(r'href="(https?://[^"#]+)', page.read_text())
            if not link.startswith(("http://127.0.0.1", "http://localhost"))
        }
    )
    print("\n".join(["external links:", *links]))
    assert links, "the site links to its sources; finding none means the scan is broken"
    if os.environ.get("CHECK_EXTERNAL_LINKS") != "1":
        pytest.skip(f"{len(links)} external links listed; set CHECK_EXTERNAL_LINKS=1 where a network is available")
    broken = []
    for link in links:
        try:
            answer = httpx.get(link, follow_redirects=True, timeout=20)
        except httpx.TransportError as error:
            broken.append(f"{link}: {error!r}")
            continue
        if answer.status_code >= 400:
            broken.append(f"{link}: HTTP {answer.status_code}")
    assert broken == []


def test_home_status_table_matches_what_the_pages_run():
    """A row that says "yes" links pages whose fences all run in CI; a fence that runs only where a
    requirement is met (`needs=...`) must have that requirement named in its row, so the reader
    knows what the rest of the page asks for."""
    home = (REPO / "docs" / "index.md").read_text()
    table = home[home.index("## What our CI runs for real") :]
    for row in [line for line in table.splitlines() if line.startswith("| [")]:
        pages = [REPO / "docs" / link for link in re.findall(r"\]\(([^)]+\.md)\)", row)]
        needs = [f for page in pages for f in read_fences(page) if "needs" in f.directive]
        if row.rstrip(" |").split("|")[-1].strip().startswith("yes"):
            unnamed = [f.where for f in needs if f"`{f.directive['needs']}`" not in row]
            assert unnamed == [], f"{row[:40]}... says yes, but does not name what these need: {unnamed}"
        else:
            assert needs, f"{row[:40]}... says the gateway is needed, but no fence needs it"
