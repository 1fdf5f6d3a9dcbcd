"""The screening admin: times typed on the venue's clock, daylight saving, inlines."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from films.models import Screening
from tests.admin_forms import screening_form
from tests.factories import FilmFactory


@pytest.mark.django_db
def test_a_screening_that_ends_before_it_starts_is_refused(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film,
            starts_at_0="2027-01-20",
            starts_at_1="18:00",
            ends_at_0="2027-01-20",
            ends_at_1="17:00",
            time_zone="America/Denver",
        ),
    )
    assert response.status_code == 200
    assert "The end must come after the start." in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_screening_times_are_typed_on_the_venue_clock(editor_client, client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film,
            venue="Egyptian",
            city="Park City",
            time_zone="America/Denver",
            starts_at_0="2031-01-20",
            starts_at_1="18:00",
            ends_at_0="2031-01-20",
            ends_at_1="19:45",
        ),
    )
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.starts_at.isoformat() == "2031-01-21T01:00:00+00:00"  # 18:00 MST
    assert screening.ends_at.isoformat() == "2031-01-21T02:45:00+00:00"

    change = editor_client.get(reverse("admin:films_screening_change", args=[screening.pk]))
    assert 'name="starts_at_1" value="18:00:00"' in change.content.decode()
    assert "6 PM–7:45 PM MST" in Client().get(screening.get_absolute_url()).content.decode()

    # Saving the form unchanged keeps the instant.
    form = change.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "uid"}
    data |= {"film": str(film.pk), "starts_at_0": "2031-01-20", "starts_at_1": "18:00",
             "ends_at_0": "2031-01-20", "ends_at_1": "19:45"}  # fmt: skip
    data.pop("starts_at"), data.pop("ends_at")
    assert editor_client.post(change.wsgi_request.path, data).status_code == 302
    screening.refresh_from_db()
    assert screening.starts_at.isoformat() == "2031-01-21T01:00:00+00:00"


@pytest.mark.django_db
def test_a_clock_time_skipped_by_daylight_saving_is_refused(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film, time_zone="Europe/London", starts_at_0="2031-03-30", starts_at_1="01:30"
        ),
    )
    assert "This time does not exist there" in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_a_london_time_that_new_york_skips_is_accepted(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film, time_zone="Europe/London", starts_at_0="2031-03-09", starts_at_1="02:30"
        ),
    )
    assert response.status_code == 302
    assert Screening.objects.get().starts_at.isoformat() == "2031-03-09T02:30:00+00:00"


@pytest.mark.django_db
def test_an_unchanged_screening_inline_is_not_reported_as_changed():
    from films.forms import ScreeningForm
    from tests.factories import ScreeningFactory

    screening = ScreeningFactory(
        time_zone="America/Denver", starts_at=timezone.now().replace(microsecond=0)
    )
    bound = ScreeningForm(instance=screening)
    data = {name: bound[name].value() for name in bound.fields}
    local = timezone.make_naive(screening.starts_at, screening.zone)
    data |= {"film": screening.film_id, "starts_at_0": local.date().isoformat(),
             "starts_at_1": local.time().isoformat(), "ends_at_0": "", "ends_at_1": ""}  # fmt: skip
    data.pop("starts_at"), data.pop("ends_at")
    form = ScreeningForm(data, instance=screening)
    assert form.is_valid(), form.errors
    assert form.changed_data == []
