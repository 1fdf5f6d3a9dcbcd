"""Whole journeys in a real browser, at phone and desktop widths.

The viewer goes from the home page to a film, an interview and one of its answers, finds a
screening by city and adds it to a calendar, searches, and follows a feed. The editor (not
a superuser) signs in, uploads a photo with alt text, writes an interview of three pairs
in the rich-text editor, previews it, schedules it, publishes it and sees it live.
"""

import re
from datetime import timedelta

import feedparser
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from PIL import Image as Pil

from interviews.models import Interview
from tests.factories import FilmFactory, make_editor

INTERVIEW = "Alison Klayman on Filming Ai Weiwei"


def test_a_viewer_finds_reads_plans_searches_and_subscribes(page, live_server, live_db):
    call_command("load_demo", verbosity=0)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Films").click()
    page.get_by_role("link", name="Ai Weiwei: Never Sorry").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ai Weiwei: Never Sorry"
    page.get_by_role("link", name=INTERVIEW).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == INTERVIEW
    contents = page.get_by_role("navigation", name=re.compile("In this interview", re.I))
    third = contents.get_by_role("link").nth(2)
    anchor = third.get_attribute("href")
    third.click()
    assert page.url.endswith(anchor)
    page.wait_for_function(  # scrolled to the answer (smoothly, where motion is welcome)
        "id => { const top = document.getElementById(id).getBoundingClientRect().top;"
        " return top >= -2 && top < window.innerHeight / 2; }",
        arg=anchor.lstrip("#"), timeout=5000,
    )  # fmt: skip

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Screenings").click()
    page.get_by_label("City").select_option("Oakland")
    page.get_by_role("button", name="Filter").click()
    items = page.locator(".screenings > li")
    assert items.count() == 1 and "Oakland" in items.inner_text()
    items.get_by_role("link").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    [event] = calendar.walk("VEVENT")
    assert "Oakland" in str(event["location"])
    assert event["dtstart"].params["TZID"] == "America/Los_Angeles"

    page.get_by_label("Search the site").fill("courage")
    page.get_by_label("Search the site").press("Enter")
    result = page.locator(".result").first
    assert result.locator("mark").first.inner_text().lower() == "courage"
    result.get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == INTERVIEW
    assert "#" in page.url

    page.goto(live_server.url + "/tags/china/")
    with page.expect_response(re.compile(r"/tags/china/feed/$")) as feed:
        page.get_by_role("link", name="RSS", exact=True).click()  # "Follow this tag: RSS · Atom"
    parsed = feedparser.parse(feed.value.body())
    assert not parsed.bozo and INTERVIEW in [entry.title for entry in parsed.entries]


def test_an_editor_writes_previews_schedules_and_publishes_an_interview(
    page, live_server, live_db, tmp_path, browser
):
    editor = make_editor()
    FilmFactory(title="Salt Lines")
    photo = tmp_path / "harbour.jpg"
    Pil.new("RGB", (1200, 800), "#2a6f97").save(photo, "JPEG")

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(live_server.url + "/admin/cms/image/add/")
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_alt_text", "Fishing boats in the harbour at dawn")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/cms/image/")

    page.goto(live_server.url + "/admin/interviews/interview/add/")
    page.fill("#id_title", "Three questions for the harbour master")
    page.locator(".field-intro [contenteditable=true]").click()
    page.keyboard.type("An introduction typed in the editor.")
    page.locator(".field-hero_image .select2-selection").click()
    page.locator("input[aria-controls=select2-id_hero_image-results]").fill("harbour")
    page.locator(".select2-results__option", has_text="Fishing boats").click()
    for n in range(3):
        if n:
            page.get_by_role(
                "button", name=re.compile("Add another question and answer", re.I)
            ).click()
        page.fill(f"#id_pairs-{n}-question", f"Question number {n + 1}?")
        page.locator(f"#pairs-{n} [contenteditable=true]").click()
        page.keyboard.type(f"Answer number {n + 1}, in the editor.")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/admin/interviews/interview/\d+/change/"))
    interview = Interview.objects.get(title="Three questions for the harbour master")
    assert interview.pairs.count() == 3 and interview.status == "draft"
    assert interview.hero_image.alt_text == "Fishing boats in the harbour at dawn"

    change_url = page.url
    page.locator("a.viewsitelink").click()  # the admin's "View on site": a staff preview
    page.wait_for_url(f"**{interview.get_absolute_url()}")
    assert page.get_by_text("Preview — not published").is_visible()
    assert page.get_by_text("Answer number 3, in the editor.").is_visible()
    page.goto(change_url)

    tomorrow = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Schedule for").check()
    page.fill("#id_publish_at", tomorrow.strftime("%Y-%m-%dT09:00"))
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    interview.refresh_from_db()
    assert interview.publish_at > timezone.now()
    viewer = browser.new_context().new_page()
    assert viewer.goto(live_server.url + interview.get_absolute_url()).status == 404
    page.goto(live_server.url + "/admin/interviews/interview/")
    assert "Scheduled for" in page.locator("#result_list").inner_text()

    page.get_by_role("link", name="Three questions for the harbour master").click()
    page.get_by_label("Publish now").check()
    page.click("input[name=_save]")  # published with no time: published now
    page.wait_for_url("**/admin/interviews/interview/")
    assert viewer.goto(live_server.url + interview.get_absolute_url()).status == 200
    assert viewer.get_by_role("heading", level=1).inner_text() == (
        "Three questions for the harbour master"
    )
    assert viewer.locator("img[alt='Fishing boats in the harbour at dawn']").count() == 1
    assert viewer.get_by_text("Answer number 2, in the editor.").is_visible()
    viewer.context.close()
