"""The film page: its row found by prepared SQL, its head and main column kept rendered per
version of what they show, each loading what it shows only when it is rendered."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from cms.publishing.models import ShareLink
from films.availability import AvailabilityWindow
from films.models import Film
from films.videos import Video
from tests.factories import (
    CreditFactory,
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PostFactory,
    ScreeningFactory,
)
from tests.page_queries import queries_of

YOUTUBE = "https://www.youtube.com/watch?v=Vq3MyE0Oc2w"
DAY = timedelta(days=1)


def film_page(n: int) -> Film:
    """A film showing ``n`` of everything: credits, windows, screenings, interviews, news."""
    film = FilmFactory(poster=ImageFactory(), social_image=ImageFactory())
    now = timezone.now()
    for i in range(n):
        CreditFactory(film=film)
        AvailabilityWindow.objects.create(
            film=film, platform=AvailabilityWindow.Platform.FREE_STREAMING, service=f"Service {i}",
            url="https://example.org/", starts_at=now - timedelta(days=9),
        )  # fmt: skip
        Video.objects.create(film=film, title=f"Clip {i}", url=f"{YOUTUBE}&t={i}",
                             poster=ImageFactory())  # fmt: skip
        ScreeningFactory(film=film, city=f"City {i}")
        ScreeningFactory(film=film, starts_at=now - timedelta(days=30 + i))
        InterviewFactory(film=film, social_image=ImageFactory())
        PostFactory(related_film=film, hero_image=ImageFactory())
        FilmFactory(poster=ImageFactory()).tags.add(f"tag {i}")
    film.tags.add(*[f"tag {i}" for i in range(n)])
    return film


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [1, 30])
def test_a_page_whose_parts_are_kept_makes_one_query_and_one_check(client, amount):
    url = film_page(amount).get_absolute_url()
    client.get(url)
    # The film, then the versions of what the head shows and of ``*``, under which the main
    # part was kept too.
    assert queries_of(client, url)[0] == 2


@pytest.mark.django_db
@override_settings(CMS_FRAGMENT_CACHE_ENABLED=False)
@pytest.mark.parametrize("amount", [1, 30])
def test_a_page_built_afresh_makes_the_same_queries_at_any_amount(client, amount):
    url = film_page(amount).get_absolute_url()
    client.get(url)
    # The film; each part (head, main) loads it again with its pictures, their renditions
    # (2), credits, tags, videos, their posters' renditions and its windows: 8 each; the main
    # column also its screenings upcoming and past, its interviews and news with their
    # pictures' renditions (4), its resources, and its tags for the films sharing them, with
    # their pictures' renditions (3); the footer, the site settings (1). Only the first
    # viewer after an edit pays these.
    assert queries_of(client, url)[0] == 28


@pytest.mark.django_db
def test_an_edit_of_anything_a_kept_part_shows_is_on_the_next_view(client):
    film = film_page(2)
    url = film.get_absolute_url()
    client.get(url)
    credit = film.credits.first()
    credit.person.name = "A Fresh Name"
    credit.person.save()
    screening = film.screenings.upcoming().first()
    screening.venue = "A Fresh Venue"
    screening.save()
    window = film.windows.first()
    window.service = "A Fresh Service"
    window.save()
    interview = film.interviews.first()
    interview.title = "A Fresh Interview"
    interview.save()
    video = film.videos.first()
    video.title = "A Fresh Clip"
    video.save()
    page = client.get(url).content.decode()
    assert page.count("A Fresh Name") == 2  # the credits, and the Movie's director or producer
    assert "A Fresh Venue" in page
    assert page.count("A Fresh Service") >= 2  # the box, and the Movie's WatchAction
    assert "A Fresh Interview" in page
    assert "A Fresh Clip" in page
    film.title = "A Fresh Title"
    film.save()
    page = client.get(url).content.decode()
    assert page.count("A Fresh Title") >= 3  # the head's title, the heading, the Movie
    assert "<h1>A Fresh Title</h1>" in page


@pytest.mark.django_db
def test_a_new_screening_or_news_post_is_on_the_next_view(client):
    film = film_page(1)
    url = film.get_absolute_url()
    client.get(url)
    ScreeningFactory(film=film, venue="A New Hall")
    PostFactory(related_film=film, title="A new post about the film")
    page = client.get(url).content.decode()
    assert "A New Hall" in page
    assert "A new post about the film" in page


@pytest.mark.django_db
def test_the_head_keeps_the_movie_and_the_feeds(client):
    film = film_page(1)
    url = film.get_absolute_url()
    for _ in range(2):  # built, then kept
        page = client.get(url).content.decode()
        head = page.split("</head>")[0]
        scripts = head.split('<script type="application/ld+json">')[1:]
        types = [json.loads(script.split("</script>")[0])["@type"] for script in scripts]
        assert types == ["Movie", "VideoObject", "BreadcrumbList"]
        assert f'href="/interviews/film/{film.slug}/feed/atom/"' in head


@pytest.mark.django_db
def test_a_share_link_view_leaves_nothing_for_viewers(client):
    """The preview's page holds its own address (canonical, share links): never kept."""
    film = film_page(1)
    link = ShareLink.objects.create(content_object=film, expires_at=timezone.now() + DAY)
    assert client.get(link.get_absolute_url()).status_code == 200
    page = client.get(film.get_absolute_url()).content.decode()
    assert link.token not in page
    assert f'<link rel="canonical" href="http://testserver{film.get_absolute_url()}">' in page


@pytest.mark.django_db
def test_staff_see_a_page_built_for_them_that_viewers_never_get(client, editor):
    film = film_page(1)
    url = film.get_absolute_url()
    client.force_login(editor)
    assert client.get(url).status_code == 200
    client.logout()
    assert queries_of(client, url)[0] > 2  # built afresh: the editor's parts were not kept
    assert queries_of(client, url)[0] == 2
    film.status = "draft"
    film.save()
    assert client.get(url).status_code == 404
    client.force_login(editor)
    page = client.get(url)
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "<h1>" + film.title + "</h1>" in page.content.decode()
