"""An editor's scheduling journey in a real browser, at phone and desktop widths: schedule a
draft with the date-time picker, bulk-unpublish two posts and undo it from the message, and
drag a scheduled post to another day on the publishing calendar."""

import re
import zoneinfo
from datetime import datetime, timedelta

from django.utils import timezone

from blog.models import Post
from interviews.models import Interview
from tests.browser.accounts import sign_in
from tests.factories import InterviewFactory, PostFactory


def browser_zone(page, live_server) -> zoneinfo.ZoneInfo:
    """The zone the browser reports; admin-timezone.js hands it to the server."""
    page.goto(live_server.url + "/admin/")
    return zoneinfo.ZoneInfo(page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone"))


def test_an_editor_schedules_with_the_picker(editor_page, live_server):
    page = editor_page
    zone = browser_zone(page, live_server)
    draft = InterviewFactory(title="Harbour master", status="draft", publish_at=None)
    day = timezone.localdate(timezone.now(), zone) + timedelta(days=10)

    page.goto(live_server.url + f"/admin/interviews/interview/{draft.pk}/change/")
    page.get_by_label("Schedule for").check()
    page.get_by_label("Date and time, your time").fill(f"{day.isoformat()}T09:00")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/interviews/interview/")

    expected = f"Scheduled for {day:%a} {day.day} {day:%b}, 09:00 your time."
    if day.year != timezone.localdate(timezone.now(), zone).year:
        expected = f"Scheduled for {day:%a} {day.day} {day:%b %Y}, 09:00 your time."
    assert expected in page.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.publish_at == datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=9)
    assert Interview.objects.scheduled().filter(pk=draft.pk).exists()


def test_an_editor_bulk_unpublishes_and_undoes_it(editor_page, live_server):
    page = editor_page
    posts = [PostFactory(title="Spring news"), PostFactory(title="Summer news")]
    page.goto(live_server.url + "/admin/blog/post/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("unpublish")
    with page.expect_navigation():  # the list's own address, answered by the question
        page.get_by_role("button", name=re.compile("^Go$|Run", re.I)).click()

    page.get_by_role("heading", name="Unpublish these items?").wait_for()
    assert set(Post.objects.values_list("status", flat=True)) == {"published"}  # not yet
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, unpublish 2 items").click()
    assert "2 items unpublished." in page.locator(".messagelist").inner_text()
    assert set(Post.objects.values_list("status", flat=True)) == {"draft"}

    with page.expect_navigation():
        page.get_by_role("button", name="Undo").click()
    assert "Undone: 2 items are back as they were." in page.locator(".messagelist").inner_text()
    assert [Post.objects.get(pk=p.pk).status for p in posts] == ["published", "published"]


def test_an_editor_drags_a_scheduled_post_to_another_day(editor_page, live_server):
    page = editor_page
    zone = browser_zone(page, live_server)
    first = timezone.localdate(timezone.now(), zone) + timedelta(days=3)
    going_out = datetime.combine(first, datetime.min.time(), zone) + timedelta(hours=10)
    post = PostFactory(title="Festival news", publish_at=going_out)

    page.goto(live_server.url + f"/admin/calendar/?start={first.isoformat()}")
    target = first + timedelta(days=2)
    item = page.locator(f"[data-item='blog.post:{post.pk}']")
    assert "Festival news" in item.inner_text()
    with page.expect_navigation():  # the drop posts the item's "Move to" form
        item.drag_to(page.locator(f"li[data-day='{target.isoformat()}']"))

    assert "“Festival news” moved: scheduled for" in page.locator(".messagelist").inner_text()
    post.refresh_from_db()
    assert post.publish_at == going_out + timedelta(days=2)
    moved = page.locator(f"li[data-day='{target.isoformat()}']")
    assert "Festival news" in moved.inner_text() and "10:00" in moved.inner_text()


def test_the_scheduling_pages_pass_axe_and_fit_a_phone(axe_page, live_server, live_db):
    """The Schedule control, its future-date question, the bulk confirmation and the
    calendar (with a floating broadcast and a movable post): no WCAG 2.2 AA violation, and
    nothing wider than the screen."""

    from tests.checkers import axe_violations
    from tests.factories import ScreeningFactory, make_editor

    page = axe_page
    sign_in(page, live_server, make_editor())
    draft = InterviewFactory(title="Harbour master", status="draft", publish_at=None)
    post = PostFactory(title="Festival news", publish_at=timezone.now() + timedelta(days=1))
    ScreeningFactory(title="National premiere", local_broadcast_time=True,
                     starts_at=timezone.now() + timedelta(days=2))  # fmt: skip
    problems = {}

    def check(name: str) -> None:
        found = axe_violations(page)
        wide = page.evaluate(
            "() => [...document.querySelectorAll('.cms-schedule, .cms-schedule-question, "
            ".cms-bulk-confirm, .cms-calendar')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth + 1).map(e => e.className)"
        )
        if found or wide:
            problems[name] = found + wide

    page.goto(live_server.url + f"/admin/interviews/interview/{draft.pk}/change/")
    check("schedule control")
    page.get_by_label("Date and time, your time").fill("2037-12-01T09:00")
    page.locator("input[name=_continue]").click()
    page.get_by_role("heading", name="Schedule this draft?").wait_for()
    check("future-date question")
    page.goto(live_server.url + "/admin/blog/post/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("unpublish")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Go$|Run", re.I)).click()
    page.get_by_role("heading", name="Unpublish these items?").wait_for()
    check("bulk confirmation")
    # The week from yesterday holds the post and the broadcast whatever today's weekday (a
    # bare /admin/calendar/ shows Monday to Sunday, so on a Sunday "tomorrow" is next week).
    yesterday = timezone.localdate() - timedelta(days=1)
    page.goto(live_server.url + f"/admin/calendar/?start={yesterday.isoformat()}")
    page.locator(f"[data-item='blog.post:{post.pk}'] summary").click()  # the "Move to" fold
    check("calendar")
    assert problems == {}


def test_an_editor_moves_a_scheduled_post_with_the_keyboard(editor_page, live_server):
    """The way without a mouse: the item's "Move to another day" fold and its date."""
    page = editor_page
    zone = browser_zone(page, live_server)
    first = timezone.localdate(timezone.now(), zone) + timedelta(days=3)
    going_out = datetime.combine(first, datetime.min.time(), zone) + timedelta(hours=10)
    post = PostFactory(title="Festival news", publish_at=going_out)

    page.goto(live_server.url + f"/admin/calendar/?start={first.isoformat()}")
    fold = page.locator(f"[data-item='blog.post:{post.pk}'] summary")
    fold.focus()
    page.keyboard.press("Enter")
    day = page.get_by_label("New day for “Festival news”")
    day.fill((first + timedelta(days=1)).isoformat())
    with page.expect_navigation():
        day.press("Enter")
    assert "“Festival news” moved" in page.locator(".messagelist").inner_text()
    post.refresh_from_db()
    assert post.publish_at == going_out + timedelta(days=1)
