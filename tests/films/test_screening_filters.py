"""The screening lists' film filter: every live film, written as Django's select writes it."""

import pytest
from bs4 import BeautifulSoup
from django import forms

from films.forms import LongSelect, ScreeningFilterForm
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


@pytest.mark.django_db
def test_the_film_filter_offers_live_films_and_keeps_the_choice(client):
    film = FilmFactory(title="Pelican Dreams", slug="pelican-dreams")
    FilmFactory(title="Hidden", slug="hidden", status="draft", publish_at=None)
    ScreeningFactory(film=film)
    page = client.get("/screenings/?film=pelican-dreams").content.decode()
    offered = options(str(BeautifulSoup(page, "html.parser").select_one("select#id_film")))
    assert ("pelican-dreams", "Pelican Dreams", True) in offered
    assert not any(slug == "hidden" for slug, _, _ in offered)


def test_the_form_takes_slug_and_title_pairs():
    form = ScreeningFilterForm({"film": "x"}, films=[("x", "X")], cities=[])
    assert form.is_valid()
    assert form.cleaned_data["film"] == "x"
