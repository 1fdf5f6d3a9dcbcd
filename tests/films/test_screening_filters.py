"""The screening lists' film and city filters: the films and cities listed, as Django's select
writes them, or a typed value once there are too many to list."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.utils import timezone

from films.forms import FILTER_CHOICES_MOST, LongSelect, ScreeningFilterForm
from films.models import Screening
from tests.factories import FilmFactory, ScreeningFactory

CHOICES = [("", "All films"), ("a-film", "A <film> & “more”"), ("b", 'Say "B"')]


def options(html: str) -> list[tuple[str, str, bool]]:
    select = BeautifulSoup(html, "html.parser").select_one("select")
    return [(o["value"], o.get_text(), o.has_attr("selected")) for o in select.select("option")]


@pytest.mark.parametrize("value", ["", "a-film", "junk"])
def test_long_select_writes_what_djangos_select_writes(value):
    ours = LongSelect(choices=CHOICES).render("film", value, {"id": "id_film"})
    django = forms.Select(choices=CHOICES).render("film", value, {"id": "id_film"})
    assert options(ours) == options(django)
    soup = BeautifulSoup(ours, "html.parser").select_one("select")
    assert (soup["name"], soup["id"]) == ("film", "id_film")


def test_long_select_escapes_values_and_labels():
    html = LongSelect(choices=[('"><script>x</script>', "<b>bold</b>")]).render("film", "")
    assert "<script>" not in html
    assert "<b>" not in html
    assert options(html) == [('"><script>x</script>', "<b>bold</b>", False)]


def field(page: str, name: str):
    return BeautifulSoup(page, "html.parser").select_one(f"#id_{name}")


def listed(page: str) -> list[str]:
    """The film of each screening listed."""
    soup = BeautifulSoup(page, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".screenings .meta a")]


@pytest.mark.django_db
def test_the_film_filter_offers_the_films_listed_and_keeps_the_choice(client):
    film = FilmFactory(title="Pelican Dreams", slug="pelican-dreams")
    hidden = FilmFactory(title="Hidden", slug="hidden", status="draft", publish_at=None)
    ScreeningFactory(film=hidden)
    gone = FilmFactory(title="Long Gone", slug="long-gone")
    ScreeningFactory(film=gone, starts_at=timezone.now() - timedelta(days=30))
    FilmFactory(title="Never Shown", slug="never-shown")
    ScreeningFactory(film=film)
    page = client.get("/screenings/?film=pelican-dreams").content.decode()
    offered = options(str(field(page, "film")))
    assert offered == [("", "All films", False), ("pelican-dreams", "Pelican Dreams", True)]
    past = options(str(field(client.get("/screenings/past/").content.decode(), "film")))
    assert [slug for slug, _, _ in past] == ["", "long-gone"]


def many_films_screened(count: int) -> list[Screening]:
    return [
        ScreeningFactory(film=FilmFactory(title=f"Film number {n:02}"), city=f"Town {n:02}")
        for n in range(count)
    ]


@pytest.mark.django_db
def test_a_list_of_films_and_cities_as_long_as_may_be_listed_is_offered(client):
    many_films_screened(FILTER_CHOICES_MOST)
    page = client.get("/screenings/").content.decode()
    assert len(field(page, "film").select("option")) == FILTER_CHOICES_MOST + 1
    assert len(field(page, "city").select("option")) == FILTER_CHOICES_MOST + 1


@pytest.mark.django_db
def test_past_the_most_listed_the_film_and_city_are_typed(client):
    screenings = many_films_screened(FILTER_CHOICES_MOST + 1)
    page = client.get("/screenings/").content.decode()
    assert page.count("<option") == len(Screening.Kind.choices) + 1  # the kinds alone
    for name in ("film", "city"):
        assert (field(page, name).name, field(page, name)["type"]) == ("input", "search")

    response = client.get("/screenings/?film=NUMBER+0")  # part of a title, any case
    page = response.content.decode()
    assert listed(page) == [f"Film number 0{n}" for n in range(10)]
    assert field(page, "film")["value"] == "NUMBER 0"
    assert "not recognised" not in page
    assert "no-store" in response["Cache-Control"]  # typed values have no end: never kept

    by_slug = client.get(f"/screenings/?film={screenings[7].film.slug}").content.decode()
    assert listed(by_slug) == ["Film number 07"]
    in_town = client.get("/screenings/?city=town+4&film=number").content.decode()
    assert listed(in_town) == ["Film number 40"]
    nothing = client.get("/screenings/?film=Pelican").content.decode()
    assert listed(nothing) == []
    assert "No upcoming screenings match." in nothing


@pytest.mark.django_db
def test_a_typed_value_too_long_is_ignored_and_said(client):
    many_films_screened(FILTER_CHOICES_MOST + 1)
    response = client.get("/screenings/", {"film": "x" * 201, "city": "Town 03"})
    page = response.content.decode()
    assert "Some filters were not recognised and were ignored: film." in page
    assert listed(page) == ["Film number 03"]
    assert "no-store" in response["Cache-Control"]


def test_the_form_takes_slug_and_title_pairs():
    form = ScreeningFilterForm({"film": "x"}, films=[("x", "X")], cities=[])
    assert form.is_valid()
    assert form.cleaned_data["film"] == "x"


@pytest.mark.django_db
def test_a_live_film_with_nothing_listed_is_chosen_and_lists_nothing(client):
    """An older link to a film with no upcoming screenings is not an unknown value."""
    ScreeningFactory(film=FilmFactory(title="Pelican Dreams", slug="pelican-dreams"))
    gone = FilmFactory(title="Long Gone", slug="long-gone")
    ScreeningFactory(film=gone, starts_at=timezone.now() - timedelta(days=30))
    hidden = FilmFactory(title="Hidden", slug="hidden", status="draft", publish_at=None)
    response = client.get("/screenings/?film=long-gone")
    page = response.content.decode()
    assert listed(page) == []
    assert "No upcoming screenings match." in page
    assert "not recognised" not in page
    assert ("long-gone", "Long Gone", True) in options(str(field(page, "film")))

    draft = client.get(f"/screenings/?film={hidden.slug}").content.decode()
    assert "Some filters were not recognised and were ignored: film." in draft
    assert listed(draft) == ["Pelican Dreams"]  # unfiltered, and the draft never named
    assert "Hidden" not in str(field(draft, "film"))


@pytest.mark.django_db
def test_a_typed_slug_picks_that_film_alone(client):
    many_films_screened(FILTER_CHOICES_MOST)
    ScreeningFactory(film=FilmFactory(title="Up", slug="up"))
    ScreeningFactory(film=FilmFactory(title="Grown Up", slug="grown-up"))
    assert listed(client.get("/screenings/?film=up").content.decode()) == ["Up"]
    in_titles = client.get("/screenings/?film=UP+").content.decode()  # no slug: part of titles
    assert sorted(listed(in_titles)) == ["Grown Up", "Up"]


@pytest.mark.django_db
def test_a_typed_field_left_blank_keeps_the_list(client):
    many_films_screened(FILTER_CHOICES_MOST + 1)
    response = client.get("/screenings/", {"city": "  "})
    assert "no-store" not in response.get("Cache-Control", "")
    assert len(listed(response.content.decode())) == 25
