"""Accessibility in a real browser: axe-core finds no WCAG 2.2 A/AA violation on any public
page type, and the keyboard alone reaches every link and control, with a visible focus.

axe-core comes from the npm registry (``package.json``) and is injected into each page;
the browser context bypasses the site's Content-Security-Policy for that injection only.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.demo_pages import DEMO_PAGES, NOT_FOUND

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = [*DEMO_PAGES.values(), NOT_FOUND]


@pytest.fixture
def demo_site(live_server, live_db):
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture(params=[(390, 844), (1280, 900)], ids=["phone", "desktop"])
def axe_page(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_axe_finds_no_wcag_violation_on_any_public_page_type(axe_page, demo_site):
    assert AXE.exists(), "run `make install-dev` (npm ci) for axe-core"
    problems = {}
    for path in PAGES:
        axe_page.goto(demo_site.url + path)
        axe_page.add_script_tag(path=str(AXE))
        result = axe_page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        assert result["passes"], path  # axe really ran its rules here
        found = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        if found:
            problems[path] = found
    assert problems == {}


FOCUSABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
                 + '[tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(selector)]
    .filter(el => !el.disabled && el.getClientRects().length
                  && getComputedStyle(el).visibility !== 'hidden')
    .map((el, i) => { el.dataset.kb = i; return i; });
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
               || style.boxShadow !== 'none';
  return {kb: el.dataset.kb ?? null, ring: ring, tag: el.tagName, text: el.textContent.trim()};
}"""


@pytest.mark.parametrize("path", PAGES[:-1])
def test_the_keyboard_reaches_every_link_and_control_with_a_visible_focus(browser, demo_site, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(demo_site.url + path)
    wanted = set(page.evaluate(FOCUSABLE))
    reached, unringed = set(), []
    for _ in range(2 * len(wanted) + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["kb"] is None:
            continue
        reached.add(int(focused["kb"]))
        if focused["tag"] == "SUMMARY":
            page.keyboard.press("Enter")  # open it, as a keyboard user would, and go on
        if not focused["ring"]:
            unringed.append(f"{focused['tag']} {focused['text'][:40]!r}")
    context.close()
    assert wanted - reached == set(), path
    assert unringed == [], path
