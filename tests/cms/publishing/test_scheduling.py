"""Scheduling you can see: the Schedule control and its messages, the future-date question,
bulk publish and unpublish with a confirmation and an undo, and the publishing calendar
(floating broadcasts, filters, moving a scheduled page to another day)."""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from blog.models import Post
from films.models import AvailabilityWindow, Screening
from interviews.models import Interview
from tests.admin_forms import change_form_data
from tests.factories import FilmFactory, InterviewFactory, PostFactory, ScreeningFactory

TOKYO = "Asia/Tokyo"


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def stored(obj) -> tuple:
    fresh = type(obj).objects.get(pk=obj.pk)
    return fresh.status, fresh.publish_at, fresh.expire_at, fresh.updated_at


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def save(client, obj, **changes):
    """Post the page's change form as the browser shows it, with ``changes``.

    The form's values are read back on the editor's clock, as the page showed them.
    """
    cookie = client.cookies.get("editor_tz")
    page = client.get(change_url(obj))
    with timezone.override(unquote(cookie.value) if cookie else None):
        data = change_form_data(page) | changes
    return client.post(change_url(obj), data, follow=True)


@pytest.fixture
def tokyo_editor(editor_client):
    editor_client.cookies["editor_tz"] = "Asia%2FTokyo"  # as admin-timezone.js writes it
    return editor_client


def plain_staff(username: str = "writer"):
    """Staff who may change interviews and posts but hold no publish permission."""
    user = get_user_model().objects.create_user(username, password="x", is_staff=True)
    codenames = ["view_interview", "change_interview", "view_post", "change_post"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


# --- The Schedule control and the save messages -------------------------------------------


@pytest.mark.django_db
def test_the_control_offers_draft_publish_now_and_schedule_with_a_picker(tokyo_editor):
    page = tokyo_editor.get(change_url(InterviewFactory(status="draft", publish_at=None)))
    html = page.content.decode()
    for value in ("draft", "published", "scheduled"):
        assert f'name="status" value="{value}"' in html
    assert '<select name="status"' not in html
    assert html.count('type="datetime-local"') == 2  # publish at, and expire at in a fold
    assert 'name="publish_at_0"' not in html  # no split date and time boxes
    assert "Take it down at a set time (optional)" in html
    assert "Times are in your time zone (Asia/Tokyo)" in html


@pytest.mark.django_db
def test_scheduling_names_the_moment_on_the_editors_clock(tokyo_editor):
    draft = InterviewFactory(status="draft", publish_at=None)
    response = save(tokyo_editor, draft, status="scheduled", publish_at="2037-12-01T09:00")
    assert response.redirect_chain, response.context["adminform"].form.errors
    assert any("Scheduled for Tue 1 Dec 2037, 09:00 your time." in m
               for m in messages_of(response))  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.publish_at == datetime(2037, 12, 1, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
    assert Interview.objects.scheduled().filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_a_scheduled_page_opens_with_schedule_chosen_and_its_time_in_the_picker(tokyo_editor):
    page = InterviewFactory(publish_at=datetime(2037, 12, 1, 0, 0, tzinfo=UTC))
    html = tokyo_editor.get(change_url(page)).content.decode()
    assert re.search(r'value="scheduled" id="id_status_2" checked', html)
    assert 'value="2037-12-01T09:00"' in html


@pytest.mark.django_db
def test_publish_now_and_draft_say_so(tokyo_editor):
    draft = InterviewFactory(status="draft", publish_at=None)
    published = save(tokyo_editor, draft, status="published")
    assert any("Published: viewers see it now." in m for m in messages_of(published))
    assert Interview.objects.live().filter(pk=draft.pk).exists()
    back = save(tokyo_editor, draft, status="draft")
    assert any("Saved as draft: only staff see it." in m for m in messages_of(back))
    assert not Interview.objects.live().filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_a_live_page_keeps_its_date_when_saved(editor_client):
    live = InterviewFactory(publish_at=datetime(2020, 5, 4, 10, 23, 45, tzinfo=UTC))
    save(editor_client, live, title="Retitled")
    live.refresh_from_db()
    assert live.title == "Retitled"
    assert live.publish_at == datetime(2020, 5, 4, 10, 23, 45, tzinfo=UTC)  # seconds kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("publish_at", "message"),
    [("", "Choose the date and time it goes live."),
     ("2001-01-01T09:00", "has passed: choose a time still to come"),
     ("tomorrow", "Enter a valid date/time.")],
)  # fmt: skip
def test_a_schedule_without_a_time_to_come_is_refused(editor_client, publish_at, message):
    draft = InterviewFactory(status="draft", publish_at=None)
    before = stored(draft)
    response = save(editor_client, draft, status="scheduled", publish_at=publish_at)
    assert not response.redirect_chain
    assert message in response.content.decode()
    assert stored(draft) == before


# --- A draft given a future date: asked whether to schedule it ------------------------------


@pytest.mark.django_db
def test_a_draft_given_a_future_date_is_asked_about_and_nothing_is_saved(tokyo_editor):
    draft = InterviewFactory(status="draft", publish_at=None)
    before = stored(draft)
    response = save(tokyo_editor, draft, status="draft", publish_at="2037-12-01T09:00")
    assert not response.redirect_chain
    html = response.content.decode()
    assert "Schedule this draft?" in html
    assert re.search(r'<button[^>]+name="schedule_answer" value="scheduled"[^>]*>'
                     r"Schedule it for Tue 1 Dec 2037, 09:00 your time</button>", html)  # fmt: skip
    assert re.search(r'value="draft"[^>]*>Keep as draft</button>', html)
    assert 'form="interview_form"' in html  # the buttons submit the form itself
    assert stored(draft) == before


@pytest.mark.django_db
def test_answering_schedule_schedules_it(tokyo_editor):
    draft = InterviewFactory(status="draft", publish_at=None)
    response = save(tokyo_editor, draft, status="draft", publish_at="2037-12-01T09:00",
                    schedule_answer="scheduled")  # fmt: skip
    assert any("Scheduled for Tue 1 Dec 2037, 09:00" in m for m in messages_of(response))
    assert Interview.objects.scheduled().filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_answering_keep_as_draft_keeps_the_time_asked_for_and_asks_no_more(tokyo_editor):
    draft = InterviewFactory(status="draft", publish_at=None)
    response = save(tokyo_editor, draft, status="draft", publish_at="2037-12-01T09:00",
                    schedule_answer="draft")  # fmt: skip
    assert any("Saved as draft" in m and "the time asked for is Tue 1 Dec 2037, 09:00" in m
               for m in messages_of(response))  # fmt: skip
    draft.refresh_from_db()
    assert (draft.status, draft.publish_at) == ("draft", datetime(2037, 12, 1, tzinfo=UTC))
    again = save(tokyo_editor, draft, title="Edited again")
    assert again.redirect_chain and "Schedule this draft?" not in again.content.decode()


@pytest.mark.django_db
def test_unscheduling_back_to_draft_is_not_asked_about(editor_client):
    scheduled = InterviewFactory(publish_at=timezone.now() + timedelta(days=3))
    response = save(editor_client, scheduled, status="draft")
    assert response.redirect_chain
    assert Interview.objects.get(pk=scheduled.pk).status == "draft"


@pytest.mark.django_db
def test_without_the_publish_permission_a_drafts_date_is_kept_without_a_question(client):
    client.force_login(plain_staff())
    draft = InterviewFactory(status="draft", publish_at=None)
    response = save(client, draft, status="draft", publish_at="2037-12-01T09:00")
    assert response.redirect_chain
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.publish_at is not None
    refused = save(client, draft, status="scheduled", publish_at="2037-12-02T09:00")
    assert "You may not publish, schedule or unpublish" in refused.content.decode()
    assert Interview.objects.get(pk=draft.pk).status == "draft"


# --- Bulk publish and unpublish: confirmation and undo -------------------------------------


def bulk(client, action: str, *pages, confirm: bool = True, follow: bool = True):
    data = {"action": action, "_selected_action": [p.pk for p in pages]}
    return client.post(reverse("admin:blog_post_changelist"),
                       data | ({"post": "yes"} if confirm else {}), follow=follow)  # fmt: skip


def undo_url(response) -> str:
    [url] = re.findall(r'action="(/admin/blog/post/undo/[^"]+/)"', response.content.decode())
    return url


@pytest.mark.django_db
def test_bulk_unpublish_asks_first_listing_the_items(editor_client):
    first, second = PostFactory(title="First post"), PostFactory(title="Second post")
    draft = PostFactory(title="Already a draft", status="draft", publish_at=None)
    before = [stored(p) for p in (first, second, draft)]
    response = bulk(editor_client, "unpublish", first, second, draft, confirm=False)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unpublish these items?" in html
    changing = html.split("cms-bulk-confirm__changing")[1].split("</ul>")[0]
    assert "First post" in changing and "Second post" in changing
    assert "Already a draft" in html.split("cms-bulk-confirm__unchanged")[1]
    assert "Yes, unpublish 2 items" in html and "No, take me back" in html
    assert [stored(p) for p in (first, second, draft)] == before


@pytest.mark.django_db
def test_bulk_unpublish_can_be_undone_from_its_message(editor_client, editor):
    first = PostFactory(publish_at=timezone.now() - timedelta(days=2))
    scheduled = PostFactory(publish_at=timezone.now() + timedelta(days=2),
                            expire_at=timezone.now() + timedelta(days=9))  # fmt: skip
    before = {p.pk: stored(p)[:3] for p in (first, scheduled)}
    response = bulk(editor_client, "unpublish", first, scheduled)
    assert "2 items unpublished." in response.content.decode()
    assert set(Post.objects.values_list("status", flat=True)) == {"draft"}

    undone = editor_client.post(undo_url(response), follow=True)
    assert "Undone: 2 items are back as they were." in messages_of(undone)
    assert {p.pk: stored(p)[:3] for p in (first, scheduled)} == before
    assert Post.objects.get(pk=scheduled.pk).updated_by == editor
    history = LogEntry.objects.filter(object_id=str(first.pk)).order_by("id")
    assert list(history.values_list("change_message", flat=True)) == [
        "Unpublished.",
        "Undone: Unpublished.",
    ]
    comments = [v.revision.comment for v in Version.objects.get_for_object(first)]
    assert comments == ["Undone: Unpublished.", "Unpublished."]


@pytest.mark.django_db
def test_bulk_publish_can_be_undone_too(editor_client):
    draft = PostFactory(status="draft", publish_at=None)
    response = bulk(editor_client, "publish_now", draft)
    assert Post.objects.live().filter(pk=draft.pk).exists()
    editor_client.post(undo_url(response))
    draft.refresh_from_db()
    assert (draft.status, draft.publish_at) == ("draft", None)


@pytest.mark.django_db
def test_an_undo_is_refused_once_the_window_has_passed(editor_client, settings):
    settings.CMS_UNDO_SECONDS = 300
    post = PostFactory()
    url = undo_url(bulk(editor_client, "unpublish", post))
    session = editor_client.session
    token = url.rstrip("/").rsplit("/", 1)[1]
    record = session["cms_undo"][token]
    record["at"] = (timezone.now() - timedelta(seconds=301)).isoformat()
    session.save()
    before = stored(post)
    response = editor_client.post(url, follow=True)
    assert ("Too late to undo: a change can be undone for 5 minutes. Nothing was changed; "
            "change the items one by one instead.") in messages_of(response)  # fmt: skip
    assert stored(post) == before


@pytest.mark.django_db
def test_an_undo_is_refused_when_an_item_changed_since(editor_client):
    kept, edited = PostFactory(title="Kept"), PostFactory(title="Edited since")
    url = undo_url(bulk(editor_client, "unpublish", kept, edited))
    Post.objects.filter(pk=edited.pk).update(status="published", updated_at=timezone.now())
    before = [stored(kept), stored(edited)]
    response = editor_client.post(url, follow=True)
    assert any(m.startswith("Cannot undo: “Edited since” changed since") for m in
               messages_of(response))  # fmt: skip
    assert [stored(kept), stored(edited)] == before  # all or nothing


@pytest.mark.django_db
def test_an_undo_is_refused_twice_by_get_and_without_the_permission(editor_client):
    post = PostFactory()
    url = undo_url(bulk(editor_client, "unpublish", post))
    assert editor_client.get(url).status_code == 405
    client = Client()
    client.force_login(plain_staff())
    assert any("cannot undo" in m for m in messages_of(client.post(url, follow=True)))
    assert Post.objects.get(pk=post.pk).status == "draft"
    editor_client.post(url)
    twice = editor_client.post(url, follow=True)
    assert any(m.startswith("There is nothing to undo here") for m in messages_of(twice))


# --- The publishing calendar -----------------------------------------------------------------


def calendar(client, **params):
    return client.get(reverse("publishing-calendar"), params)


def day_html(response, day) -> str:
    html = response.content.decode()
    return html.split(f'data-day="{day.isoformat()}"')[1].split('<li class="cms-calendar__day')[0]


@pytest.mark.django_db
def test_a_floating_broadcast_shows_as_local_time_on_its_own_day(editor_client):
    # 10 PM in Los Angeles on 2 March is 3 March in Tokyo, but a floating broadcast airs at
    # 10 PM wherever one watches: it stays on the 2nd, at "10 PM local time".
    editor_client.cookies["editor_tz"] = TOKYO
    la_ten_pm = datetime(2037, 3, 3, 6, 0, tzinfo=UTC)
    ScreeningFactory(title="National premiere", kind=Screening.Kind.BROADCAST,
                     time_zone="America/Los_Angeles", local_broadcast_time=True,
                     starts_at=la_ten_pm)  # fmt: skip
    ScreeningFactory(title="Festival slot", starts_at=la_ten_pm)  # not floating: Tokyo time
    response = calendar(editor_client, start="2037-03-02")
    monday, tuesday = (day_html(response, date(2037, 3, d)) for d in (2, 3))
    assert "National premiere" in monday and "10 PM local time" in monday
    assert "Festival slot" in tuesday and "15:00" in tuesday
    assert "National premiere" not in tuesday


@pytest.mark.django_db
def test_the_calendar_shows_screenings_windows_and_scheduled_pages(editor_client):
    monday = datetime(2037, 3, 2, 12, tzinfo=UTC)
    film = FilmFactory(title="Salt Lines")
    PostFactory(title="Going out Tuesday", publish_at=monday + timedelta(days=1))
    ScreeningFactory(title="Wednesday screening", film=film, starts_at=monday + timedelta(days=2))
    AvailabilityWindow.objects.create(film=film, platform="free-streaming", service="App",
                                      starts_at=monday + timedelta(days=3))  # fmt: skip
    html = calendar(editor_client, start="2037-03-02").content.decode()
    for text in ("Going out Tuesday", "Wednesday screening", "window opens"):
        assert text in html
    assert 'draggable="true"' in html  # the scheduled post may be moved


@pytest.mark.django_db
def test_the_calendar_filters_by_kind_and_by_film(editor_client):
    monday = datetime(2037, 3, 2, 12, tzinfo=UTC)
    salt, ice = FilmFactory(title="Salt Lines"), FilmFactory(title="Ice Roads")
    InterviewFactory(title="Salt interview", film=salt, publish_at=monday + timedelta(days=1))
    InterviewFactory(title="Ice interview", film=ice, publish_at=monday + timedelta(days=1))
    ScreeningFactory(title="Salt screening", film=salt, starts_at=monday + timedelta(days=2))
    everything = calendar(editor_client, start="2037-03-02").content.decode()
    assert f'<option value="films.film:{salt.pk}">Salt Lines</option>' in everything
    assert '<option value="films.screening">Screenings</option>' in everything

    screenings = calendar(editor_client, start="2037-03-02", kind="films.screening")
    assert "Salt screening" in screenings.content.decode()
    assert "Salt interview" not in screenings.content.decode()
    about_salt = calendar(editor_client, start="2037-03-02", film=f"films.film:{salt.pk}")
    html = about_salt.content.decode()
    assert "Salt interview" in html and "Salt screening" in html
    assert "Ice interview" not in html
    later = calendar(editor_client, start="2037-06-01", film=f"films.film:{salt.pk}")
    assert f'value="films.film:{salt.pk}" selected>Salt Lines' in later.content.decode()
    for odd in ({"kind": "auth.user"}, {"film": "auth.user:1"}, {"film": "nonsense"}):
        assert calendar(editor_client, start="2037-03-02", **odd).status_code == 200


# The session and its user; per model on the calendar, two for each publishable kind
# (goings-live and expiries of films, interviews, posts, resources; a page's film comes in
# the same row), one for screenings with their films, two for windows (openings, closings);
# then the user's and the groups' permissions, for the admin's menus.
QUERIES = 2 + 2 * 4 + 1 + 2 + 2


@pytest.mark.django_db
def test_the_calendar_costs_the_same_queries_whatever_it_shows(
    editor_client, django_assert_num_queries
):
    calendar(editor_client)  # the session and permissions, read once like any admin page

    def fill(week: datetime, n: int) -> None:
        for i in range(n):
            film = FilmFactory()
            InterviewFactory(film=film, publish_at=week + timedelta(days=i % 7))
            PostFactory(related_film=film, publish_at=week + timedelta(days=i % 7),
                        expire_at=week + timedelta(days=6))  # fmt: skip
            ScreeningFactory(film=film, starts_at=week + timedelta(days=i % 7))

    fill(datetime(2037, 3, 2, 12, tzinfo=UTC), 2)
    fill(datetime(2037, 3, 9, 12, tzinfo=UTC), 6)
    with django_assert_num_queries(QUERIES) as small:
        calendar(editor_client, start="2037-03-02")
    with django_assert_num_queries(QUERIES) as large:
        calendar(editor_client, start="2037-03-09")
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Moving a scheduled page to another day ---------------------------------------------------


def move(client, obj, day: str, **extra):
    data = {"item": f"{obj._meta.label_lower}:{obj.pk}", "day": day,
            "next": reverse("publishing-calendar")} | extra  # fmt: skip
    return client.post(reverse("calendar-move"), data, follow=True)


@pytest.mark.django_db
def test_moving_a_scheduled_page_keeps_its_time_of_day_on_the_editors_clock(tokyo_editor):
    post = PostFactory(publish_at=datetime(2037, 12, 1, 0, 0, tzinfo=UTC))  # 09:00 in Tokyo
    response = move(tokyo_editor, post, "2037-12-04")
    assert "moved: scheduled for Fri 4 Dec 2037, 09:00 your time." in messages_of(response)[0]
    post.refresh_from_db()
    assert post.publish_at == datetime(2037, 12, 4, 0, 0, tzinfo=UTC)
    [version] = Version.objects.get_for_object(post)
    assert version.revision.comment == (
        "Moved from Tue 1 Dec 2037, 09:00 your time to Fri 4 Dec 2037, 09:00 your time."
    )
    assert LogEntry.objects.get(object_id=str(post.pk)).change_message == version.revision.comment


@pytest.mark.django_db
def test_moving_needs_the_publish_permission(client):
    client.force_login(plain_staff())
    post = PostFactory(publish_at=timezone.now() + timedelta(days=3))
    before = stored(post)
    response = move(client, post, (timezone.localdate() + timedelta(days=5)).isoformat())
    assert messages_of(response) == ["You may not schedule posts; nothing was moved."]
    assert stored(post) == before
    html = calendar(client, start=timezone.localdate(post.publish_at).isoformat()).content.decode()
    assert str(post) in html and 'draggable="true"' not in html  # nothing offered to move


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "day", "message"),
    [("scheduled", "next friday", "is not a date"),
     ("scheduled", "2001-01-01", "has passed: choose a day still to come"),
     ("scheduled", "", "is not a date"),
     ("draft", "+5", "is not scheduled"),
     ("live", "+5", "is not scheduled"),
     ("expiring", "+5", "cannot go live after that")],
)  # fmt: skip
def test_moving_refuses_bad_input_and_changes_nothing(editor_client, state, day, message):
    now = timezone.now()
    fields = {
        "scheduled": {"publish_at": now + timedelta(days=2)},
        "draft": {"status": "draft", "publish_at": now + timedelta(days=2)},
        "live": {"publish_at": now - timedelta(days=2)},
        "expiring": {"publish_at": now + timedelta(days=2), "expire_at": now + timedelta(days=3)},
    }[state]
    post = PostFactory(**fields)
    before = stored(post)
    if day == "+5":
        day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = move(editor_client, post, day)
    [said] = messages_of(response)
    assert message in said
    assert stored(post) == before
    assert not Version.objects.get_for_object(post).exists()


@pytest.mark.django_db
def test_moving_refuses_unknown_items_and_get(editor_client):
    assert editor_client.get(reverse("calendar-move")).status_code == 405
    for item in ("auth.user:1", "blog.post:999", "nonsense", "blog.post:abc"):
        response = editor_client.post(reverse("calendar-move"), {"item": item, "day": "2037-01-01"},
                                      follow=True)  # fmt: skip
        assert messages_of(response) == ["That page was not found; nothing was moved."]
    response = move(editor_client, PostFactory(publish_at=timezone.now() + timedelta(days=2)),
                    "2037-01-01", next="https://evil.example/")  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("publishing-calendar")


@pytest.mark.django_db
def test_a_new_page_starts_as_a_draft_in_the_schedule_control(editor_client):
    """An add form has no instance to read the state from: the model's default is checked."""
    html = editor_client.get("/admin/interviews/interview/add/").content.decode()
    assert '<input type="radio" name="status" value="draft" id="id_status_0" checked>' in html
