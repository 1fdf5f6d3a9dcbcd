"""Screening calendars (.ics): parse with icalendar, right zones, floating broadcasts."""

import uuid
from datetime import datetime

import pytest
from icalendar import Calendar

from films.models import Screening
from tests.factories import FilmFactory, ScreeningFactory

BROADCAST_UID = "6f1c2b7e-5d1a-4c1e-9b7e-2013022522ee"
SUNDANCE_UID = "0b8e4f62-3c9d-4a57-8e21-2012012018aa"


def events(response) -> list:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.mark.django_db
def test_the_broadcast_premiere_is_10_pm_local_time_floating(client, demo):
    [event] = events(client.get(f"/screenings/{BROADCAST_UID}.ics"))
    start = event.decoded("dtstart")
    assert start == datetime(2013, 2, 25, 22, 0) and start.tzinfo is None  # noqa: DTZ001 - floating
    assert "TZID" not in event["dtstart"].params
    assert event["uid"] == f"{BROADCAST_UID}@screenings.outreach-cms"
    assert "check local listings" in str(event["description"])


@pytest.mark.django_db
def test_a_venue_screening_carries_its_time_zone(client, demo):
    response = client.get(f"/screenings/{SUNDANCE_UID}.ics")
    [event] = events(response)
    assert event["dtstart"].params["TZID"] == "America/Denver"
    assert event.decoded("dtstart").hour == 18
    calendar = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/Denver"]
    assert "Park City" in str(event["location"])
    assert str(event["url"]).endswith(f"/screenings/{SUNDANCE_UID}/")


@pytest.mark.django_db
def test_uids_are_stable_and_cancelled_screenings_say_so(client):
    screening = ScreeningFactory(status=Screening.Status.CANCELLED)
    first = events(client.get(f"/screenings/{screening.uid}.ics"))[0]
    second = events(client.get(f"/screenings/{screening.uid}.ics", HTTP_HOST="localhost"))[0]
    assert first["uid"] == second["uid"]
    assert first["status"] == "CANCELLED"


@pytest.mark.django_db
def test_film_and_upcoming_calendars_list_only_visible_screenings(client, demo):
    film_events = events(client.get("/films/ai-weiwei-never-sorry/screenings.ics"))
    assert len(film_events) == 4
    upcoming = events(client.get("/screenings/calendar.ics"))
    assert [str(e["summary"]) for e in upcoming] == [
        "Ai Weiwei: Never Sorry: Community screening and conversation"
    ]
    hidden = ScreeningFactory(film=FilmFactory(status="draft", publish_at=None))
    assert client.get(f"/screenings/{hidden.uid}.ics").status_code == 404
    assert client.get(f"/screenings/{uuid.uuid4()}.ics").status_code == 404
    assert client.get(f"/films/{hidden.film.slug}/screenings.ics").status_code == 404


@pytest.mark.django_db
def test_screening_pages_offer_add_to_calendar(client, demo):
    upcoming = Screening.objects.get(kind="community")
    page = client.get(upcoming.get_absolute_url()).content.decode()
    assert f'href="/screenings/{upcoming.uid}.ics"' in page
    assert 'href="/screenings/calendar.ics"' in client.get("/screenings/").content.decode()
