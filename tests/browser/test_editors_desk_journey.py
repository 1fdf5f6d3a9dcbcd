"""The editor's desk end to end, as the issue's "done when" asks: a contributor who knows
WordPress pastes an eight-pair interview from Google Docs, gets a draft with its picture,
drags a pair into place, closes the tab by mistake and gets the work back, and submits it;
an editor approves it from the dashboard and it is live. Clicks and seconds are printed."""

import base64
import time

from django.conf import settings
from playwright.sync_api import expect

from cms.publishing.review import Review
from interviews.models import Interview
from tests.browser.accounts import sign_in
from tests.browser.test_drag_and_drop import drag
from tests.browser.test_import_journey import (
    QUESTIONS,
    REMOTE,
    docs_clipboard_html,
    paste,
)
from tests.cms.publishing.roles import make_user
from tests.factories import jpeg_bytes

AUTOSAVE_MS = settings.CMS_AUTOSAVE_SECONDS * 1000 + 1000


def test_a_pasted_interview_is_a_correct_draft_survives_a_closed_tab_and_goes_live(
    browser, live_server, live_db
):
    contributor = make_user("contributor", "cora")
    editor = make_user("editor", "eddie")
    # Tall enough for all eight pairs at once: the drag needs no scrolling.
    context = browser.new_context(viewport={"width": 1280, "height": 5200})
    page = context.new_page()
    sign_in(page, live_server, contributor)
    picture = "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes(600, 338)).decode()
    clicks = 0

    started = time.monotonic()
    page.goto(live_server.url + "/admin/interviews/interview/")
    page.get_by_role("link", name="Import an interview").click()
    clicks += 1
    paste(page, "[data-import-paste]", docs_clipboard_html().replace(REMOTE, picture), "Pasted")
    page.get_by_role("button", name="Show the split").click()
    clicks += 1
    page.get_by_role("button", name="Create the draft").click()
    clicks += 1
    page.wait_for_url("**/admin/interviews/interview/*/change/")
    drafted = time.monotonic() - started

    interview = Interview.objects.get()
    assert interview.status == "draft" and interview.title == "Eight Questions for the Director"
    assert [pair.question for pair in interview.pairs.all()] == QUESTIONS
    figure = interview.figures.get()
    assert figure.pair.question == QUESTIONS[2]
    assert "This is answer 3" not in figure.image.alt_text  # the caption stayed a caption
    assert interview.publish_at.date().isoformat() == "2026-10-02"  # "Posted on" kept

    # The last question belongs first: dragged by its grip. The photo follows answer 3.
    page.clock.install()
    page.reload()
    drag(page, page.locator("#pairs-7 .cms-drag-handle"), page.locator("#pairs-0"))
    clicks += 1
    expect(page.locator("#pairs-group .cms-order-status")).to_have_text(
        "Question 8 moved to position 1"
    )
    page.locator("#pairs-1 [contenteditable=true]").click()
    page.keyboard.press("End")
    page.keyboard.type(" She paused here.")
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#cms-autosave-status")).to_contain_text("autosaved at")
    page.close()  # the tab closed by mistake, nothing saved

    page = context.new_page()
    page.goto(f"{live_server.url}/admin/interviews/interview/{interview.pk}/change/")
    offer = page.locator("#cms-autosave-offer")
    expect(offer).to_contain_text("You have unsaved changes from")
    offer.get_by_role("button", name="Restore").click()
    clicks += 1
    expect(page.locator("#pairs-1 [contenteditable=true]")).to_contain_text("She paused here.")
    first = page.locator("#pairs-group .inline-related:not(.empty-form) .field-question textarea")
    expect(first.first).to_have_value(QUESTIONS[7])  # the restored order, as dragged
    page.get_by_role("button", name="Save and submit for review").click()
    clicks += 1
    expect(page.locator(".messagelist").first).to_be_visible()
    finished = time.monotonic() - started

    interview.refresh_from_db()
    assert interview.status == "draft"  # a contributor's work waits for review
    questions = [pair.question for pair in interview.pairs.all()]
    assert questions == [QUESTIONS[7], *QUESTIONS[:7]]
    assert "She paused here." in interview.pairs.get(question=QUESTIONS[1]).answer
    body = interview.body()
    assert body.index(figure) == body.index(interview.pairs.get(question=QUESTIONS[2])) + 1
    assert Review.objects.get().state == "pending"

    reviewing = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()
    sign_in(reviewing, live_server, editor)
    reviewing.goto(live_server.url + "/admin/")
    queue = reviewing.get_by_role("region", name="Waiting for your review")
    queue.get_by_role("link", name="Eight Questions for the Director").click()
    reviewing.get_by_role("complementary", name="Review").get_by_role(
        "button", name="Approve"
    ).click()
    expect(reviewing.locator(".messagelist").first).to_be_visible()
    interview.refresh_from_db()
    assert Interview.objects.live().filter(pk=interview.pk).exists()
    viewer = browser.new_context().new_page()
    assert viewer.goto(live_server.url + interview.get_absolute_url()).status == 200
    print(
        f"\ncontributor journey: draft in {drafted:.1f} s and 3 clicks; "
        f"dragged, restored and submitted in {finished:.1f} s and {clicks} clicks"
    )
    assert finished < 120
    context.close()
