"""Pictures as the layout shows them: the largest is never lazy, none is far larger than shown.

The browser reports the page's largest contentful paint; a lazy image there waits for layout
before it even starts to load. A rendition more than 1.5 times the width it is shown at (at
the screen's pixel density), or less than two thirds of it, means ``sizes`` does not describe
the layout: a browser picks the rendition before it lays the page out. 640 px is between the
breakpoints: the cards' grid in two columns, the news in one.
"""

import pytest
from django.core.management import call_command

from tests.demo_pages import DEMO_PAGES

LARGEST_PAINT = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const last = list.getEntries().at(-1);
    const el = last && last.element;
    resolve(el ? {tag: el.tagName, lazy: el.loading === 'lazy',
                  src: (el.currentSrc || '').split('/').pop()} : null);
  }).observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(null), 2000);
})"""

# Each responsive picture loaded: the width ``sizes`` gave it (an image's natural width is
# its rendition's divided by the density the browser chose, so it is that width), the width
# shown, and its narrowest and widest renditions. The tests run at a density of 1.
PICTURES = """() => [...document.images]
  .filter(img => img.complete && img.naturalWidth && img.clientWidth && img.srcset)
  .map(img => {
    const widths = img.srcset.split(',').map(c => parseInt(c.trim().split(' ')[1]));
    return {src: img.currentSrc.split('/').pop(), sized: img.naturalWidth,
            shown: Math.round(img.clientWidth * devicePixelRatio),
            smallest: Math.min(...widths), largest: Math.max(...widths)};
  })"""


@pytest.fixture
def demo_site(live_server, live_db, run_queued_tasks):
    """The demo with its renditions made, as after `make run`'s worker has had a moment."""
    call_command("load_demo", verbosity=0)
    run_queued_tasks()
    return live_server


def test_the_largest_picture_is_never_lazy_and_each_is_about_as_large_as_shown(browser, demo_site):
    """At a phone's width, between the breakpoints and on a wide screen: one test, so the
    demo's renditions (a minute and a half of Pillow) are made once for the three."""
    lazy, oversized, undersized, pictures = {}, {}, {}, 0
    for width in (390, 640, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in DEMO_PAGES.values():
            page.goto(demo_site.url + path)
            page.wait_for_load_state("networkidle")  # the last candidate, not one painted earlier
            largest = page.evaluate(LARGEST_PAINT)
            if largest and largest["lazy"]:
                lazy[width, path] = largest
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            pictures += page.evaluate("document.querySelectorAll('img[srcset]').length")
            shown = page.evaluate(PICTURES)
            if found := [p for p in shown if p["sized"] > 1.5 * p["shown"] > p["smallest"]]:
                oversized[width, path] = found
            if found := [p for p in shown if p["sized"] < p["shown"] / 1.5 < p["largest"]]:
                undersized[width, path] = found
        context.close()
    assert pictures, "no responsive picture on any page: the renditions were not made"
    assert {"lazy": lazy, "oversized": oversized, "undersized": undersized} == {
        "lazy": {},
        "oversized": {},
        "undersized": {},
    }
