"""The films list, the screening lists, a screening's page and /watch/: parts kept per page
address, read afresh after any edit of what they show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from films.availability import AvailabilityWindow
from tests.factories import CreditFactory, FilmFactory, ImageFactory, ScreeningFactory
from tests.page_queries import queries_of


def window(film, service: str, **times) -> AvailabilityWindow:
    now = timezone.now()
    return AvailabilityWindow.objects.create(
        film=film, platform=AvailabilityWindow.Platform.FREE_STREAMING, service=service,
        url="https://example.org/", starts_at=times.get("starts_at", now - timedelta(days=9)),
        ends_at=times.get("ends_at"),
    )  # fmt: skip


@pytest.mark.django_db
def test_the_films_list_is_kept_and_shows_an_edit_at_once(client):
    film = FilmFactory(poster=ImageFactory())
    credit = CreditFactory(film=film, role="director")
    client.get("/films/")
    # The versions of the head's rows and of ``*``, under which the main part was kept too.
    assert queries_of(client, "/films/")[0] == 1
    credit.person.name = "A Fresh Director"
    credit.person.save()
    FilmFactory(title="A Fresh Film")
    page = queries_of(client, "/films/")[1]
    assert "A Fresh Director" in page and "A Fresh Film" in page


@pytest.mark.django_db
def test_a_page_past_the_end_of_a_list_is_still_a_404(client):
    FilmFactory()
    assert client.get("/films/?page=2").status_code == 404
    assert client.get("/screenings/?page=9").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("past", [False, True])
def test_the_screening_lists_are_kept_and_show_an_edit_at_once(client, past):
    starts = timezone.now() + timedelta(days=-20 if past else 20)
    screening = ScreeningFactory(starts_at=starts, city="Oakland")
    url = "/screenings/past/" if past else "/screenings/"
    client.get(url)
    # The versions of the head's rows and of ``*``, under which the main part was kept too.
    assert queries_of(client, url)[0] == 1
    screening.venue = "A Fresh Venue"
    screening.save()
    ScreeningFactory(starts_at=starts, city="Fresno")
    page = queries_of(client, url)[1]
    assert "A Fresh Venue" in page
    assert '<option value="Fresno">' in page  # the new city among the filters


@pytest.mark.django_db
def test_a_filtered_list_with_unknown_values_keeps_no_part(client):
    ScreeningFactory(city="Oakland")
    for _ in range(2):
        response = client.get("/screenings/?city=Nowhere")
        assert "no-store" in response["Cache-Control"]
        assert "Some filters were not recognised" in response.content.decode()
    page = queries_of(client, "/screenings/?city=Oakland")[1]
    assert "Some filters were not recognised" not in page


@pytest.mark.django_db
def test_a_screening_page_is_kept_and_shows_an_edit_at_once(client):
    screening = ScreeningFactory(film=FilmFactory(poster=ImageFactory()))
    CreditFactory(film=screening.film, role="director")
    url = screening.get_absolute_url()
    client.get(url)
    # The screening (SQL compiled once), its film by key, then the versions of what the head
    # shows and of ``*``, under which the main part was kept too.
    assert queries_of(client, url)[0] == 3
    screening.venue = "A Fresh Venue"
    screening.save()
    page = queries_of(client, url)[1]
    assert page.count("A Fresh Venue") >= 2  # the facts, and the ScreeningEvent's location
    screening.film.title = "A Fresh Film Title"
    screening.film.save()
    assert "A Fresh Film Title" in queries_of(client, url)[1]


@pytest.mark.django_db
def test_watch_is_kept_and_shows_an_edit_or_a_new_window_at_once(client):
    film = FilmFactory()
    open_now = window(film, "A Service")
    client.get("/watch/")
    assert queries_of(client, "/watch/")[0] == 1  # the versions of the main column's rows
    open_now.service = "A Fresh Service"
    open_now.save()
    soon = timezone.now() + timedelta(days=3)
    window(FilmFactory(title="A Coming Film"), "Later", starts_at=soon)
    page = queries_of(client, "/watch/")[1]
    assert "A Fresh Service" in page and "A Coming Film" in page


@pytest.mark.django_db
def test_watch_shows_a_film_published_after_its_windows(client):
    film = FilmFactory(status="draft", title="A Film Not Yet Out")
    window(film, "A Service")
    assert "A Film Not Yet Out" not in client.get("/watch/").content.decode()
    film.status = "published"
    film.save()
    assert "A Film Not Yet Out" in client.get("/watch/").content.decode()
