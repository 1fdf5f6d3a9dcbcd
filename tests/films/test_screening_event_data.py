"""A screening's ``ScreeningEvent``: complete enough for search engines (host, performers,
a way in, a postal address with an ISO country), and a national broadcast's times floating,
as the page and the .ics give them. Each block is also checked against schema.org's
vocabulary, offline (``json_ld``)."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from films.models import Screening, country_code
from outreach.guestlists import Guestlist
from tests.admin_forms import screening_form
from tests.config.test_structured_data import BROADCAST_URL, OFFSET, json_ld
from tests.factories import CreditFactory, FilmFactory, ScreeningFactory

COMMUNITY_UID = "9e2d6a41-7b3c-4f8e-a5d2-2027022518cc"  # the demo's, with RSVPs taken here
COMMUNITY_URL = f"/screenings/{COMMUNITY_UID}/"
SUNDANCE_URL = "/screenings/0b8e4f62-3c9d-4a57-8e21-2012012018aa/"
IFC_URL = "/screenings/d3a7c5e1-8f2b-4b6a-9c0d-2012072719bb/"
DIRECTOR = [{"@type": "Person", "name": "Alison Klayman"}]


def event_of(client, url: str) -> dict:
    return json_ld(client, url)["ScreeningEvent"]


@pytest.mark.django_db
def test_the_demo_community_screening_is_a_complete_event(client, demo):
    event = event_of(client, COMMUNITY_URL)
    assert event["organizer"] == {"@type": "Organization", "name": "Oakland Public Library"}
    assert event["performer"] == DIRECTOR
    assert event["offers"] == {
        "@type": "Offer",
        "url": "http://testserver" + reverse("outreach:rsvp", kwargs={"uid": COMMUNITY_UID}),
        "price": 0,
        "priceCurrency": "USD",
        "availability": "https://schema.org/InStock",
    }
    assert event["isAccessibleForFree"] is True
    assert event["location"] == {
        "@type": "Place", "name": "Main Library auditorium",
        "address": {"@type": "PostalAddress", "streetAddress": "125 14th Street",
                    "addressLocality": "Oakland", "addressRegion": "California",
                    "postalCode": "94612", "addressCountry": "US"},
    }  # fmt: skip
    assert event["startDate"] == "2027-02-25T18:30:00-08:00"  # a venue time keeps its offset


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SUNDANCE_URL, IFC_URL, COMMUNITY_URL])
def test_every_demo_venue_screening_has_a_full_postal_address(client, demo, url):
    address = event_of(client, url)["location"]["address"]
    assert address["streetAddress"] and address["postalCode"]
    assert address["addressCountry"] == "US"


@pytest.mark.django_db
def test_the_national_broadcast_floats_and_is_presented_by_the_site(client, demo):
    event = event_of(client, BROADCAST_URL)
    # "10 PM local time" in every zone: no offset, as the page's <time> and the .ics say.
    assert (event["startDate"], event["endDate"]) == ("2013-02-25T22:00:00", "2013-02-25T23:30:00")
    assert not OFFSET.match(event["startDate"])
    page = client.get(BROADCAST_URL).content.decode()
    assert 'datetime="2013-02-25T22:00"' in page
    assert event["organizer"]["@type"] == "Organization"
    assert event["organizer"]["name"] == settings.SITE_NAME
    assert event["performer"] == DIRECTOR
    assert event["isAccessibleForFree"] is True
    assert "offers" not in event  # nothing to book for a broadcast


@pytest.mark.django_db
def test_a_floating_time_is_floating_whatever_the_kind(client):
    screening = ScreeningFactory(kind=Screening.Kind.STREAMING, local_broadcast_time=True,
                                 time_zone="America/Los_Angeles")  # fmt: skip
    event = event_of(client, screening.get_absolute_url())
    expected = screening.local_start.replace(tzinfo=None).isoformat()
    assert event["startDate"] == expected
    assert "endDate" not in event


@pytest.mark.django_db
def test_a_tickets_link_is_the_offer_with_no_price_guessed(client):
    screening = ScreeningFactory(tickets_url="https://tickets.example.org/ai", status="sold-out")
    event = event_of(client, screening.get_absolute_url())
    assert event["offers"] == {
        "@type": "Offer",
        "url": "https://tickets.example.org/ai",
        "availability": "https://schema.org/SoldOut",
    }
    assert "isAccessibleForFree" not in event


@pytest.mark.django_db
def test_the_tickets_link_wins_over_rsvps_here(client):
    screening = ScreeningFactory(tickets_url="https://tickets.example.org/ai")
    Guestlist.objects.create(screening=screening, capacity=10)
    assert event_of(client, screening.get_absolute_url())["offers"]["url"] == (
        "https://tickets.example.org/ai"
    )


@pytest.mark.django_db
def test_a_closed_guestlist_and_no_tickets_make_no_offer(client):
    screening = ScreeningFactory()
    Guestlist.objects.create(screening=screening, capacity=10, is_open=False)
    event = event_of(client, screening.get_absolute_url())
    assert "offers" not in event
    assert "isAccessibleForFree" not in event


@pytest.mark.django_db
def test_the_host_defaults_to_the_site_and_performers_are_only_directors(client):
    film = FilmFactory()
    CreditFactory(film=film, person__name="Dana Director")
    CreditFactory(film=film, person__name="Pat Producer", role="producer")
    screening = ScreeningFactory(film=film)
    event = event_of(client, screening.get_absolute_url())
    assert event["organizer"]["name"] == settings.SITE_NAME
    assert event["organizer"]["url"] == "http://testserver/"
    assert event["performer"] == [{"@type": "Person", "name": "Dana Director"}]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("United States", "US"), ("united states", "US"), ("USA", "US"), ("U.S.", "US"),
     ("us", "US"), ("France", "FR"), ("Côte d'Ivoire", "CI"), ("Ivory Coast", "CI"),
     ("United Kingdom", "GB"), ("Narnia", None), ("", None)],
)  # fmt: skip
def test_a_country_is_read_by_name_or_code(typed, code):
    assert country_code(typed) == code


@pytest.mark.django_db
def test_a_country_stored_unreadable_is_left_out_rather_than_guessed(client):
    screening = ScreeningFactory(country="Narnia", address="1 Lamp Post Lane")
    address = event_of(client, screening.get_absolute_url())["location"]["address"]
    assert "addressCountry" not in address
    assert address["streetAddress"] == "1 Lamp Post Lane"


@pytest.mark.django_db
def test_an_unknown_country_is_refused_with_a_clear_error():
    screening = ScreeningFactory.build(film=FilmFactory(), country="Narnia")
    with pytest.raises(ValidationError) as refused:
        screening.full_clean()
    assert refused.value.message_dict["country"] == [
        "Unknown country “Narnia”. Give its English name, e.g. United States, or its ISO code, "
        "e.g. US."
    ]


@pytest.mark.django_db
def test_the_admin_takes_a_postcode_and_refuses_an_unknown_country(editor_client):
    film = FilmFactory()
    add = reverse("admin:films_screening_add")
    fields = {"starts_at_0": "2031-01-20", "starts_at_1": "18:00", "address": "1255 Park Avenue",
              "postcode": "84060", "city": "Park City", "region": "Utah"}  # fmt: skip
    refused = editor_client.post(add, screening_form(film, country="Narnia", **fields))
    assert refused.status_code == 200
    assert "Unknown country “Narnia”" in refused.content.decode()
    assert not Screening.objects.exists()

    assert editor_client.post(add, screening_form(film, country="USA", **fields)).status_code == 302
    screening = Screening.objects.get()
    assert (screening.postcode, screening.country_code) == ("84060", "US")
