"""Who and which screenings a viewer may see: each rule written once, beside its model.

Films' own pages and the site search (``films/search_documents.py``) both call these.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from films.models import Credit, Person, Screening
from tests.factories import CreditFactory, FilmFactory, PersonFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

HIDDEN_FILMS = {
    "draft": {"status": "draft", "publish_at": None},
    "scheduled": {"publish_at": "future"},
    "expired": {"expire_at": "past"},
}


def hidden_film(state: str):
    now = timezone.now()
    when = {"future": now + timedelta(days=1), "past": now - timedelta(hours=1)}
    return FilmFactory(
        **{key: when.get(value, value) for key, value in HIDDEN_FILMS[state].items()}
    )


def test_a_person_credited_on_a_live_film_is_visible_once():
    person = PersonFactory()
    CreditFactory(film=FilmFactory(), person=person)
    CreditFactory(film=FilmFactory(), person=person, role=Credit.Role.PRODUCER)
    assert list(Person.objects.visible()) == [person]


@pytest.mark.parametrize("state", HIDDEN_FILMS)
def test_a_person_credited_only_on_films_viewers_cannot_see_is_hidden(state):
    credit = CreditFactory(film=hidden_film(state))
    assert not Person.objects.visible().exists()
    assert not Credit.objects.visible().exists()
    CreditFactory(film=FilmFactory(), person=credit.person)
    assert list(Person.objects.visible()) == [credit.person]


def test_a_person_with_no_credit_is_hidden():
    PersonFactory()
    assert not Person.objects.visible().exists()


def test_visible_credits_are_those_on_live_films():
    shown = CreditFactory(film=FilmFactory())
    CreditFactory(film=hidden_film("draft"))
    assert list(Credit.objects.visible()) == [shown]


@pytest.mark.parametrize("state", HIDDEN_FILMS)
def test_screenings_of_films_viewers_cannot_see_are_hidden(state):
    shown = ScreeningFactory(film=FilmFactory())
    ScreeningFactory(film=hidden_film(state))
    assert list(Screening.objects.visible()) == [shown]


def test_the_screening_pages_show_only_visible_screenings(client):
    shown = ScreeningFactory(film=FilmFactory(title="Open film"))
    hidden = ScreeningFactory(film=hidden_film("draft"))
    listing = client.get("/screenings/").content.decode()
    assert shown.get_absolute_url() in listing
    assert hidden.get_absolute_url() not in listing
    assert client.get(shown.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
