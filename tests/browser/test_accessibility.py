"""Accessibility in a real browser: axe-core finds no WCAG 2.2 A/AA violation on any public
page type, and the keyboard alone reaches every link and control, with a visible focus.

axe-core comes from the npm registry (``package.json``) and is injected into each page
(``tests/checkers.py``); the browser context bypasses the site's Content-Security-Policy
for that injection only. States of the outreach pages no plain visit reaches (a form sent
with mistakes, private links) are in ``test_outreach_pages.py``.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from taggit.models import Tag

from blog.models import Post
from films.models import Film
from interviews.models import Interview
from tests.checkers import WCAG, axe_violations
from tests.demo_pages import DEMO_PAGES, NOT_FOUND

PAGES = [*DEMO_PAGES.values(), NOT_FOUND]


@pytest.fixture
def demo_site(live_server, live_db):
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_public_page_type_in_either_scheme(
    axe_page, demo_site, scheme
):
    """WCAG 2.2 A and AA, AAA contrast and axe's best practices, in the viewer's colour scheme."""
    axe_page.emulate_media(color_scheme=scheme)
    problems = {}
    for path in PAGES:
        axe_page.goto(demo_site.url + path)
        if found := axe_violations(axe_page, [*WCAG, "wcag2aaa", "best-practice"]):
            problems[path] = found
    assert problems == {}


def longest_demo_pages() -> list[str]:
    """The demo's tag and live titles with the longest unbreakable word: the hardest to fit."""

    def longest_word(text: str) -> int:
        return max(map(len, text.split()))

    pages = [reverse("tag", args=[max(Tag.objects.all(), key=lambda t: longest_word(t.name)).slug])]
    for model in (Interview, Post, Film):
        row = max(model.objects.live(), key=lambda row: longest_word(row.title))
        pages.append(row.get_absolute_url())
    return pages


# Whether anything sticks out sideways: WCAG 1.4.10 (Reflow) at 320 CSS pixels.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
    .filter(el => getComputedStyle(el).position !== 'absolute')
    .map(el => el.tagName + (el.className ? '.' + el.className : ''));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


def test_every_page_type_reflows_at_320_pixels_with_the_longest_demo_words(browser, demo_site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    problems = {}
    for path in [*PAGES, *longest_demo_pages()]:
        page.goto(demo_site.url + path)
        found = page.evaluate(OVERFLOW)
        if found["scroll"] > found["width"]:
            problems[path] = found
    context.close()
    assert problems == {}


# What Tab should reach: not what tabindex="-1" takes out on purpose (a form's honeypot),
# and a radio group once (Tab enters it, the arrow keys move inside it).
FOCUSABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
                 + '[tabindex]';
  const groups = new Map();
  return [...document.querySelectorAll(selector)]
    .filter(el => !el.disabled && el.getAttribute('tabindex') !== '-1'
                  && el.getClientRects().length
                  && getComputedStyle(el).visibility !== 'hidden')
    .map((el, i) => {
      if (el.type === 'radio' && el.name) {
        const group = [...document.forms].indexOf(el.form) + ' ' + el.name;
        if (!groups.has(group)) groups.set(group, i);
        i = groups.get(group);
      }
      el.dataset.kb = i;
      return i;
    });
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
