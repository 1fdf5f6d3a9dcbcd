"""Issue 14's partner journey, whole, in a real browser at phone and desktop widths.

A library asks to host a screening of the demo film, reads the e-mail with its private
link, changes the time through it; an editor (not a superuser) approves it from the
dashboard's queue in two clicks; the screening is listed, with the library as its host and
none of the contact's details public; a viewer RSVPs and gets the event as an .ics file and
a cancel link; the host sees the RSVP and downloads the list. axe-core checks the two
private pages the site-wide accessibility test cannot reach (they need a token).

E-mail goes through the real queue: the worker (``db_worker --batch``) sends what the
pages queued into the locmem outbox, as ``make run``'s worker would send it by SMTP. It
stops before the demo's renditions, which wait behind the mail (``RENDITION_PRIORITY``):
a journey that shows no picture it checks need not spend a minute and a half in Pillow.
"""

from __future__ import annotations

import csv
import re
import zoneinfo
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.checkers import axe_violations
from tests.factories import make_editor

FILM = "Ai Weiwei: Never Sorry"
OAKLAND = zoneinfo.ZoneInfo("America/Los_Angeles")

# What the library types. The contact's details must never reach a public page.
ORGANISATION = "Rockridge Branch Library"
VENUE = "Rockridge Branch Library, community room"
CONTACT = "Dana Whitfield"
EMAIL = "dana.whitfield@rockridge-library.example"
PHONE = "+1 510 555 0142"
NOTE = "Our teen film club leads the discussion afterwards."
PRIVATE = (CONTACT, EMAIL, PHONE, "555 0142", NOTE)

CHANGED_SUBJECT = "Your request to host a screening is changed"

GUEST = "Jordan Okafor"
GUEST_EMAIL = "jordan.okafor@example.net"


@pytest.fixture
def new_context(browser, page):
    """Further browsers (the editor's, a viewer's) at the width of ``page``, closed after."""
    opened = []

    def make(**options):
        context = browser.new_context(viewport=page.viewport_size, **options)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def watch(context, problems: list[str]) -> None:
    """Collect what the browser reports as wrong: a script error, something the CSP blocked."""
    context.on("console", lambda m: m.type == "error" and problems.append(m.text))
    context.on("weberror", lambda error: problems.append(str(error.error)))


def mail_to(address: str, subject: str) -> mail.EmailMessage:
    """The one message to ``address`` whose subject starts with ``subject``."""
    [message] = [
        m for m in mail.outbox if m.to == [address] and m.subject.startswith(subject)
    ]  # fmt: skip
    return message


def parts(message: mail.EmailMessage) -> dict[str, str]:
    """The message as sent, by MIME type of each part (text, HTML, attachments), decoded."""
    found = {}
    for part in message.message().walk():
        if not part.is_multipart():
            found[part.get_content_type()] = part.get_payload(decode=True).decode()
    return found


def link_in(text: str, origin: str, path_pattern: str) -> str:
    """The one absolute link on this site (``origin``) to a path matching ``path_pattern``."""
    links = set(re.findall(re.escape(origin) + path_pattern, text))
    assert len(links) == 1, links
    return links.pop()


def axe_violations_at(context, url: str) -> list[str]:
    """axe-core's findings on ``url``, opened in a CSP-bypassing context (tests.checkers)."""
    page = context.new_page()
    page.goto(url)
    found = axe_violations(page)
    page.close()
    return found


def login_as_editor(context, live_server) -> None:
    """Sign ``context`` in as an editor (staff in the Editors group, not a superuser)."""
    client = Client()
    client.force_login(make_editor())
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])  # fmt: skip


def test_a_library_hosts_an_editor_approves_a_viewer_rsvps_and_the_host_gets_the_list(
    page, new_context, live_server, live_db, run_queued_tasks
):
    call_command("load_demo", verbosity=0)
    origin = live_server.url
    day = (timezone.now().astimezone(OAKLAND) + timedelta(days=30)).date()
    problems_in_console: list[str] = []
    watch(page.context, problems_in_console)

    # 1. The library finds the film and asks to host a screening of it.
    page.goto(origin + "/films/ai-weiwei-never-sorry/")
    page.get_by_role("link", name="Host a screening of this film").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Host a screening of {FILM}"
    page.get_by_label("Organisation").fill(ORGANISATION)
    page.get_by_label("Contact name").fill(CONTACT)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Phone").fill(PHONE)
    page.get_by_label("In person").check()
    page.get_by_label("Venue", exact=True).fill(VENUE)
    page.get_by_label("Street address").fill("5366 College Avenue")
    page.get_by_label("City").fill("Oakland")
    page.get_by_label("Region or state").fill("California")
    page.get_by_label("Postal code").fill("94618")
    page.get_by_label("Country").select_option(label="United States")
    assert page.get_by_label("Time zone at the venue").input_value() == ""  # left to derive
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("19:00")
    page.get_by_label("Ends at").fill("21:00")
    page.get_by_label("Expected audience").fill("40")
    assert page.get_by_label("Take RSVPs on this site").is_checked()  # the default
    page.get_by_label("Captions").check()
    page.get_by_label("Step-free access").check()
    page.get_by_label("Your note").fill(NOTE)
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url(re.compile(r"/host/requests/[^/]+/\?done=received$"))
    thanks = page.get_by_role("status")
    assert "Thank you, we have your request." in thanks.inner_text()
    assert EMAIL in thanks.inner_text()
    expect(page.get_by_text("Status: New")).to_be_visible()
    private_page = page.url.split("?")[0]
    when = page.locator("dt:text-is('When') + dd")
    assert when.inner_text() == (
        f"{day:%A, %B} {day.day}, {day:%Y}, 19:00–21:00 (America/Los Angeles)"
    )  # the zone worked out from Oakland, California

    # 2. The e-mail, sent by the worker: text and HTML, both with the absolute private link.
    assert mail.outbox == []  # queued by the request, not sent by it
    run_queued_tasks(renditions=False)
    received = mail_to(EMAIL, "We have your request to host a screening")
    body = parts(received)
    assert {"text/plain", "text/html"} <= body.keys()
    link = link_in(body["text/plain"], origin, r"/host/requests/[^/\s]+/")
    assert link in body["text/html"] and link == private_page
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Your request to host a screening"

    # 3. Through the private link the host moves the start half an hour earlier.
    page.get_by_role("link", name="Change the request").click()
    assert page.get_by_label("Organisation").input_value() == ORGANISATION  # all kept
    expect(page.get_by_label("Film", exact=True)).to_have_value("ai-weiwei-never-sorry")
    assert page.get_by_label("Starts at").input_value() == "19:00"
    page.get_by_label("Starts at").fill("18:30")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"\?done=changed$"))
    assert "Your changes are saved." in page.get_by_role("status").inner_text()
    assert when.inner_text().endswith(", 18:30–21:00 (America/Los Angeles)")
    run_queued_tasks(renditions=False)
    changed = mail_to(EMAIL, CHANGED_SUBJECT)
    assert "18:30" in changed.body and link in changed.body

    # 4. An editor sees the request waiting, opens it from the queue and approves it.
    editor = new_context().new_page()
    watch(editor.context, problems_in_console)
    login_as_editor(editor.context, live_server)
    editor.goto(origin + "/admin/")
    attention = editor.get_by_role("region", name="Needs attention")
    waiting = attention.get_by_role("link", name=re.compile(r"^\d+ new host requests?$"))
    assert waiting.inner_text() == "2 new host requests"  # the demo's and the library's
    waiting.click()
    editor.get_by_role("link", name=ORGANISATION).click()  # click 1 from the list
    expect(editor.get_by_text("New request", exact=True)).to_be_visible()
    editor.get_by_role("button", name="Approve and list").first.click()  # click 2, at the top
    editor.wait_for_url(re.compile(r"/admin/outreach/hostrequest/(\?.*)?$"))
    assert f"Approved: “{ORGANISATION}” is listed" in editor.locator(".messagelist").inner_text()
    editor.goto(origin + "/admin/")
    expect(attention.get_by_role("link", name=re.compile("new host request"))).to_have_text(
        "1 new host request"
    )

    # 5. Listed: on /screenings/ (by city), with the library as host and no contact detail;
    # the host is e-mailed the listing.
    viewer = new_context().new_page()
    watch(viewer.context, problems_in_console)
    viewer.goto(origin + "/screenings/")
    viewer.get_by_label("City").select_option("Oakland")
    viewer.get_by_role("button", name="Filter").click()
    viewer.wait_for_url(re.compile(r"city=Oakland"))
    listed = viewer.locator(".screenings > li", has_text=VENUE)
    assert listed.count() == 1
    assert "Community" in listed.inner_text()
    public = {viewer.url: viewer.content()}
    listed.get_by_role("link").first.click()
    viewer.wait_for_url(re.compile(r"/screenings/[0-9a-f-]{36}/$"))
    screening_page = viewer.url
    assert viewer.locator("dt:text-is('Hosted by') + dd").inner_text() == ORGANISATION
    assert viewer.locator("dt:text-is('Accessibility') + dd").inner_text() == (
        "Captions, Step-free access"
    )
    assert "6:30 PM–9 PM" in viewer.locator("dt:text-is('When') + dd").inner_text()
    public[screening_page] = viewer.content()  # with its structured data (JSON-LD)

    starts = datetime.combine(day, time(18, 30), tzinfo=OAKLAND)
    calendar_response = viewer.request.get(origin + "/screenings/calendar.ics")
    assert calendar_response.ok
    events = Calendar.from_ical(calendar_response.body()).walk("VEVENT")
    [event] = [e for e in events if VENUE in str(e["location"])]
    assert event["dtstart"].dt == starts
    assert event["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert "Oakland" in str(event["location"])
    own_calendar = viewer.get_by_role("link", name="Add to calendar").get_attribute("href")
    for path in (
        "/screenings/calendar.ics", own_calendar, "/films/ai-weiwei-never-sorry/",
        "/films/ai-weiwei-never-sorry/screenings.ics", "/sitemap-screenings.xml",
    ):  # fmt: skip
        response = viewer.request.get(origin + path)
        assert response.ok, path
        public[path] = response.text()
    assert screening_page.removeprefix(origin) in public["/sitemap-screenings.xml"]

    run_queued_tasks(renditions=False)
    listed_mail = mail_to(EMAIL, f"Your screening of {FILM} is listed")
    assert screening_page in listed_mail.body and link in listed_mail.body

    # 6. A viewer RSVPs for two and gets the event as .ics, with a link to cancel.
    viewer.get_by_role("link", name="RSVP here (free)").click()
    assert "40 places left." in viewer.locator(".rsvp-places").inner_text()
    public[viewer.url] = viewer.content()
    leaks = {where: [v for v in PRIVATE if v in text] for where, text in public.items()}
    assert leaks == dict.fromkeys(public, [])  # searched for by value, page by page
    viewer.get_by_label("Your name").fill(GUEST)
    viewer.get_by_label("E-mail").fill(GUEST_EMAIL)
    viewer.get_by_label("How many people, including you").fill("2")
    viewer.get_by_role("button", name="RSVP", exact=True).click()
    viewer.wait_for_url(re.compile(r"/rsvp/[^/]+/$"))
    confirmed = viewer.get_by_role("status")
    assert "You're on the list" in confirmed.inner_text()
    assert "Your places are confirmed." in confirmed.inner_text()
    assert viewer.locator("dt:text-is('Party') + dd").inner_text() == "2 people"
    rsvp_page = viewer.url

    run_queued_tasks(renditions=False)
    confirmation = mail_to(GUEST_EMAIL, "You're on the list")
    sent = parts(confirmation)
    assert {"text/plain", "text/html", "text/calendar"} <= sent.keys()
    [attached] = Calendar.from_ical(sent["text/calendar"]).walk("VEVENT")
    assert attached["dtstart"].dt == starts  # the time as the host changed it
    assert attached["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert VENUE in str(attached["location"]) and "Oakland" in str(attached["location"])
    cancel_link = link_in(sent["text/plain"], origin, r"/rsvp/[^/\s]+/")
    assert cancel_link == rsvp_page and cancel_link in sent["text/html"]
    viewer.goto(cancel_link)
    expect(viewer.get_by_role("button", name="Cancel my RSVP")).to_be_visible()

    # 7. The host sees the RSVP on the private page and downloads the list.
    page.goto(link)
    expect(page.get_by_text("Status: Approved")).to_be_visible()
    expect(page.get_by_text("It is listed:").get_by_role("link")).to_have_attribute(
        "href", screening_page.removeprefix(origin)
    )
    row = page.get_by_role("row", name=re.compile(GUEST))
    assert row.get_by_role("cell").all_inner_texts() == [GUEST, "2", "Confirmed"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the list with e-mail addresses (CSV)").click()
    assert download.value.suggested_filename == f"rsvps-{day:%Y-%m-%d}.csv"
    rows = list(csv.reader(Path(download.value.path()).read_text("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Name", "E-mail", "Party size", "Status"]
    assert [r[:4] for r in rows[1:]] == [[GUEST, GUEST_EMAIL, "2", "Confirmed"]]

    # 8. axe on the two private pages, as they stand now (an RSVP listed, one taken).
    checker = new_context(bypass_csp=True)
    problems = {url: axe_violations_at(checker, url) for url in (link, rsvp_page)}
    assert problems == {link: [], rsvp_page: []}
    assert problems_in_console == []  # nothing the CSP blocked, no script error
