"""The editor's day: dashboard, publishing calendar, own time zone, scheduling with no job."""

import time
import zoneinfo
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview
from tests.admin_forms import change_form_data
from tests.factories import (
    FilmFactory,
    InterviewFactory,
    PostFactory,
    ScreeningFactory,
    make_editor,
)


@pytest.mark.django_db
def test_dashboard_shows_my_drafts_what_goes_out_soon_and_gaps(editor_client, editor):
    now = timezone.now()
    InterviewFactory(title="My draft", status="draft", publish_at=None, updated_by=editor)
    InterviewFactory(title="Someone else's draft", status="draft", publish_at=None,
                     updated_by=make_editor("ann"))  # fmt: skip
    PostFactory(title="Out on Friday", publish_at=now + timedelta(days=3))
    PostFactory(title="Out next month", publish_at=now + timedelta(days=30))
    PostFactory(title="Out yesterday", publish_at=now - timedelta(days=1))
    ScreeningFactory(title="Library screening", kind="community", address="", tickets_url="")
    ScreeningFactory(title="Complete screening", address="1 Main St",
                     tickets_url="https://tickets.example.org/")  # fmt: skip
    page = editor_client.get(reverse("admin:index")).content.decode()
    drafts, soon, recent, gaps = (
        page.split(heading, 1)[1].split("</section>", 1)[0]
        for heading in ("My drafts", "Going live in the next 7 days", "Recently published",
                        "Upcoming screenings missing details")
    )  # fmt: skip
    assert "My draft" in drafts and "Someone else" not in drafts
    assert "Out on Friday" in soon and "Out next month" not in soon
    assert "Out yesterday" in recent and "Out on Friday" not in recent
    assert "Library screening" in gaps and "no address, no tickets or RSVP link" in gaps
    assert "Complete screening" not in gaps


@pytest.mark.django_db
def test_calendar_shows_goings_live_expiries_and_screenings_by_day(editor_client):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    at = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time()))
    PostFactory(title="Tuesday post", publish_at=at + timedelta(days=1, hours=9))
    PostFactory(title="Expiring Thursday", publish_at=at - timedelta(days=9),
                expire_at=at + timedelta(days=3, hours=17))  # fmt: skip
    ScreeningFactory(title="Saturday screening", starts_at=at + timedelta(days=5, hours=19))
    url = reverse("publishing-calendar")
    page = editor_client.get(url).content.decode()
    days = page.split('<li class="cms-calendar__day')[1:]
    assert len(days) == 7
    assert "Tuesday post" in days[1] and "goes live" in days[1]
    assert "Expiring Thursday" in days[3] and "expires" in days[3]
    assert "Saturday screening" in days[5]
    month = editor_client.get(url, {"span": "month", "start": monday.isoformat()})
    assert month.content.decode().count('<li class="cms-calendar__day') == 28
    assert editor_client.get(url, {"start": "not-a-date", "span": "decade"}).status_code == 200
    assert Client().get(url).status_code == 302  # staff only: to the login page


@pytest.mark.django_db
def test_admin_times_follow_the_editors_time_zone(editor_client):
    InterviewFactory(title="Soon", publish_at=timezone.now().replace(
        year=2031, month=2, day=25, hour=6, minute=0, second=0, microsecond=0))  # fmt: skip
    url = reverse("admin:interviews_interview_changelist")
    editor_client.cookies["editor_tz"] = "Asia%2FTokyo"  # as the browser's script writes it
    assert "Scheduled for Feb. 25, 2031, 3 p.m." in editor_client.get(url).content.decode()
    editor_client.cookies["editor_tz"] = "America/Los_Angeles"
    assert "Scheduled for Feb. 24, 2031, 10 p.m." in editor_client.get(url).content.decode()
    editor_client.cookies["editor_tz"] = "Not/AZone"
    assert editor_client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_scheduled_post_appears_and_expires_on_time_with_no_job_running(client):
    film = FilmFactory()
    start = timezone.now() + timedelta(seconds=1.2)
    end = start + timedelta(seconds=1.2)
    post = PostFactory(title="On the dot", publish_at=start, expire_at=end, related_film=film)
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "On the dot" not in client.get("/blog/").content.decode()
    time.sleep(max(0, (start - timezone.now()).total_seconds()) + 0.05)
    assert client.get(post.get_absolute_url()).status_code == 200
    assert "On the dot" in client.get("/blog/").content.decode()
    time.sleep(max(0, (post.expire_at - timezone.now()).total_seconds()) + 0.05)
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "On the dot" not in client.get("/blog/").content.decode()


@pytest.mark.django_db
def test_publishing_in_the_admin_with_no_time_publishes_now(editor_client):
    from tests.factories import InterviewFactory

    interview = InterviewFactory(status="draft", publish_at=None)
    url = f"/admin/interviews/interview/{interview.pk}/change/"
    data = change_form_data(editor_client.get(url)) | {
        "status": "published", "publish_at_0": "", "publish_at_1": ""}  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    interview = Interview.objects.get()
    assert interview.status == "published" and interview.publish_at <= timezone.now()
    assert Interview.objects.live().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start",
    ["9999-12-31", "9999-12-25", "0001-01-01", "0001-01-03", "1899-12-31", "3000-01-01",
     "garbage", "99999999999999999999", "2013-02-30", "\x00", "2013-02-25\x00", "+10000-01-01"],
)  # fmt: skip
@pytest.mark.parametrize("span", ["week", "month"])
def test_a_calendar_start_out_of_range_or_malformed_shows_this_week(editor_client, start, span):
    response = editor_client.get(reverse("publishing-calendar"), {"start": start, "span": span})
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["days"][0]["day"] == today - timedelta(days=today.weekday())
    assert "Choose a start date from 1900-01-01 to 2999-12-31" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["1900-01-01", "2013-02-25", "2999-12-31"])
def test_a_calendar_start_in_range_is_shown_without_a_message(editor_client, start):
    response = editor_client.get(reverse("publishing-calendar"), {"start": start, "span": "month"})
    assert response.status_code == 200
    assert str(response.context["days"][0]["day"]) == start
    assert len(response.context["days"]) == 28
    assert "Choose a start date" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie",
    ["America", "Europe", "Asia%2F", "..%2Fetc%2Fpasswd", "%2Fetc%2Flocaltime", "%00", "UTC%00",
     "Not/AZone", "posixrules%00", "x" * 300],
)  # fmt: skip
def test_an_editor_time_zone_cookie_naming_no_zone_is_ignored(editor_client, settings, cookie):
    """Only names the time zone database lists are used; ZoneInfo reads a name as a path."""
    editor_client.cookies["editor_tz"] = cookie
    response = editor_client.get(reverse("publishing-calendar"))
    assert response.status_code == 200
    site_zone = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).tzname()
    assert f"Times are in your time zone ({site_zone})" in response.content.decode()


@pytest.mark.django_db
def test_an_editor_time_zone_cookie_naming_a_zone_is_used(editor_client):
    editor_client.cookies["editor_tz"] = "Asia%2FTokyo"
    response = editor_client.get(reverse("publishing-calendar"))
    assert "Times are in your time zone (JST)" in response.content.decode()
