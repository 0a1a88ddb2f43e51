"""The built site in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Every page loads without a console error; navigation and search lead from the home page to the
tutorial; error messages typed into the search box lead to the section that answers them (a
sample from tests/data/problems.yaml); a copy button copies exactly the fence's text; the
notebooks show their outputs.
Screenshots of the home page and the tutorial go to artifacts/screenshots/ for review.
"""

import json
import shutil
from urllib.parse import urlsplit

import pytest
import yaml
from gatewaylab.envs import REPO
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.run_last

CHROMIUM = shutil.which("chromium")
SCREENSHOTS = REPO / "artifacts" / "screenshots"
# The flags this sandbox needs: root, no GPU, and no background calls to the outside world.
# (what a reader types, the page#section that answers it), from the problems readers report.
SEARCHES = [
    (row["search"], row["answer"])
    for row in yaml.safe_load((REPO / "tests" / "data" / "problems.yaml").read_text())
    if row.get("search")
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.fail("Debian's chromium is not installed: `bash scripts/setup` installs it (as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def _site_pages(built_site) -> list[str]:
    site, _ = built_site
    return sorted(
        "/" + str(p.parent.relative_to(site)).replace(".", "").strip("/") + "/"
        for p in site.rglob("index.html")
        if not p.parent.name.startswith(("assets", "search"))
    )


def test_every_page_loads_without_console_errors(page, built_site):
    paths = [path.replace("//", "/") for path in _site_pages(built_site)]
    assert "/tutorial/" in paths and len(paths) >= 10
    failures = {}
    for path in paths:
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        if response.status != 200 or page.console_errors:
            failures[path] = (response.status, list(page.console_errors))
        page.console_errors.clear()
    assert failures == {}


def test_home_page_leads_to_the_tutorial_by_navigation_and_by_search(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.get_by_role("link", name="tutorial").first.click()
    page.wait_for_url("**/tutorial/")
    assert page.locator("h1").first.inner_text().removesuffix("¶").strip() == "Your first workflow through a gateway"
    page.screenshot(path=str(SCREENSHOTS / "tutorial.png"), full_page=False)

    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut to the search box, as a reader would use it
    page.keyboard.type("first workflow")
    result = page.locator(".md-search-result__link").first
    result.wait_for()
    assert "/tutorial/" in result.get_attribute("href")
    assert "Your first workflow through a gateway" in result.inner_text()


@pytest.mark.parametrize("typed, answer", SEARCHES, ids=[typed for typed, _ in SEARCHES])
def test_an_error_message_typed_into_search_leads_to_its_answer(page, typed, answer):
    doc, anchor = answer.split("#")
    folder = f"/{doc.removesuffix('.md')}/"

    def answers(href: str) -> bool:  # Material adds ?h=<the words> before the section's #anchor
        url = urlsplit(href)
        return url.path.endswith(folder) and url.fragment == anchor

    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.keyboard.type(typed)
    # Results change with every key: wait (up to 10 s) until the answer is among the first results
    # shown, not one hidden under "more on this page" (Material lists a page's best sections first).
    try:
        page.wait_for_function(
            """([folder, anchor]) => [...document.querySelectorAll('.md-search-result__link')]
                .slice(0, 8)
                .some(a => a.checkVisibility() && new URL(a.href).pathname.endsWith(folder)
                           && new URL(a.href).hash === '#' + anchor)""",
            arg=[folder, anchor],
            timeout=10_000,
        )
    except PlaywrightTimeout:
        hrefs = [link.get_attribute("href") for link in page.locator(".md-search-result__link").all()[:8]]
        pytest.fail(f"searching {typed!r} shows {hrefs}, not {folder}#{anchor}")
    # The list is drawn again while search settles (and each link's ?h= changes with it): click a
    # link by its page and section, not by its position, or the click can land on another result.
    target = f".md-search-result__link[href*={json.dumps(folder)}][href$={json.dumps('#' + anchor)}]"
    page.locator(f"{target} >> visible=true").first.click()
    page.wait_for_url(answers)
    assert page.locator(f"[id='{anchor}']").is_visible()


def test_copy_button_copies_the_fence_text_exactly(page):
    page.goto("/tutorial/")
    expected = (REPO / "snippets" / "tutorial" / "09-run.sh").read_text()
    block = page.locator(".highlight", has_text="quote.pflow.md text=").first
    block.hover()
    block.locator('button[data-md-type="copy"]').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == expected.strip()


@pytest.mark.parametrize("notebook, shown", [("tutorial", "48.0"), ("federation", "36.0")])
def test_notebooks_render_with_their_outputs(page, notebook, shown):
    page.goto(f"/notebooks/{notebook}/")
    body = page.locator("body").inner_text()
    assert shown in body, f"the {notebook} notebook's output {shown} is not on the page"
    assert "mcp-gateway-" in body
