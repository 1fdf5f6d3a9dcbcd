"""Asking to host a screening: the public form, its refusals, and the host's private page.

Everything here runs on the real database, the real task worker (``run_queued_tasks``), the
locmem mail backend and, for a dead mail server, a real closed port.
"""

from __future__ import annotations

import re
import time
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from cms.mail.models import OutgoingEmail
from films.models import Screening
from outreach.guestlists import RSVP_LINK_SALT, Guestlist, Rsvp
from outreach.host_forms import HONEYPOT
from outreach.host_requests import HostRequest
from outreach.private_links import token_for
from tests.factories import FilmFactory, ScreeningFactory
from tests.services import free_port

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def in_days(days: int) -> date:
    """A date ``days`` from today on Chicago's calendar."""
    return (timezone.now().astimezone(CHICAGO) + timedelta(days=days)).date()


def form_data(**changes) -> dict:
    """What a library in Chicago types, two weeks ahead; ``changes`` replace or drop fields."""
    data = {
        "organisation": "Lakeview Public Library",
        "contact_name": "Ada Okafor",
        "email": "ada@lakeview.example.org",
        "phone": "+1 312 555 0147",
        "venue_name": "Community Room",
        "address": "644 W Belmont Ave",
        "city": "Chicago",
        "region": "Illinois",
        "postal_code": "60657",
        "country": "US",
        "time_zone": "",
        "day": in_days(14).isoformat(),
        "start_time": "18:30",
        "end_time": "20:45",
        "format": "in-person",
        "audience_size": "60",
        "takes_rsvps": "on",
        "captions": "on",
        "step_free": "on",
        "note": "A discussion with a local historian afterwards.",
        HONEYPOT: "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def stored() -> tuple[int, int, int, list]:
    """Everything a submission may store: requests, messages, history, and the rows' values."""
    rows = list(HostRequest.objects.order_by("pk").values())
    return HostRequest.objects.count(), OutgoingEmail.objects.count(), Version.objects.count(), rows


def submit(client, data: dict | None = None, path: str = "/host/", address: str = "127.0.0.1"):
    return client.post(path, data or form_data(), REMOTE_ADDR=address)


def page_path(host_request: HostRequest) -> str:
    return host_request.private_path()


@pytest.fixture
def film():
    return FilmFactory(title="The Library Book", slug="the-library-book")


@pytest.fixture
def host_request(client, film) -> HostRequest:
    """A request sent through the form, as a host would."""
    response = submit(client, form_data(film=film.slug))
    assert response.status_code == 302
    return HostRequest.objects.get()


# The form pages.


def test_the_any_film_form_offers_live_films_and_any_film(client, film):
    FilmFactory(title="A Draft Film", status="draft", publish_at=None)
    response = client.get("/host/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="" selected>Any film — let us suggest one</option>' in page
    assert f'<option value="{film.slug}">The Library Book</option>' in page
    assert "A Draft Film" not in page
    assert '<form class="host-form" method="post" novalidate>' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_film_form_shows_its_film_and_no_choice(client, film):
    response = client.get(reverse("outreach:host-film", kwargs={"slug": film.slug}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Host a screening of The Library Book</h1>" in page
    assert 'name="film"' not in page
    assert f'href="{film.get_absolute_url()}"' in page


def test_the_film_page_links_to_its_form(client, film):
    page = client.get(film.get_absolute_url()).content.decode()
    assert f'href="/films/{film.slug}/host/"' in page
    assert "Host a screening of this film" in page


def test_the_form_of_a_film_viewers_cannot_see_is_a_404(client):
    draft = FilmFactory(status="draft", publish_at=None)
    assert client.get(f"/films/{draft.slug}/host/").status_code == 404
    assert client.get("/films/no-such-film/host/").status_code == 404


def test_the_form_is_accessible_labelled_and_described(client):
    page = client.get("/host/").content.decode()
    for name in ("organisation", "contact_name", "email", "phone", "city", "country", "day"):
        assert f'<label for="id_{name}">' in page
    assert 'type="email" name="email"' in page and 'autocomplete="email"' in page
    assert 'type="tel"' in page and 'inputmode="tel"' in page
    assert 'autocomplete="organization"' in page and 'autocomplete="postal-code"' in page
    assert 'type="date" name="day"' in page and 'type="time" name="start_time"' in page
    assert 'aria-describedby="id_day_helptext"' in page
    assert "at least 2 days from now" in page
    assert '<legend class="field__legend">In person or online</legend>' in page
    assert "<legend>Accessibility offered</legend>" in page
    # The honeypot: off screen, hidden from screen readers, skipped by Tab, never autofilled.
    found = re.search(r'<div class="form__extra" aria-hidden="true">.*?</div>', page, re.S)
    honeypot = found.group()
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert "<script" not in page.split("</header>")[1]  # nothing to run until there are errors


# The happy path.


def test_a_request_is_stored_with_the_zone_worked_out_from_the_city(client, film):
    response = submit(client, form_data(film=film.slug))
    stored_request = HostRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{stored_request.private_path()}?done=received"
    assert stored_request.film == film
    assert stored_request.time_zone == "America/Chicago"
    day = in_days(14)
    assert stored_request.starts_at == datetime(*day.timetuple()[:3], 18, 30, tzinfo=CHICAGO)
    assert stored_request.ends_at == datetime(*day.timetuple()[:3], 20, 45, tzinfo=CHICAGO)
    assert stored_request.status == HostRequest.Status.NEW
    assert stored_request.accessibility == ["Captions", "Step-free access"]
    assert stored_request.takes_rsvps is True and stored_request.format == "in-person"
    assert len(stored_request.submitted_from) == 64  # a keyed digest, not the address
    assert "127.0.0.1" not in stored_request.submitted_from
    versions = Version.objects.get_for_object(stored_request)
    assert [v.revision.comment for v in versions] == ["Submitted by the host"]
    queued = OutgoingEmail.objects.get()
    assert (queued.to, queued.reference) == ("ada@lakeview.example.org", stored_request.reference)


def test_the_confirmation_page_thanks_the_host(client, film):
    response = submit(client, form_data(film=film.slug))
    page = client.get(response["Location"]).content.decode()
    assert "Thank you, we have your request." in page
    assert "Lakeview Public Library" in page and "The Library Book" in page
    assert "18:30–20:45 (America/Chicago)" in page
    # Only the flag the page knows shows a panel; the bare link shows none.
    bare = client.get(HostRequest.objects.get().private_path()).content.decode()
    odd = client.get(HostRequest.objects.get().private_path() + "?done=<b>x</b>")
    assert "Thank you" not in bare and 'class="confirmation"' not in odd.content.decode()


def test_the_host_is_mailed_text_and_html_with_a_working_private_link(
    client, film, run_queued_tasks
):
    submit(client, form_data(film=film.slug))
    assert mail.outbox == []  # nothing is sent while the page is answered
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["ada@lakeview.example.org"]
    assert message.subject == "We have your request to host a screening"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = re.search(r"http://testserver/host/requests/\S+/", message.body).group()
    assert f'href="{link}"' in html
    assert "Lakeview Public Library" in message.body and "Lakeview Public Library" in html
    assert "18:30–20:45 (America/Chicago)" in message.body
    assert "&amp;" not in message.body  # the text part is not HTML-escaped
    page = client.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "ada@lakeview.example.org" in page.content.decode()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_what_the_host_typed_is_escaped_in_pages_and_html_mail(client, run_queued_tasks):
    typed = '<script>alert("x")</script> & Co'
    response = submit(client, form_data(organisation=typed, note=typed))
    page = client.get(response["Location"]).content.decode()
    assert typed not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    run_queued_tasks()
    (message,) = mail.outbox
    assert typed not in message.alternatives[0][0]
    assert typed in message.body  # plain text is not HTML: shown as typed


def test_any_film_may_be_chosen_or_left_to_us(client, film):
    submit(client, form_data(film=""))
    submit(client, form_data(film=film.slug, email="other@example.org"))
    assert [r.film for r in HostRequest.objects.order_by("pk")] == [None, film]


@pytest.mark.parametrize(
    ("city", "region", "country", "chosen", "zone"),
    [
        ("Springfield", "IL", "US", "", "America/Chicago"),  # the state settles the city
        ("Springfield", "Massachusetts", "US", "", "America/New_York"),
        ("Saint-Étienne", "", "FR", "", "Europe/Paris"),
        ("Nowhereville", "", "FR", "", "Europe/Paris"),  # one zone in the whole country
        ("Nowhereville", "", "US", "America/Denver", "America/Denver"),  # chosen by the host
        ("Chicago", "", "US", "America/New_York", "America/New_York"),  # a choice wins
    ],
)
def test_the_venue_zone_follows_the_place_or_the_choice(
    client, city, region, country, chosen, zone
):
    data = form_data(city=city, region=region, country=country, time_zone=chosen)
    assert submit(client, data).status_code == 302
    stored_request = HostRequest.objects.get()
    assert stored_request.time_zone == zone
    assert stored_request.local_start.strftime("%H:%M") == "18:30"


def test_a_mail_server_that_is_down_does_not_break_the_submission(client, film, run_queued_tasks):
    closed = free_port()
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed,
                           EMAIL_TIMEOUT=2):  # fmt: skip
        response = submit(client, form_data(film=film.slug))
        assert response.status_code == 302
        run_queued_tasks()  # the worker tries, the port refuses, a retry is queued for later
    stored_request = HostRequest.objects.get()
    queued = OutgoingEmail.objects.get()
    assert queued.reference == stored_request.reference
    assert queued.status == OutgoingEmail.Status.QUEUED
    assert queued.attempts == 1 and queued.last_error
    assert client.get(response["Location"]).status_code == 200


# Bad input: a clear message, everything typed kept, nothing stored.

NO_SUCH_ZONE = "Choose a time zone from the list."
BAD_INPUT = {
    "a past date": ({"day": in_days(-3).isoformat()}, "day", "at least 2 days from now"),
    "today": ({"day": in_days(0).isoformat()}, "day", "at least 2 days from now"),
    "too far ahead": ({"day": in_days(800).isoformat()}, "day", "within 2 years"),
    "not a date": ({"day": "next Tuesday"}, "day", "Enter a date, like 2031-05-17."),
    "an end before the start": ({"end_time": "17:00"}, "end_time", "must be after the start"),
    "an end at the start": ({"end_time": "18:30"}, "end_time", "must be after the start"),
    "not a time": ({"start_time": "25:99"}, "start_time", "Enter a time, like 19:00."),
    "an unknown time zone": ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", NO_SUCH_ZONE),
    "a zone name that is a folder": ({"time_zone": "America"}, "time_zone", NO_SUCH_ZONE),
    "an unknown country": ({"country": "XX"}, "country", "Choose a country from the list."),
    "no country": ({"country": ""}, "country", "Choose the country."),
    "a zone not worked out": ({"city": "Nowhereville"}, "time_zone", "please choose it"),
    "an e-mail that is not one": ({"email": "ada at lakeview"}, "email", "Enter an e-mail address"),
    "an e-mail carrying a header": (
        {"email": "ada@lakeview.example.org\nBcc: all@example.org"}, "email", "Enter an e-mail"
    ),
    "no e-mail": ({"email": ""}, "email", "Enter your e-mail address: we send"),
    "nobody coming": ({"audience_size": "0"}, "audience_size", "at least one person"),
    "a crowd": ({"audience_size": "1000000"}, "audience_size", "up to 100,000"),
    "a negative audience": ({"audience_size": "-5"}, "audience_size", "at least one person"),
    "an unknown format": ({"format": "hologram"}, "format", "Select a valid choice."),
    "an unknown film": ({"film": "no-such-film"}, "film", "Choose a film from the list."),
    "no organisation": ({"organisation": ""}, "organisation", "Enter the name of your"),
    "no date": ({"day": ""}, "day", "Enter the date."),
    "a too long city": ({"city": "C" * 121}, "city", "at most 120 characters"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, case):
    changes, field, message = BAD_INPUT[case]
    before = stored()
    response = submit(client, form_data(**changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert stored() == before
    assert message in page
    # The summary at the top links to the field; the field says what is wrong and is marked.
    assert f'<a href="#id_{field}">' in page
    assert f'id="id_{field}_error"' in page
    assert "<title>Error: Host a screening" in page
    # Everything typed is still there, the wrong value too, to be corrected.
    assert 'value="+1 312 555 0147"' in page
    assert "A discussion with a local historian afterwards." in page
    kept = {"organisation": "Lakeview Public Library", "email": "ada@lakeview.example.org",
            "city": "Chicago"}  # fmt: skip
    kept.update(changes)
    for name in ("organisation", "email", "city"):
        assert f'name="{name}" value="{kept[name]}"' in page or not kept[name]


def test_a_time_the_clocks_skip_is_refused(client):
    """The night US clocks go forward, 2:30 AM never happens in Chicago."""
    day = in_days(3)
    while not (day.month == 3 and day.weekday() == 6 and 8 <= day.day <= 14):
        day += timedelta(days=1)
    before = stored()
    response = submit(client, form_data(day=day.isoformat(), start_time="02:30", end_time=""))
    assert response.status_code == 400
    assert "the clocks change then" in response.content.decode()
    assert stored() == before


def test_errors_keep_the_choices_made(client, film):
    response = submit(client, form_data(film=film.slug, country="FR", email="x"))
    page = response.content.decode()
    assert f'<option value="{film.slug}" selected>' in page
    assert '<option value="FR" selected>France</option>' in page
    assert 'name="captions" id="id_captions" checked' in page
    assert 'value="in-person"' in page and "checked" in page
    assert 'aria-invalid="true"' in page


def test_a_filled_honeypot_stores_nothing_and_says_so(client):
    before = stored()
    response = submit(client, form_data(**{HONEYPOT: "http://spam.example"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert stored() == before
    assert "Your request was not sent" in page
    assert "http://spam.example" not in page  # sent again, it goes through
    assert 'value="Lakeview Public Library"' in page
    assert submit(client, form_data()).status_code == 302


def test_other_methods_are_refused(client):
    assert client.put("/host/").status_code == 405
    assert client.delete("/host/").status_code == 405


# Rate limits: counted from the stored requests of the last 24 hours.


@override_settings(OUTREACH_REQUESTS_PER_ADDRESS_PER_DAY=5, OUTREACH_REQUESTS_PER_EMAIL_PER_DAY=3)
def test_a_thousand_submissions_in_a_loop_store_exactly_the_limit(client):
    started = time.monotonic()
    codes = [
        submit(client, form_data(email=f"bot{n}@example.org", organisation=f"Bot {n}")).status_code
        for n in range(1000)
    ]
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429} and len(codes) == 1000
    assert HostRequest.objects.count() == 5
    assert OutgoingEmail.objects.count() == 5
    assert Version.objects.count() == 5
    assert sorted(HostRequest.objects.values_list("organisation", flat=True)) == [
        f"Bot {n}" for n in range(5)
    ]
    assert time.monotonic() - started < 30


def test_the_refusal_is_a_clear_429_page(client):
    for n in range(5):
        submit(client, form_data(email=f"host{n}@example.org"))
    before = stored()
    response = submit(client, form_data(email="new@example.org"))
    assert response.status_code == 429
    assert "Too many requests today" in response.content.decode()
    assert response["Retry-After"] == str(24 * 3600)
    assert "no-store" in response["Cache-Control"]
    assert stored() == before
    # Another network address may still send.
    assert submit(client, form_data(email="new@example.org"), address="10.0.0.2").status_code == 302


def test_one_email_address_is_limited_across_network_addresses(client):
    for n in range(3):
        assert submit(client, form_data(), address=f"10.0.1.{n}").status_code == 302
    before = stored()
    response = submit(client, form_data(email="ADA@Lakeview.example.org"), address="10.0.1.9")
    assert response.status_code == 429
    assert stored() == before


def test_the_limits_count_only_the_last_24_hours(client):
    for n in range(5):
        submit(client, form_data(email=f"host{n}@example.org"))
    assert submit(client, form_data(email="late@example.org")).status_code == 429
    HostRequest.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    assert submit(client, form_data(email="late@example.org")).status_code == 302


# The private page.


def test_a_tampered_or_foreign_link_is_a_404_that_reveals_nothing(client, host_request):
    token = page_path(host_request).split("/")[-2]
    uid, signature = token.split(":")
    other = HostRequest.objects.create(
        **{f.name: getattr(host_request, f.name) for f in HostRequest._meta.concrete_fields
           if f.name not in ("id", "uid")}
    )  # fmt: skip
    wrong = [
        f"{uid}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # one character off
        f"{other.uid}:{signature}",  # another request's identifier, this signature
        token_for(host_request, RSVP_LINK_SALT),  # signed for another kind of link
        uid,  # no signature
        "not-a-token",
    ]
    for bad in wrong:
        for path in (
            f"/host/requests/{bad}/",
            f"/host/requests/{bad}/change/",
            f"/host/requests/{bad}/withdraw/",
            f"/host/requests/{bad}/rsvps.csv",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "Lakeview" not in response.content.decode()
    assert client.post(f"/host/requests/{wrong[0]}/withdraw/").status_code == 404
    assert HostRequest.objects.get(pk=host_request.pk).status == HostRequest.Status.NEW


def test_a_link_past_retention_is_a_404(client, host_request, settings):
    path = page_path(host_request)
    assert client.get(path).status_code == 200
    long_ago = timezone.now() - timedelta(days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT + 1)
    HostRequest.objects.update(starts_at=long_ago - timedelta(hours=2), ends_at=long_ago)
    for suffix in ("", "change/", "withdraw/", "rsvps.csv"):
        response = client.get(path + suffix)
        assert response.status_code == 404
        assert "Lakeview" not in response.content.decode()
    # Without an end, the start counts.
    HostRequest.objects.update(ends_at=None)
    assert client.get(path).status_code == 404
    HostRequest.objects.update(starts_at=timezone.now() - timedelta(days=2))
    assert client.get(path).status_code == 200


def test_the_private_page_is_never_cached_indexed_or_referred(client, host_request, settings):
    settings.CMS_PAGE_CACHE_ENABLED = True
    response = client.get(page_path(host_request))
    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"  # no Referer to other sites
    assert "X-Cache" not in response  # the page cache never looked
    assert not response.cookies
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'rel="canonical"' not in page and "og:url" not in page  # the link is not repeated


def test_the_form_page_is_not_stored_and_sets_only_the_csrf_cookie(client, settings):
    settings.CMS_PAGE_CACHE_ENABLED = True
    response = client.get("/host/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Cache" not in response
    assert set(response.cookies) == {"csrftoken"}
    assert "X-Robots-Tag" not in response  # the form itself is for everyone to find


def test_query_counts_of_the_form_pages(client, film, django_assert_num_queries):
    FilmFactory()
    client.get("/host/")  # the blank form's fields are rendered and kept
    client.get(f"/films/{film.slug}/host/")
    with django_assert_num_queries(1):  # the kept fields' versions (the live films are in them)
        client.get("/host/")
    with django_assert_num_queries(2):  # the film; the kept fields' versions
        client.get(f"/films/{film.slug}/host/")


def test_query_count_of_a_submission(client, film, django_assert_num_queries):
    ContentType.objects.get_for_model(HostRequest)  # read once per process, by the history
    # The live films; requests from the address; the film still there (model validation);
    # requests by the e-mail; then in one transaction (a savepoint in the test's): the
    # request, the message and its task (a savepoint of their own), the revision, its
    # version and the rows reversion checks.
    with django_assert_num_queries(14) as captured:
        assert submit(client, form_data(film=film.slug)).status_code == 302
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert 'INSERT INTO "outreach_hostrequest"' in tables


def test_query_count_of_the_private_page(client, host_request, django_assert_num_queries):
    # Warm, as in steady state: the request with its film, screening and guestlist; the
    # footer's token check (a private page keeps no part of its own, so the footer is an
    # ordinary kept value: cms.page_cache.kept_site_wide).
    client.get(page_path(host_request))
    with django_assert_num_queries(2):
        assert client.get(page_path(host_request)).status_code == 200


# The host's changes.


def test_the_host_changes_the_time_through_the_private_link(client, host_request, run_queued_tasks):
    change = page_path(host_request) + "change/"
    form = client.get(change).content.decode()
    assert 'value="Lakeview Public Library"' in form
    assert f'value="{in_days(14).isoformat()}"' in form and 'value="18:30"' in form
    assert '<option value="" selected>Work it out from the city</option>' in form
    assert '<meta name="robots" content="noindex, nofollow">' in form
    # The film the host chose stays chosen (the select names films by slug, not by id).
    assert '<option value="the-library-book" selected>The Library Book</option>' in form
    response = client.post(change, form_data(film=host_request.film.slug, start_time="19:00",
                                             end_time="", day=in_days(15).isoformat()))  # fmt: skip
    assert response["Location"] == f"{page_path(host_request)}?done=changed"
    changed = HostRequest.objects.get()
    day = in_days(15)
    assert changed.starts_at == datetime(day.year, day.month, day.day, 19, 0, tzinfo=CHICAGO)
    assert changed.ends_at is None
    assert changed.submitted_from == host_request.submitted_from
    comments = [v.revision.comment for v in Version.objects.get_for_object(changed)]
    assert comments == ["Changed by the host", "Submitted by the host"]
    run_queued_tasks()
    assert [m.subject for m in mail.outbox] == [
        "We have your request to host a screening",
        "Your request to host a screening is changed",
    ]
    assert "19:00 (America/Chicago)" in mail.outbox[1].body
    assert "Your changes are saved." in client.get(response["Location"]).content.decode()


def test_a_change_with_bad_input_keeps_the_request_as_it_was(client, host_request):
    before = stored()
    response = client.post(page_path(host_request) + "change/", form_data(day="2001-01-01"))
    assert response.status_code == 400
    assert "at least 2 days from now" in response.content.decode()
    assert stored() == before


def test_the_host_withdraws_the_request(client, host_request, run_queued_tasks):
    withdraw = page_path(host_request) + "withdraw/"
    assert "Withdraw your request?" in client.get(withdraw).content.decode()
    assert HostRequest.objects.get().status == HostRequest.Status.NEW  # asking changes nothing
    response = client.post(withdraw)
    assert response["Location"] == f"{page_path(host_request)}?done=withdrawn"
    withdrawn = HostRequest.objects.get()
    assert withdrawn.status == HostRequest.Status.WITHDRAWN
    comments = [v.revision.comment for v in Version.objects.get_for_object(withdrawn)]
    assert comments[0] == "Withdrawn by the host"
    run_queued_tasks()
    assert mail.outbox[-1].subject == "Your request to host a screening is withdrawn"
    page = client.get(page_path(host_request)).content.decode()
    assert "Withdrawn" in page and "Change the request" not in page


@pytest.mark.parametrize("status", ["approved", "declined", "withdrawn"])
def test_no_change_after_a_decision(client, host_request, status):
    HostRequest.objects.update(status=status)
    before = stored()
    base = page_path(host_request)
    changed = client.post(base + "change/", form_data(organisation="Someone Else"))
    assert changed.status_code == 409
    assert "can no longer be changed" in changed.content.decode()
    assert client.get(base + "change/").status_code == 409
    assert client.post(base + "withdraw/").status_code == 409
    assert stored() == before
    page = client.get(base).content.decode()
    assert "Change the request" not in page and "Withdraw it" not in page


def test_a_decision_made_while_the_host_was_changing_it_is_kept(host_request):
    """The host's page was read while new; editors decided before the host pressed save."""
    seen_by_host = HostRequest.objects.get()
    HostRequest.objects.update(status="declined", decline_reason="Too soon.")
    before = stored()
    seen_by_host.organisation = "Changed late"
    with pytest.raises(HostRequest.AlreadyDecided):
        seen_by_host.save_by_host("Changed by the host", mail="host_request_changed", context={})
    with pytest.raises(HostRequest.AlreadyDecided):
        seen_by_host.withdraw(context={})
    assert stored() == before


def approve_with_guestlist(host_request: HostRequest) -> Guestlist:
    """What the editors' approval makes: a listed screening, taking RSVPs here."""
    screening = ScreeningFactory(
        film=host_request.film, kind=Screening.Kind.COMMUNITY, venue=host_request.venue_name,
        organizer=host_request.organisation, starts_at=host_request.starts_at,
        time_zone=host_request.time_zone,
    )  # fmt: skip
    HostRequest.objects.filter(pk=host_request.pk).update(status="approved", screening=screening)
    guestlist = Guestlist.objects.create(screening=screening, capacity=4)
    for name, email, party, status in [
        ("Bo Lindqvist", "bo@example.org", 3, Rsvp.Status.CONFIRMED),
        ("=HYPERLINK()", "x@example.org", 1, Rsvp.Status.CONFIRMED),
        ("Cy Moreau", "cy@example.org", 2, Rsvp.Status.WAITING),
    ]:
        Rsvp.objects.create(
            guestlist=guestlist, name=name, email=email, party_size=party, status=status
        )
    return guestlist


def test_an_approved_request_links_its_screening_and_lists_the_rsvps(
    client, host_request, django_assert_num_queries
):
    guestlist = approve_with_guestlist(host_request)
    client.get(page_path(host_request))  # warm, as in steady state
    # The request with its screening; the RSVPs; the footer's token check.
    with django_assert_num_queries(3):
        response = client.get(page_path(host_request))
    page = response.content.decode()
    assert f'href="{guestlist.screening.get_absolute_url()}"' in page
    assert "<td>Bo Lindqvist</td>" in page and "<td>Cy Moreau</td>" in page
    assert "2 confirmed (4 of 4 seats), 1 on the waiting list (2 seats), 0 cancelled" in page
    assert "bo@example.org" not in page  # addresses only in the download
    assert f'href="{page_path(host_request)}rsvps.csv"' in page


def test_the_host_downloads_the_rsvps_as_csv(client, host_request):
    approve_with_guestlist(host_request)
    response = client.get(page_path(host_request) + "rsvps.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = host_request.local_start.strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="rsvps-{day}.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Name,E-mail,Party size,Status,Received"
    assert rows[1].startswith("Bo Lindqvist,bo@example.org,3,Confirmed,")
    assert rows[2].startswith("'=HYPERLINK(),")


def test_no_rsvp_download_without_an_approved_guestlist(client, host_request):
    assert client.get(page_path(host_request) + "rsvps.csv").status_code == 404
    screening = ScreeningFactory(film=host_request.film)
    HostRequest.objects.update(status="approved", screening=screening)
    assert client.get(page_path(host_request) + "rsvps.csv").status_code == 404
    page = client.get(page_path(host_request)).content.decode()
    assert "RSVPs" not in page.split("<main")[1] or "rsvps.csv" not in page
