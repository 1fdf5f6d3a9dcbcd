"""The form pages keep their blank fields rendered (``{% fragment %}``) and their long lists'
options written once (``KeptChoices``): what they show must still change at once with the
content behind it, and nothing one viewer typed or holds may reach another."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.db.models.signals import post_init
from django.test import Client
from django.utils import timezone

from films.forms import KeptChoices, LongSelect
from films.models import Film, Screening
from outreach.host_forms import HostRequestForm
from outreach.host_requests import HostRequest
from tests.factories import FilmFactory
from tests.outreach.test_host_requests import form_data, submit
from tests.outreach.test_rsvps import make_guestlist, post_rsvp, rsvp_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def film_rows_made():
    """The films made into rows (``post_init``) while the test runs."""
    made: list[Film] = []

    def count(sender, instance, **kwargs) -> None:
        made.append(instance)

    post_init.connect(count, sender=Film)
    yield made
    post_init.disconnect(count, sender=Film)


def options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the select named ``name``."""
    select = BeautifulSoup(page, "html.parser").select_one(f'select[name="{name}"]')
    return [(o["value"], o.get_text(), o.has_attr("selected")) for o in select.select("option")]


def field_values(page: str) -> dict[str, str]:
    """The value of every text-like input of the form (the CSRF token aside)."""
    form = BeautifulSoup(page, "html.parser").select_one("form[method=post]")
    return {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("type") not in ("hidden", "checkbox", "radio")
    }


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


# The long lists.


@pytest.mark.parametrize("value", ["", "FR", "junk"])
def test_the_kept_country_list_is_what_djangos_select_writes(value):
    field = HostRequestForm().fields["country"]
    ours = field.widget.render("country", value, {"id": "id_country"})
    django = forms.Select(choices=list(field.choices)).render("country", value)
    assert options(ours, "country") == options(django, "country")
    assert 'autocomplete="country"' in ours
    assert sum(selected for _, _, selected in options(ours, "country")) == (value != "junk")


def test_kept_choices_are_escaped_and_selected_by_value():
    hostile = KeptChoices(lambda: [("", "Pick"), ('"><script>x</script>', "<b>bold</b> & co")])
    widget = LongSelect(choices=hostile)
    for value in ("", '"><script>x</script>'):
        html = widget.render("zone", value)
        assert "<script>" not in html and "<b>" not in html
        assert options(html, "zone") == [
            ("", "Pick", value == ""),
            ('"><script>x</script>', "<b>bold</b> & co", value != ""),
        ]


def test_kept_choices_are_shared_by_every_copy_of_the_form():
    first, second = HostRequestForm(), HostRequestForm()
    assert first.fields["time_zone"].choices is second.fields["time_zone"].choices
    assert ("Europe/Paris", "Europe/Paris") in first.fields["time_zone"].choices


# The host form.


def test_a_film_published_renamed_or_withdrawn_shows_on_the_kept_form_at_once(client):
    film = FilmFactory(title="The Library Book", slug="the-library-book")
    offered = options(client.get("/host/").content.decode(), "film")
    assert [label for _, label, _ in offered][1:] == ["The Library Book"]
    newer = FilmFactory(title="After the Flood", slug="after-the-flood")
    assert ("after-the-flood", "After the Flood", False) in options(
        client.get("/host/").content.decode(), "film"
    )
    film.title = "The Library Book (restored)"
    film.save()
    assert ("the-library-book", "The Library Book (restored)", False) in options(
        client.get("/host/").content.decode(), "film"
    )
    newer.status = "draft"
    newer.save()
    offered = options(client.get("/host/").content.decode(), "film")
    assert [value for value, _, _ in offered] == ["", "the-library-book"]


def test_a_film_published_while_none_was_live_shows_at_once(client):
    assert options(client.get("/host/").content.decode(), "film") == [
        ("", "Any film — let us suggest one", True)
    ]
    FilmFactory(title="The Library Book", slug="the-library-book", publish_at=timezone.now())
    assert ("the-library-book", "The Library Book", False) in options(
        client.get("/host/").content.decode(), "film"
    )


def test_a_film_going_live_on_schedule_shows_at_that_moment(client):
    FilmFactory(title="The Library Book", slug="the-library-book")
    FilmFactory(title="Soon", slug="soon", publish_at=timezone.now() + timedelta(seconds=2))
    assert "soon" not in [
        value for value, _, _ in options(client.get("/host/").content.decode(), "film")
    ]
    time.sleep(2.1)  # no save happens: the kept markup ends at the film's publishing time
    assert ("soon", "Soon", False) in options(client.get("/host/").content.decode(), "film")


def test_the_films_own_form_shows_an_edit_of_the_film_at_once(client):
    film = FilmFactory(title="The Library Book", slug="the-library-book", logline="Old words.")
    path = f"/films/{film.slug}/host/"
    assert "Old words." in client.get(path).content.decode()
    film.logline = "New words."
    film.save()
    page = client.get(path).content.decode()
    assert "New words." in page and "Old words." not in page


def test_what_one_viewer_typed_or_holds_never_reaches_another(client):
    FilmFactory(title="The Library Book", slug="the-library-book")
    blank = client.get("/host/").content.decode()  # kept from here on
    typed = form_data(film="the-library-book", country="FR", city="Lyon", email="x")
    page = submit(client, typed).content.decode()
    assert field_values(page)["city"] == "Lyon" and 'aria-invalid="true"' in page
    assert ("FR", "France", True) in options(page, "country")
    other = Client()
    again = other.get("/host/").content.decode()
    assert field_values(again) == field_values(blank)
    assert field_values(again)["city"] == "" and 'aria-invalid="true"' not in again
    assert not any(selected for value, _, selected in options(again, "country") if value)
    assert csrf_token(again) != csrf_token(blank)  # each viewer's own, outside the kept part
    assert csrf_token(again) not in blank


def test_the_change_page_shows_the_request_while_the_blank_form_is_kept(client):
    FilmFactory(title="The Library Book", slug="the-library-book")
    client.get("/host/")
    assert submit(client, form_data(film="the-library-book")).status_code == 302
    client.get("/host/")
    page = client.get(f"{HostRequest.objects.get().private_path()}change/").content.decode()
    assert field_values(page)["city"] == "Chicago"
    assert ("the-library-book", "The Library Book", True) in options(page, "film")
    assert ("US", "United States", True) in options(page, "country")


def test_the_film_list_makes_no_film_rows(film_rows_made):
    """Its options are (slug, title) pairs: a kept page records the films' list, one key,
    not a key per film to check on every view."""
    for n in range(3):
        FilmFactory(title=f"Film {n}", slug=f"film-{n}")
    film_rows_made.clear()
    html = HostRequestForm()["film"].as_widget()
    assert [label for _, label, _ in options(html, "film")][1:] == ["Film 0", "Film 1", "Film 2"]
    assert film_rows_made == []


def test_a_token_from_the_kept_page_is_the_viewers_own_and_accepted():
    film = FilmFactory(title="The Library Book", slug="the-library-book")
    Client().get("/host/")  # kept from here on
    for path in ("/host/", f"/films/{film.slug}/host/"):
        guarded = Client(enforce_csrf_checks=True)
        page = guarded.get(path).content.decode()
        assert page.count('name="csrfmiddlewaretoken"') == 1
        data = form_data(film="the-library-book", csrfmiddlewaretoken=csrf_token(page))
        assert guarded.post(path, data, REMOTE_ADDR=f"198.51.100.{len(path)}").status_code == 302
        assert Client(enforce_csrf_checks=True).post(path, form_data()).status_code == 403


def test_the_kept_host_page_is_not_served_for_a_withdrawn_film(client):
    film = FilmFactory(title="The Library Book", slug="the-library-book")
    assert client.get(f"/films/{film.slug}/host/").status_code == 200
    film.status = "draft"
    film.save()
    assert client.get(f"/films/{film.slug}/host/").status_code == 404


# The RSVP form.


def test_a_change_of_the_guestlist_shows_on_the_kept_rsvp_form_at_once(client):
    guestlist = make_guestlist(capacity=10)
    page = client.get(rsvp_url(guestlist)).content.decode()
    assert 'max="10"' in page and "Up to 10 people." in page
    guestlist.capacity = 3
    guestlist.save()
    page = client.get(rsvp_url(guestlist)).content.decode()
    assert 'max="3"' in page and "Up to 3 people." in page and 'max="10"' not in page


def test_an_rsvp_taken_an_edit_or_a_start_shows_on_the_kept_rsvp_page_at_once(client):
    guestlist = make_guestlist(capacity=3)
    assert "3 places left." in client.get(rsvp_url(guestlist)).content.decode()
    guestlist.add_rsvp("Ann", "ann@example.org", 1, submitted_from="test")
    assert "2 places left." in client.get(rsvp_url(guestlist)).content.decode()
    guestlist.add_rsvp("Bo", "bo@example.org", 2, submitted_from="test")
    page = client.get(rsvp_url(guestlist)).content.decode()
    assert "Full: you will join the waiting list" in page and "Join the waiting list" in page
    screening = guestlist.screening
    screening.venue = "Branch Library"
    screening.save()
    assert "Branch Library" in client.get(rsvp_url(guestlist)).content.decode()
    screening.film.title = "A New Title"
    screening.film.save()
    assert "A New Title" in client.get(rsvp_url(guestlist)).content.decode()
    Screening.objects.filter(pk=screening.pk).update(starts_at=timezone.now())  # no save signal
    page = client.get(rsvp_url(guestlist)).content.decode()
    assert "already started" in page and 'name="email"' not in page
    screening.film.status = "draft"
    screening.film.save()
    assert client.get(rsvp_url(guestlist)).status_code == 404


def test_a_token_from_the_kept_rsvp_page_is_the_viewers_own_and_accepted():
    guestlist = make_guestlist()
    first = Client(enforce_csrf_checks=True)
    kept_page = first.get(rsvp_url(guestlist)).content.decode()  # kept from here on
    guarded = Client(enforce_csrf_checks=True)
    page = guarded.get(rsvp_url(guestlist)).content.decode()
    assert csrf_token(page) != csrf_token(kept_page)
    data = {"name": "Ann Lee", "email": "ann@example.org", "party_size": 1,
            "csrfmiddlewaretoken": csrf_token(page)}  # fmt: skip
    assert guarded.post(rsvp_url(guestlist), data, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert Client(enforce_csrf_checks=True).post(rsvp_url(guestlist), data).status_code == 403


def test_what_one_guest_typed_never_reaches_another(client):
    guestlist = make_guestlist()
    blank = client.get(rsvp_url(guestlist)).content.decode()  # kept from here on
    page = post_rsvp(client, guestlist, name="Ann Lee", email="not-an-address").content.decode()
    assert field_values(page)["name"] == "Ann Lee" and 'aria-invalid="true"' in page
    again = Client().get(rsvp_url(guestlist)).content.decode()
    assert field_values(again) == field_values(blank)
    assert field_values(again)["name"] == "" and "Ann Lee" not in again
    assert 'aria-invalid="true"' not in again
    assert csrf_token(again) != csrf_token(blank)


def test_the_lists_labels_are_as_before(client):
    """A select needs no "(optional)": its first option says what leaving it does."""
    FilmFactory()
    page = client.get("/host/").content.decode()
    assert '<label for="id_film">Film</label>' in page
    assert '<label for="id_time_zone">Time zone at the venue</label>' in page
    assert '<label for="id_phone">Phone <span class="field__optional">(optional)</span>' in page
