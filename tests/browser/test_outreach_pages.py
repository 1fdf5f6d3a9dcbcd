"""The outreach pages in the states a plain visit to the demo content cannot reach, in a real
browser: a form sent with mistakes (its summary of what to fix takes the focus), a request
refused for too many, the hosts' and guests' private-link pages, and a guest's RSVP from the
form to its cancellation. axe-core finds no WCAG 2.2 A/AA violation in any of them.

The empty forms (/host/, a film's host page, an RSVP form) are swept with every public page
type in ``test_accessibility.py``; their valid HTML is in ``tests/outreach``.
"""

import pytest
from django.test import Client, override_settings

from tests.checkers import axe_violations
from tests.outreach.test_host_pages import host_pages
from tests.outreach.test_rsvps import rsvp_pages

# The states of host_pages() and rsvp_pages() that test_accessibility.py already axes, as
# DEMO_PAGES "host", "host-film" and "rsvp": the empty forms.
SWEPT = {"form", "film-form"}


def problems_on(page, url: str, paths: dict[str, str]) -> dict[str, list[str]]:
    """axe-core's violations on each of these pages, by name, leaving out the clean ones;
    and a page wider than the screen (a long e-mail address in a list of facts, on a phone),
    which makes a reader scroll sideways (WCAG 1.4.10)."""
    problems = {}
    for name, path in paths.items():
        page.goto(url + path)
        found = axe_violations(page)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            found.append("scrolls sideways")
        if found:
            problems[name] = found
    return problems


def visited(pages: dict[str, tuple[str, str, dict | None, int]]) -> dict[str, str]:
    """The paths of the pages a browser reaches by their address (GET), not yet swept."""
    return {
        name: path
        for name, (method, path, _data, _status) in pages.items()
        if method == "get" and name not in SWEPT
    }


# Hosting a screening ---------------------------------------------------------------------------


@pytest.fixture
def host_site(live_server, live_db):
    """The host pages' film, requests (one open, one approved) and RSVPs, served."""
    return live_server, host_pages(Client())


def test_the_hosts_private_pages_have_no_axe_violation(axe_page, host_site):
    live_server, pages = host_site
    assert problems_on(axe_page, live_server.url, visited(pages)) == {}


def test_the_host_form_sent_empty_focuses_its_summary_of_errors(axe_page, host_site):
    live_server, _pages = host_site
    axe_page.goto(live_server.url + "/host/")
    axe_page.click(".host-form button[type=submit]")
    axe_page.wait_for_load_state()
    assert axe_page.evaluate("document.activeElement.matches('[data-error-summary]')")
    assert axe_violations(axe_page) == []


def test_the_host_form_refused_for_too_many_says_so(axe_page, host_site):
    live_server, _pages = host_site
    with override_settings(OUTREACH_REQUESTS_PER_ADDRESS_PER_DAY=0):
        axe_page.goto(live_server.url + "/host/")
        axe_page.fill("#id_organisation", "A library")
        axe_page.click(".host-form button[type=submit]")
        axe_page.wait_for_load_state()
        assert "Too many requests today" in axe_page.content()
        assert axe_violations(axe_page) == []


# RSVPs -------------------------------------------------------------------------------------------


@pytest.fixture
def rsvp_site(live_server, live_db):
    """Guest lists open, full and started, with RSVPs confirmed, waiting and cancelled, served."""
    return live_server, rsvp_pages(Client())


def test_the_rsvp_pages_have_no_axe_violation_in_any_state(axe_page, rsvp_site):
    live_server, pages = rsvp_site
    assert problems_on(axe_page, live_server.url, visited(pages)) == {}


def test_a_guest_corrects_a_mistake_rsvps_and_cancels_in_the_browser(axe_page, rsvp_site):
    live_server, pages = rsvp_site
    problems = {}
    # Sent with a mistake: the summary of what to fix takes the focus (error-summary.js).
    axe_page.goto(live_server.url + pages["form"][1])
    axe_page.fill("#id_name", "Fay Ng")
    axe_page.fill("#id_email", "not an address")
    axe_page.click(".rsvp-form button[type=submit]")
    axe_page.wait_for_load_state()
    assert axe_page.evaluate("document.activeElement.matches('.error-summary')")
    assert axe_page.input_value("#id_name") == "Fay Ng"
    problems["errors"] = axe_violations(axe_page)
    # Sent right: the guest's own page, saying they are on the list.
    axe_page.fill("#id_email", "fay@example.org")
    axe_page.click(".rsvp-form button[type=submit]")
    axe_page.wait_for_load_state()
    assert "You're on the list" in axe_page.content()
    problems["just-added"] = axe_violations(axe_page)
    axe_page.click("text=Cancel my RSVP")
    axe_page.wait_for_load_state()
    assert "Your RSVP is cancelled" in axe_page.content()
    problems["just-cancelled"] = axe_violations(axe_page)
    assert {name: found for name, found in problems.items() if found} == {}
