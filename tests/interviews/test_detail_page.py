"""The interview page: its row found by prepared SQL, its parts kept rendered per version of
what they show, its "More interviews" box read along an index."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.page_cache.models import content_changed
from cms.publishing.views import PreparedLiveLookup
from films.videos import Video
from interviews.models import Interview
from interviews.views import InterviewDetailView
from tests.factories import (
    CreditFactory,
    FigureFactory,
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PersonFactory,
    PostFactory,
    QuestionAnswerFactory,
    ScreeningFactory,
)
from tests.page_queries import queries_of

YOUTUBE = "https://www.youtube.com/watch?v=Vq3MyE0Oc2w"


def interview_page(n: int) -> Interview:
    """An interview showing ``n`` of everything: pairs, figures, people, credits, tags, news."""
    film = FilmFactory(poster=ImageFactory(), social_image=ImageFactory())
    video = Video.objects.create(film=film, title="The trailer", url=YOUTUBE,
                                 poster=ImageFactory())  # fmt: skip
    interview = InterviewFactory(film=film, hero_image=ImageFactory(), video=video)
    for _ in range(n):
        FigureFactory(interview=interview, pair=QuestionAnswerFactory(interview=interview))
        interview.interviewees.add(PersonFactory())
        CreditFactory(film=film)
        InterviewFactory(film=None, social_image=ImageFactory())
        InterviewFactory(film=film)
        PostFactory()
    interview.tags.add(*[f"tag {i}" for i in range(n)])
    return interview


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [1, 30])
def test_a_page_whose_parts_are_kept_makes_one_query_and_one_check(client, amount):
    url = interview_page(amount).get_absolute_url()
    client.get(url)
    # The interview, then the versions of what the head shows and of ``*``; the article and
    # aside were kept under that same ``*``, so nothing changed since they were made.
    assert queries_of(client, url)[0] == 2


@pytest.mark.django_db
def test_after_an_edit_elsewhere_each_part_is_checked_once_then_trusted_again(client):
    url = interview_page(2).get_absolute_url()
    client.get(url)
    content_changed(["resources.resource:1"])  # moves ``*``; nothing this page shows
    # The interview, then each part's versions (head, article, aside): all still current,
    # and each is marked current under the new ``*``; and the footer's settings, as this
    # process makes the footer once per ``*``.
    assert queries_of(client, url)[0] == 5
    assert queries_of(client, url)[0] == 2


@pytest.mark.django_db
@override_settings(CMS_FRAGMENT_CACHE_ENABLED=False)
@pytest.mark.parametrize("amount", [1, 30])
def test_a_page_built_afresh_makes_the_same_queries_at_any_amount(client, amount):
    url = interview_page(amount).get_absolute_url()
    client.get(url)
    # The interview; head: its image, the live film with its pictures, the film's directors,
    # the people, the tags, the video with its poster, the poster's renditions; article: the
    # pairs, the figures with their images, their and the hero's renditions; aside: the
    # film's windows, its picture's renditions, "More interviews", "From our blog"; the
    # footer: the site settings.
    assert queries_of(client, url)[0] == 16


@pytest.mark.django_db
def test_an_edit_of_anything_a_kept_part_shows_is_on_the_next_view(client):
    interview = interview_page(2)
    url = interview.get_absolute_url()
    client.get(url)
    pair = interview.pairs.first()
    pair.answer = "<p>A fresh answer.</p>"
    pair.save()
    figure = interview.figures.first()
    figure.caption = "A fresh caption"
    figure.save()
    interview.film.title = "A fresh title"
    interview.film.save()
    page = client.get(url).content.decode()
    assert "A fresh answer." in page
    assert "A fresh caption" in page
    assert page.count("A fresh title") >= 2  # the kicker and the film's card


@pytest.mark.django_db
def test_a_scheduled_interview_is_not_found_until_its_moment():
    """The prepared SQL takes the request's moment, not the one it was prepared at."""
    from django.test import Client

    client = Client()
    later = InterviewFactory(publish_at=timezone.now() + timedelta(hours=1))
    now = InterviewFactory()
    assert client.get(now.get_absolute_url()).status_code == 200  # prepares the SQL
    assert client.get(later.get_absolute_url()).status_code == 404
    later.publish_at = timezone.now() - timedelta(seconds=1)
    later.save()
    assert client.get(later.get_absolute_url()).status_code == 200
    assert client.get("/interviews/no-such-interview/").status_code == 404


@pytest.mark.django_db
def test_an_interview_timed_to_its_premiere_is_found_once_the_premiere_is_past(client):
    film = FilmFactory()
    premiere = ScreeningFactory(film=film, kind="broadcast",
                                starts_at=timezone.now() + timedelta(hours=2))  # fmt: skip
    interview = InterviewFactory(film=film, premiere_offset_hours=-1)
    assert client.get(interview.get_absolute_url()).status_code == 404
    premiere.starts_at = timezone.now() + timedelta(minutes=30)
    premiere.save()
    assert client.get(interview.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_staff_still_preview_a_draft(client, editor):
    draft = InterviewFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_more_interviews_puts_the_same_film_first_then_the_newest():
    film = FilmFactory()
    now = timezone.now()
    interview = InterviewFactory(film=film)
    older_same = InterviewFactory(film=film, publish_at=now - timedelta(days=9))
    newer_same = InterviewFactory(film=film, publish_at=now - timedelta(days=5))
    newest_other = InterviewFactory(publish_at=now - timedelta(hours=1))
    InterviewFactory(publish_at=now - timedelta(days=30))
    InterviewFactory(film=film, status="draft")
    InterviewFactory(film=film, publish_at=now + timedelta(days=1))  # scheduled
    assert Interview.objects.related_to(interview) == [newer_same, older_same, newest_other]
    assert Interview.objects.related_to(interview, count=1) == [newer_same]
    alone = InterviewFactory(film=None, publish_at=now - timedelta(minutes=1))
    assert Interview.objects.related_to(alone)[:2] == [newest_other, interview]


@pytest.mark.django_db
def test_more_interviews_is_one_query():
    interview = InterviewFactory()
    for _ in range(5):
        InterviewFactory(film=interview.film)
        InterviewFactory()
    with CaptureQueriesContext(connection) as queries:
        related = Interview.objects.related_to(interview)
        assert [item.get_absolute_url() for item in related]
    assert len(queries) == 1


@pytest.mark.django_db
def test_the_placed_video_comes_with_its_poster_in_two_queries_once():
    film = FilmFactory()
    video = Video.objects.create(film=film, title="The trailer", url=YOUTUBE,
                                 poster=ImageFactory())  # fmt: skip
    interview = Interview.objects.for_detail().get(pk=InterviewFactory(video=video).pk)
    with CaptureQueriesContext(connection) as queries:
        assert interview.shown_video().poster.renditions.all() is not None
        assert interview.shown_video().address.provider == "youtube"
    assert len(queries) == 2  # the video with its poster, then the poster's renditions


@pytest.mark.django_db
def test_the_body_loads_pairs_figures_and_pictures_once():
    interview = InterviewFactory(hero_image=ImageFactory())
    for _ in range(3):
        FigureFactory(interview=interview, pair=QuestionAnswerFactory(interview=interview))
    interview = Interview.objects.for_detail().get(pk=interview.pk)
    with CaptureQueriesContext(connection) as queries:
        body = interview.body()
        assert not interview.hero_is_a_figure
        assert [block.image.renditions.all() for block in body[1::2]]
        assert interview.hero_image.renditions.all() is not None
        assert interview.body() == body
    # The hero image; the pairs; the figures with their images; every picture's renditions.
    assert len(queries) == 4


@pytest.mark.django_db
def test_the_interview_page_finds_its_row_by_sql_prepared_once():
    """Prepared with marks for the moment (each place the live rule reads it) and the slug."""
    view = InterviewDetailView()
    view.setup(RequestFactory().get("/"), slug="any")
    view.request.user = AnonymousUser()
    prepared = PreparedLiveLookup().prepare(view.public_queryset_at, "slug", "default")
    assert prepared is not None
    assert len(prepared.moments) == 3  # publish_at, the premiere-timed go-live, expire_at
    assert prepared.params[prepared.slug_at] == PreparedLiveLookup.SLUG


@pytest.mark.django_db
def test_the_prepared_lookup_makes_the_row_the_orm_makes():
    """Every field as the ORM gives it: converted (the body's JSON, aware datetimes), and a
    row loaded from the database, not a new one."""
    interview = InterviewFactory(title="Made by hand", search_description="Looked up")
    view = InterviewDetailView()
    view.setup(RequestFactory().get("/"), slug=interview.slug)
    view.request.user = AnonymousUser()
    found = view.prepared_live_lookup()
    expected = Interview.objects.get(pk=interview.pk)
    assert not found._state.adding and found._state.db == "default"
    for field in Interview._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.publish_at.tzinfo is not None and found.created_at.tzinfo is not None


@pytest.mark.django_db
def test_the_kept_list_of_interviews_shows_an_edit_and_a_new_one_at_once(client):
    first = InterviewFactory(title="A first talk")
    client.get("/interviews/")
    assert "A first talk" in client.get("/interviews/").content.decode()  # kept by now
    first.title = "A renamed talk"
    first.save()
    InterviewFactory(title="A second talk")
    html = client.get("/interviews/").content.decode()
    assert "A renamed talk" in html and "A second talk" in html and "A first talk" not in html
    assert client.get("/interviews/?page=9").status_code == 404  # past the end, still
