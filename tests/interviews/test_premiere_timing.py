"""An interview timed to its film's premiere goes live N hours from it, wherever it moves."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.page_cache.cache import next_boundary
from cms.publishing.dashboard import calendar_events
from films.models import Screening
from interviews.models import Interview
from tests.admin_forms import change_form_data, interview_form
from tests.factories import FilmFactory, InterviewFactory, ScreeningFactory, at

PREMIERE = at(2027, 2, 26, 3)  # 10 PM in New York on 25 February 2027
SECOND = timedelta(seconds=1)


def premiere(film, starts_at=PREMIERE, **fields):
    return ScreeningFactory(
        film=film, kind=Screening.Kind.BROADCAST, venue="PBS", starts_at=starts_at,
        time_zone="America/New_York", local_broadcast_time=True, **fields,
    )  # fmt: skip


def timed(hours, film=None, **fields):
    """A published interview timed to ``film``'s premiere; its own publish_at long past."""
    fields = {"film": film or FilmFactory(), "publish_at": at(2020, 1, 1), **fields}
    return InterviewFactory(premiere_offset_hours=hours, **fields)


def is_live(interview, at) -> bool:
    return Interview.objects.live(at).filter(pk=interview.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [-48, -1, 0, 2])
def test_goes_live_n_hours_from_the_premiere_to_the_second(hours):
    film = FilmFactory()
    premiere(film)
    interview = timed(hours, film)
    go_live = PREMIERE + timedelta(hours=hours)

    assert not is_live(interview, go_live - SECOND)
    assert is_live(interview, go_live)
    assert is_live(interview, go_live + SECOND)
    states = Interview.objects.with_state(go_live - SECOND).get(pk=interview.pk)
    assert (states.state, states.is_live, states.goes_live_at) == ("scheduled", False, go_live)
    assert Interview.objects.scheduled(go_live - SECOND).filter(pk=interview.pk).exists()
    assert Interview.objects.with_state(go_live).get(pk=interview.pk).state == "live"


@pytest.mark.django_db
def test_publish_at_is_ignored_when_timed_to_the_premiere():
    film = FilmFactory()
    premiere(film)
    interview = timed(-48, film, publish_at=PREMIERE + timedelta(days=30))

    assert is_live(interview, PREMIERE - timedelta(hours=48))


@pytest.mark.django_db
def test_a_moved_premiere_moves_the_go_live_with_no_save_of_the_interview():
    film = FilmFactory()
    screening = premiere(film)
    interview = timed(-24, film)
    stored = Interview.objects.filter(pk=interview.pk).values("updated_at", "publish_at")
    saved = stored.get()

    Screening.objects.filter(pk=screening.pk).update(starts_at=PREMIERE + timedelta(days=7))

    assert not is_live(interview, PREMIERE)
    assert not is_live(interview, PREMIERE + timedelta(days=6) - SECOND)
    assert is_live(interview, PREMIERE + timedelta(days=6))
    assert stored.get() == saved


@pytest.mark.django_db
def test_an_earlier_broadcast_added_becomes_the_premiere():
    film = FilmFactory()
    premiere(film)
    interview = timed(0, film)
    premiere(film, starts_at=PREMIERE - timedelta(days=3))

    assert is_live(interview, PREMIERE - timedelta(days=3))


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["cancelled", "deleted", "film deleted", "no film", "no broadcast"])
def test_with_no_premiere_the_interview_is_not_live(how):
    film = FilmFactory()
    screening = premiere(film)
    interview = timed(-48, film)
    assert is_live(interview, PREMIERE)
    match how:
        case "cancelled":
            screening.status = Screening.Status.CANCELLED
            screening.save()
        case "deleted":
            screening.delete()
        case "film deleted":
            film.delete()
        case "no film":
            Interview.objects.filter(pk=interview.pk).update(film=None)
        case "no broadcast":
            Screening.objects.filter(pk=screening.pk).update(kind=Screening.Kind.FESTIVAL)

    assert not is_live(interview, PREMIERE + timedelta(days=365))
    row = Interview.objects.with_state(PREMIERE).get(pk=interview.pk)
    assert (row.is_live, row.goes_live_at) == (False, None)


@pytest.mark.django_db
def test_a_draft_or_an_expired_interview_timed_to_the_premiere_stays_hidden():
    film = FilmFactory()
    premiere(film)
    draft = timed(-48, film, status="draft")
    expired = timed(-48, film, expire_at=PREMIERE - timedelta(hours=1))

    assert not is_live(draft, PREMIERE)
    assert not is_live(expired, PREMIERE)
    assert is_live(expired, PREMIERE - timedelta(hours=2))


@pytest.mark.django_db
def test_interviews_at_fixed_times_are_unchanged():
    film = FilmFactory()
    premiere(film)
    fixed = InterviewFactory(film=film, publish_at=PREMIERE + timedelta(days=1))

    assert not is_live(fixed, PREMIERE)
    assert is_live(fixed, PREMIERE + timedelta(days=1))


@pytest.mark.django_db
def test_live_is_one_query():
    for hours in (-48, None, 3):
        film = FilmFactory()
        premiere(film)
        InterviewFactory(film=film, premiere_offset_hours=hours)
    with CaptureQueriesContext(connection) as queries:
        rows = list(Interview.objects.live(PREMIERE + timedelta(days=1)))
    assert len(rows) == 3
    assert len(queries) == 1


@pytest.mark.django_db
def test_the_page_cache_expires_when_a_timed_interview_goes_live():
    film = FilmFactory()
    premiere(film)
    timed(-48, film)
    go_live = PREMIERE - timedelta(hours=48)

    assert Interview.next_visibility_change(go_live - SECOND) == go_live
    assert Interview.next_visibility_change(go_live) is None
    assert next_boundary(go_live - timedelta(hours=1)) <= go_live


@pytest.mark.django_db
def test_the_publishing_calendar_shows_a_timed_interview_going_live(editor_client):
    film = FilmFactory()
    premiere(film)
    interview = timed(-48, film, title="Before the premiere")
    go_live = PREMIERE - timedelta(hours=48)

    events = calendar_events(go_live - timedelta(days=1), go_live + timedelta(days=1))
    assert [(e.at, e.what, e.item) for e in events if e.item == interview] == [
        (go_live, "goes live", interview)
    ]
    page = editor_client.get(
        reverse("publishing-calendar"), {"start": timezone.localdate(go_live).isoformat()}
    ).content.decode()
    day = page.split('<li class="cms-calendar__day')[1]
    assert "Before the premiere" in day and "goes live" in day


# --- The admin ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_shows_when_it_goes_live_in_the_editors_zone(editor_client):
    film = FilmFactory()
    premiere(film)
    interview = timed(-48, film)
    editor_client.cookies["editor_tz"] = "Europe%2FBerlin"

    change = editor_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    page = change.content.decode()
    assert 'name="premiere_offset_hours"' in page and 'value="-48"' in page
    assert "Goes live at" in page and "Feb. 24, 2027, 4 a.m." in page  # 03:00 UTC, 2 days before
    listing = editor_client.get(reverse("admin:interviews_interview_changelist")).content.decode()
    assert "Feb. 24, 2027, 4 a.m." in listing


@pytest.mark.django_db
def test_saving_an_offset_sets_publish_at_to_the_moment_it_gives(editor_client):
    film = FilmFactory()
    premiere(film)
    data = interview_form(film, [("Q?", "<p>A</p>")], status="published", premiere_offset_hours="6")

    response = editor_client.post(reverse("admin:interviews_interview_add"), data)

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.premiere_offset_hours, interview.publish_at) == (
        6, PREMIERE + timedelta(hours=6)
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["no broadcast", "cancelled"])
def test_an_offset_from_a_film_with_no_premiere_is_refused_naming_the_film(editor_client, how):
    film = FilmFactory(title="Never Sorry")
    if how == "cancelled":
        premiere(film, status=Screening.Status.CANCELLED)
    interview = InterviewFactory(film=film, title="Kept as it was")
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    data = change_form_data(editor_client.get(url)) | {"premiere_offset_hours": "-48"}

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["premiere_offset_hours"]
    assert "“Never Sorry” has no broadcast premiere" in errors["premiere_offset_hours"][0]
    assert "has no broadcast premiere" in response.content.decode()
    assert Interview.objects.get(pk=interview.pk).premiere_offset_hours is None


@pytest.mark.django_db
def test_an_offset_with_no_film_is_refused(editor_client):
    film = FilmFactory()
    premiere(film)
    data = interview_form(film, [("Q?", "<p>A</p>")], premiere_offset_hours="-2") | {"film": ""}

    response = editor_client.post(reverse("admin:interviews_interview_add"), data)

    assert response.status_code == 200
    assert "Choose the film first" in response.content.decode()
    assert not Interview.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "accepted"), [(720, True), (-720, True), (721, False),
                                                  (-721, False)])  # fmt: skip
def test_an_offset_beyond_30_days_is_refused(editor_client, hours, accepted):
    film = FilmFactory()
    premiere(film)
    data = interview_form(film, [("Q?", "<p>A</p>")], premiere_offset_hours=str(hours))

    response = editor_client.post(reverse("admin:interviews_interview_add"), data)

    assert (response.status_code == 302) is accepted
    assert Interview.objects.exists() is accepted
    if not accepted:
        assert "At most 720 hours (30 days)" in response.content.decode()
