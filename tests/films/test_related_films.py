"""Related films on a film's page: those sharing the most tags, live ones only, in fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.models import Film
from tests.factories import FilmFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_films_sharing_more_tags_come_first_and_the_film_itself_never():
    film = FilmFactory(title="Subject")
    film.tags.add("art", "china", "activism")
    two = FilmFactory(title="Two in common")
    two.tags.add("art", "china")
    one = FilmFactory(title="One in common")
    one.tags.add("activism", "music")
    FilmFactory(title="None in common").tags.add("music")
    draft = FilmFactory(title="Draft", status=Film.Status.DRAFT, publish_at=None)
    draft.tags.add("art", "china", "activism")
    subject = Film.objects.for_detail().get(pk=film.pk)
    assert Film.objects.sharing_tags_with(subject) == [two, one]


def test_a_film_without_tags_has_no_related_films_and_costs_no_query():
    film = Film.objects.for_detail().get(pk=FilmFactory().pk)
    with CaptureQueriesContext(connection) as queries:
        assert Film.objects.sharing_tags_with(film) == []
    assert len(queries) == 0


@pytest.mark.parametrize("amount", [1, 30])
def test_related_films_cost_the_same_queries_however_many(amount):
    film = FilmFactory()
    film.tags.add("shared")
    poster = ImageFactory()
    for n in range(amount):
        FilmFactory(title=f"Other {n}", poster=poster).tags.add("shared")
    subject = Film.objects.for_detail().get(pk=film.pk)
    with CaptureQueriesContext(connection) as queries:
        related = Film.objects.sharing_tags_with(subject)
    assert len(related) == min(amount, 4)
    assert len(queries) == 2  # the films with their posters, then the posters' renditions


def test_the_film_page_shows_them_as_cards(client):
    film = FilmFactory()
    film.tags.add("shared")
    other = FilmFactory(title="A companion film", logline="Also about art.")
    other.tags.add("shared")
    page = client.get(film.get_absolute_url()).content.decode()
    assert 'id="related-films-heading"' in page
    assert "A companion film" in page and "Also about art." in page
