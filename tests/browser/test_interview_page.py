"""The interview page in a real browser: the table of contents takes the reader to the answer."""

import pytest
from django.core.management import call_command

INTERVIEW = "/interviews/alison-klayman-on-filming-ai-weiwei/"


@pytest.fixture
def demo_site(live_server, live_db):
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_table_of_contents_link_scrolls_to_its_answer(page, demo_site):
    page.goto(demo_site + INTERVIEW)
    assert page.title().startswith("Alison Klayman on Filming Ai Weiwei")
    toc_links = page.locator("nav.toc a")
    assert toc_links.count() == 13

    contents = page.get_by_role("navigation", name="In this interview")
    link = contents.get_by_role(
        "link", name="Why did you choose to present your film on public television?"
    )
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function("hash => location.hash === hash", arg=target)

    answer = page.locator(f"section{target}")
    answer.get_by_text("I only wish that I didn’t have to cut the film").wait_for()
    # The answer's heading comes to rest near the top of the window (scrolling may be smooth).
    page.wait_for_function(
        """id => {
            const top = document.getElementById(id).getBoundingClientRect().top;
            return top >= 0 && top < window.innerHeight / 3;
        }""",
        arg=target.lstrip("#"),
        timeout=5000,
    )
    assert answer.is_visible()
    # The figures load as real images with their alt text.
    figure = page.locator("figure", has_text="Ai Weiwei typing at computer").locator("img")
    figure.scroll_into_view_if_needed()
    figure.evaluate("img => img.decode()")  # waits until the browser has the picture
    loaded = figure.evaluate("img => ({src: img.currentSrc, width: img.naturalWidth})")
    assert "/media/demo/" in loaded["src"] and loaded["width"] > 0  # the original, until the worker


def test_skip_link_and_navigation_work_from_the_keyboard(page, demo_site):
    page.goto(demo_site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Screenings").click()
    page.wait_for_url("**/screenings/")
    assert page.get_by_role("heading", level=1).inner_text() == "Upcoming screenings"
