"""RSVPs on this site: capacity and the waiting list, the form and its limits, the mail with
its .ics and cancel link, the private page, the host's CSV, and privacy (searched by value)."""

from __future__ import annotations

import csv
import io
import re
import threading
import uuid
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cms.mail.models import OutgoingEmail
from cms.page_cache.cache import cacheable_view
from films.models import Screening
from outreach.guestlists import RSVP_LINK_SALT, Guestlist, Rsvp, rsvps_csv_response
from outreach.private_links import token_for
from tests.checkers import nu_errors
from tests.factories import FilmFactory, InterviewFactory, PostFactory, ScreeningFactory, at

ADDRESS = "198.51.100.7"
# The worker closes the database connection between tasks (as in production), which ends a
# test's enclosing transaction on PostgreSQL: tests that run it commit for real instead.
QUEUE_WORKER = pytest.mark.django_db(transaction=True)


def make_guestlist(capacity: int = 10, **screening) -> Guestlist:
    fields = {
        "kind": Screening.Kind.COMMUNITY,
        "venue": "Main Library",
        "address": "125 14th Street",
        "city": "Oakland",
        "region": "CA",
        "time_zone": "America/Los_Angeles",
        "starts_at": timezone.now() + timedelta(days=10),
    }
    fields.update(screening)
    return Guestlist.objects.create(screening=ScreeningFactory(**fields), capacity=capacity)


def rsvp_url(guestlist: Guestlist) -> str:
    return reverse("outreach:rsvp", kwargs={"uid": guestlist.screening.uid})


def post_rsvp(client, guestlist, name="Ann Lee", email="ann@example.org", party_size=1,
              address=ADDRESS, **extra):  # fmt: skip
    data = {"name": name, "email": email, "party_size": party_size, "website": "", **extra}
    return client.post(rsvp_url(guestlist), data, REMOTE_ADDR=address)


def add(guestlist: Guestlist, name: str, party_size: int = 1) -> Rsvp:
    email = f"{name.lower().replace(' ', '.')}@example.org"
    return guestlist.add_rsvp(name, email, party_size, submitted_from="test")


def a_request():
    return RequestFactory().get("/", HTTP_HOST="testserver")


def stored() -> tuple[int, int]:
    return Rsvp.objects.count(), OutgoingEmail.objects.count()


# Capacity and the waiting list -------------------------------------------------------------


@pytest.mark.django_db
def test_parties_that_fit_are_confirmed_until_exactly_full_then_they_wait():
    guestlist = make_guestlist(capacity=5)
    first = add(guestlist, "Ann", 3)
    assert first.status == Rsvp.Status.CONFIRMED
    assert (guestlist.seats_taken, guestlist.places_left) == (3, 2)
    exactly_full = add(guestlist, "Bo", 2)
    assert exactly_full.status == Rsvp.Status.CONFIRMED
    assert (guestlist.seats_taken, guestlist.places_left) == (5, 0)
    overflow = add(guestlist, "Cy", 1)
    assert overflow.status == Rsvp.Status.WAITING
    assert (guestlist.seats_taken, guestlist.places_left) == (5, 0), "waiting holds no seat"


@pytest.mark.django_db
def test_a_party_larger_than_the_places_left_waits_while_a_smaller_one_after_it_fits():
    guestlist = make_guestlist(capacity=4)
    add(guestlist, "Ann", 3)
    assert add(guestlist, "Bo", 2).status == Rsvp.Status.WAITING
    assert add(guestlist, "Cy", 1).status == Rsvp.Status.CONFIRMED


@QUEUE_WORKER
def test_a_cancellation_promotes_waiting_parties_in_order_of_arrival(run_queued_tasks):
    guestlist = make_guestlist(capacity=3)
    ann, bo = add(guestlist, "Ann", 2), add(guestlist, "Bo", 1)
    cy, di, ed = add(guestlist, "Cy", 2), add(guestlist, "Di", 1), add(guestlist, "Ed", 1)
    assert [r.status for r in (cy, di, ed)] == [Rsvp.Status.WAITING] * 3

    # One place frees: Cy (two people) is first in line but does not fit; Di behind does.
    assert bo.cancel(a_request()) == [di]
    statuses = dict(Rsvp.objects.values_list("name", "status"))
    assert statuses == {"Ann": "confirmed", "Bo": "cancelled", "Cy": "waiting",
                        "Di": "confirmed", "Ed": "waiting"}  # fmt: skip
    # Two places free: Cy, still at the head of the line, gets them before Ed.
    assert ann.cancel(a_request()) == [cy]
    assert Rsvp.objects.get(name="Cy").status == "confirmed"
    assert Rsvp.objects.get(name="Ed").status == "waiting"
    assert guestlist.seats_taken == 3

    run_queued_tasks()
    promoted = [m for m in mail.outbox if m.subject.startswith("You have a place")]
    assert [m.to for m in promoted] == [["di@example.org"], ["cy@example.org"]]
    assert "you have a place" in promoted[0].body
    assert "/rsvp/" in promoted[0].body, "the new confirmation carries the cancel link"
    assert ann.cancel(a_request()) == [], "cancelling twice does nothing more"


@pytest.mark.postgresql  # SQLite lets one writer in at a time by itself
@pytest.mark.django_db(transaction=True)
def test_two_guests_pressing_rsvp_for_the_last_place_at_once_get_one_place():
    guestlist = make_guestlist(capacity=1)
    second = {}

    def second_guest() -> None:
        try:
            second["rsvp"] = guestlist.add_rsvp("Bo", "bo@example.org", 1, submitted_from="x")
        finally:
            connections.close_all()

    with transaction.atomic():  # the first guest, half-way through taking the last place
        Guestlist.objects.select_for_update().get(pk=guestlist.pk)
        thread = threading.Thread(target=second_guest)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive(), "the second guest waits for the first to be counted"
        Rsvp.objects.create(guestlist=guestlist, name="Ann", email="ann@example.org",
                            submitted_from="x")  # fmt: skip
    thread.join(timeout=10)
    assert second["rsvp"].status == Rsvp.Status.WAITING
    assert guestlist.seats_taken == 1


@pytest.mark.django_db
def test_nothing_moves_up_once_the_screening_is_cancelled():
    guestlist = make_guestlist(capacity=1)
    first, waiting = add(guestlist, "Ann"), add(guestlist, "Bo")
    Screening.objects.filter(pk=guestlist.screening.pk).update(status="cancelled")
    assert first.cancel(a_request()) == []
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.WAITING


@pytest.mark.django_db
@override_settings(OUTREACH_MAX_PARTY_SIZE=10)
def test_parties_over_the_capacity_or_the_maximum_are_refused_with_nothing_stored(client):
    small = make_guestlist(capacity=3)
    response = post_rsvp(client, small, party_size=4)
    assert response.status_code == 400
    assert "at most 3 people" in response.content.decode()
    big = make_guestlist(capacity=50)
    response = post_rsvp(client, big, party_size=11)
    assert response.status_code == 400
    assert "at most 10 people" in response.content.decode()
    for bad in (0, -1, "two", ""):
        assert post_rsvp(client, big, party_size=bad).status_code == 400
    assert stored() == (0, 0)
    with pytest.raises(ValidationError, match="at most 3"):
        small.add_rsvp("Ann", "ann@example.org", 4, submitted_from="x")
    assert stored() == (0, 0)


@pytest.mark.django_db
def test_the_party_size_input_says_its_limits():
    from outreach.rsvp_forms import RsvpForm

    html = str(RsvpForm(guestlist=make_guestlist(capacity=4))["party_size"])
    assert 'type="number"' in html and 'min="1"' in html and 'max="4"' in html
    assert 'inputmode="numeric"' in html


@pytest.mark.django_db
def test_a_second_rsvp_from_the_same_address_is_refused_whatever_its_case(client):
    guestlist = make_guestlist()
    assert post_rsvp(client, guestlist, email="ann@example.org").status_code == 302
    before = stored()
    response = post_rsvp(client, guestlist, name="Ann again", email="ANN@Example.ORG")
    assert response.status_code == 400
    assert "already RSVPed; use the link in your e-mail" in response.content.decode()
    assert stored() == before
    Rsvp.objects.get().cancel(a_request())
    assert post_rsvp(client, guestlist, email="Ann@example.org").status_code == 302, (
        "after cancelling, one may RSVP again"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"status": Screening.Status.CANCELLED},
        {
            "starts_at": timezone.now() - timedelta(minutes=5),
            "ends_at": timezone.now() + timedelta(hours=1),
        },  # fmt: skip
        {"starts_at": timezone.now() - timedelta(days=2), "ends_at": None},  # over
    ],
    ids=["cancelled", "started", "ended"],
)
def test_cancelled_started_or_ended_screenings_take_no_rsvps(client, change):
    guestlist = make_guestlist()
    Screening.objects.filter(pk=guestlist.screening.pk).update(**change)
    page = client.get(rsvp_url(guestlist))
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode(), "no form to fill in"
    response = post_rsvp(client, guestlist)
    assert response.status_code == 400
    assert stored() == (0, 0)
    guestlist.refresh_from_db()
    with pytest.raises(ValidationError):
        guestlist.add_rsvp("Ann", "ann@example.org", 1, submitted_from="x")
    assert stored() == (0, 0)


@pytest.mark.django_db
def test_closed_lists_hidden_films_and_screenings_without_a_list_have_no_rsvp_page(client):
    closed = make_guestlist()
    Guestlist.objects.filter(pk=closed.pk).update(is_open=False)
    hidden = make_guestlist(film=FilmFactory(status="draft", publish_at=None))
    without = ScreeningFactory()
    for url in (rsvp_url(closed), rsvp_url(hidden), f"/screenings/{without.uid}/rsvp/",
                f"/screenings/{uuid.uuid4()}/rsvp/"):  # fmt: skip
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Ann", "email": "a@example.org", "party_size": 1},
                           REMOTE_ADDR=ADDRESS).status_code == 404  # fmt: skip
    closed.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer taking RSVPs"):
        closed.add_rsvp("Ann", "ann@example.org", 1, submitted_from="x")
    assert stored() == (0, 0)


# The form ------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(OUTREACH_RSVPS_PER_ADDRESS_PER_DAY=3)
def test_an_address_is_refused_after_its_days_share_with_nothing_stored(client):
    guestlist, other = make_guestlist(), make_guestlist()
    for n in range(2):
        assert post_rsvp(client, guestlist, email=f"guest{n}@example.org").status_code == 302
    assert post_rsvp(client, other, email="guest2@example.org").status_code == 302, (
        "the limit counts RSVPs to every screening"
    )
    before = stored()
    for n in range(3, 8):  # a loop of bogus submissions
        response = post_rsvp(client, guestlist, email=f"guest{n}@example.org")
        assert response.status_code == 429
        assert "Too many RSVPs have come from your network today" in response.content.decode()
    assert stored() == before
    assert (
        post_rsvp(client, guestlist, email="x@example.org", address="203.0.113.9").status_code
        == 302
    )
    # A day later the address may RSVP again.
    Rsvp.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    assert post_rsvp(client, guestlist, email="guest9@example.org").status_code == 302


@pytest.mark.django_db
def test_the_honeypot_refuses_robots_with_nothing_stored(client):
    response = post_rsvp(client, make_guestlist(), website="http://spam.example/")
    assert response.status_code == 400
    assert "could not be taken" in response.content.decode()
    assert stored() == (0, 0)


@pytest.mark.django_db
def test_a_wrong_field_keeps_what_was_typed_and_says_what_to_fix(client):
    guestlist = make_guestlist()
    response = post_rsvp(client, guestlist, name="Zoë Ångström", email="not-an-address",
                         party_size=2)  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Zoë Ångström"' in html and 'value="not-an-address"' in html
    assert 'value="2"' in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_email"' in summary and "name@example.org" in summary
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert 'aria-describedby="id_email-help id_email-error"' in email_input
    assert 'id="id_email-error"' in html
    assert 'type="email"' in email_input and 'autocomplete="email"' in email_input
    assert "<title>Error: " in html
    assert stored() == (0, 0)


@pytest.mark.django_db
def test_the_page_shows_the_event_on_the_venues_clock_and_the_places_left(client):
    guestlist = make_guestlist(capacity=5, starts_at=at(2031, 3, 14, 2, 30))  # 7:30 PM in LA
    html = client.get(rsvp_url(guestlist)).content.decode()
    assert "Thursday, March 13, 2031" in html and "7:30 PM PDT" in html
    assert "Main Library, 125 14th Street, Oakland, CA" in html
    assert "5 places left." in html
    add(guestlist, "Ann", 5)
    html = client.get(rsvp_url(guestlist)).content.decode()
    assert "Full: you will join the waiting list" in html


@pytest.mark.django_db
def test_the_rsvp_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    guestlist = make_guestlist()
    for n in range(3):
        add(guestlist, f"Guest {n}", 2)
    client.get(rsvp_url(guestlist))  # the blank form's fields are rendered and kept
    # The screening with its film and guestlist; the seats taken; the kept fields' versions.
    with django_assert_num_queries(3):
        assert client.get(rsvp_url(guestlist)).status_code == 200


@pytest.mark.django_db
def test_the_private_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    guestlist = make_guestlist()
    rsvp = add(guestlist, "Ann", 2)
    client.get(rsvp.private_path())  # warm, as in steady state
    # The RSVP with its screening and film, in one query; the footer's token check.
    with django_assert_num_queries(2):
        assert client.get(rsvp.private_path()).status_code == 200


# The confirmation mail -----------------------------------------------------------------------


def attachment_part(message):
    parsed = message_from_bytes(message.message().as_bytes())
    return next(p for p in parsed.walk() if p.get_filename() == "screening.ics")


@QUEUE_WORKER
def test_the_confirmation_mail_has_text_html_an_ics_and_a_cancel_link(client, run_queued_tasks):
    guestlist = make_guestlist(capacity=2, starts_at=at(2031, 3, 14, 2, 30),
                               ends_at=at(2031, 3, 14, 4, 30))  # fmt: skip
    response = post_rsvp(client, guestlist, name="Ann Lee", email="ann@example.org", party_size=2)
    assert response.status_code == 302
    email = OutgoingEmail.objects.get()
    assert email.reference == Rsvp.objects.get().reference, "deleted with the RSVP"
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == ["ann@example.org"]
    assert message.subject.startswith("You're on the list: Film")
    assert "Your RSVP is confirmed: 2 places" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and "<strong>confirmed</strong>" in html

    part = attachment_part(message)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH" and part.get_content_charset() == "utf-8"
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == at(2031, 3, 13, 19, 30, tz="America/Los_Angeles")
    assert event["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert str(event["summary"]) == guestlist.screening.film.title
    assert "Main Library" in str(event["location"]) and "Oakland" in str(event["location"])

    [link] = re.findall(r"http://testserver/rsvp/[^\s\"<]+", message.body)
    assert f'href="{link}"' in html
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmed" in page.content.decode() and "Cancel my RSVP" in page.content.decode()


@QUEUE_WORKER
def test_a_full_screening_confirms_a_place_on_the_waiting_list(client, run_queued_tasks):
    guestlist = make_guestlist(capacity=1)
    add(guestlist, "Bo")
    assert post_rsvp(client, guestlist).status_code == 302
    run_queued_tasks()
    [message] = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    assert message.subject.startswith("Waiting list:")
    assert "you are on the waiting list" in message.body
    assert attachment_part(message) is not None


@pytest.mark.django_db
def test_after_rsvping_the_guest_lands_on_their_page_saying_they_are_on_the_list(client):
    data = {"name": "Ann Lee", "email": "ann@example.org", "party_size": 1}
    response = client.post(rsvp_url(make_guestlist()), data, REMOTE_ADDR=ADDRESS, follow=True)
    html = response.content.decode()
    assert "You're on the list" in html and "ann@example.org" in html
    assert "You're on the list" not in client.get(response.request["PATH_INFO"]).content.decode()


# The private page ------------------------------------------------------------------------------


@QUEUE_WORKER
def test_cancelling_through_the_link(client, run_queued_tasks):
    guestlist = make_guestlist(capacity=1)
    rsvp, waiting = add(guestlist, "Ann"), add(guestlist, "Bo")
    link = rsvp.private_path()
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == link
    rsvp.refresh_from_db()
    waiting.refresh_from_db()
    assert (rsvp.status, waiting.status) == ("cancelled", "confirmed")
    html = client.get(link).content.decode()
    assert "Cancelled" in html and "Cancel my RSVP" not in html
    assert client.post(link).status_code == 302, "a second press changes nothing"
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["bo@example.org"]]


@pytest.mark.django_db
def test_personal_pages_are_never_cached_indexed_or_referred(client):
    guestlist = make_guestlist()
    rsvp = add(guestlist, "Ann")
    form_page = client.get(rsvp_url(guestlist))
    assert form_page["Cache-Control"] == "private, no-store"
    private = client.get(rsvp.private_path())
    assert private["Cache-Control"] == "private, no-store"
    assert private["X-Robots-Tag"].startswith("noindex")
    assert private["Referrer-Policy"] == "same-origin", "no Referer to other sites"
    assert cacheable_view(rsvp_url(guestlist))[0] is False
    assert cacheable_view(rsvp.private_path())[0] is False


@pytest.mark.django_db
def test_tampered_foreign_or_expired_links_are_404(client):
    guestlist = make_guestlist()
    rsvp = add(guestlist, "Ann")
    link = rsvp.private_path()
    token = link.split("/")[2]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_uid = Rsvp(uid=uuid.uuid4())
    for bad in (flipped, str(rsvp.uid), token_for(other_uid, RSVP_LINK_SALT),
                token_for(rsvp, "outreach.host-request")):  # fmt: skip
        assert client.get(f"/rsvp/{bad}/").status_code == 404
        assert client.post(f"/rsvp/{bad}/").status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.status == Rsvp.Status.CONFIRMED
    # Once the event is past the retention period, the link is dead (the data goes too).
    Screening.objects.filter(pk=guestlist.screening.pk).update(
        starts_at=timezone.now() - timedelta(days=31, hours=2),
        ends_at=timezone.now() - timedelta(days=31),
    )
    assert client.get(link).status_code == 404
    Screening.objects.filter(pk=guestlist.screening.pk).update(
        ends_at=timezone.now() - timedelta(days=29)
    )
    page = client.get(link)
    assert page.status_code == 200 and "Cancel my RSVP" not in page.content.decode()
    assert client.post(link).status_code == 400, "no cancelling after the start"
    rsvp.refresh_from_db()
    assert rsvp.status == Rsvp.Status.CONFIRMED


# The host's CSV -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_has_a_bom_a_header_venue_times_and_no_formulas():
    guestlist = make_guestlist()
    names = ['=HYPERLINK("http://evil.example")', "+1 555", "-2+3", "@SUM(A1)", "Zoë Ångström"]
    for n, name in enumerate(names):
        Rsvp.objects.create(guestlist=guestlist, name=name, email=f"g{n}@example.org",
                            party_size=n + 1, submitted_from="x",
                            created_at=at(2031, 3, 1, 20, n))  # fmt: skip
    Rsvp.objects.filter(name="+1 555").update(status=Rsvp.Status.WAITING, email="=1+1@example.org")
    response = rsvps_csv_response(guestlist, "guests.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="guests.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-mail", "Party size", "Status", "Received"]
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example")',
        "'+1 555",
        "'-2+3",
        "'@SUM(A1)",
        "Zoë Ångström",
    ]
    # 20:01 UTC is just past noon in Oakland, the venue's clock.
    assert rows[2] == ["'+1 555", "'=1+1@example.org", "2", "On the waiting list",
                       "2031-03-01 12:01"]  # fmt: skip


# Privacy -----------------------------------------------------------------------------------------

ATTENDEES = [
    ("Quillon Marrowfeld", "quillon.marrowfeld@example.net"),
    ("Ysolde Brackenridge", "ysolde-b@example.net"),
    ("Tamsin Oakhollow", "t.oakhollow@example.net"),
]


def public_pages(client, screening: Screening) -> dict[str, str]:
    """Every public page, feed, sitemap and calendar that could mention the screening."""
    film = screening.film
    urls = [
        "/", "/films/", film.get_absolute_url(), "/screenings/", "/screenings/past/",
        screening.get_absolute_url(), rsvp_url(screening.guestlist), "/watch/",
        f"/screenings/{screening.uid}.ics", f"/films/{film.slug}/screenings.ics",
        "/screenings/calendar.ics", "/interviews/feed/", "/blog/feed/", "/blog/feed/atom/",
        "/watch/feed/", "/watch/feed/atom/", "/sitemap.xml", "/robots.txt",
    ]  # fmt: skip
    index = client.get("/sitemap.xml").content.decode()
    urls += [re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)</loc>", index)]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


@pytest.mark.django_db
def test_attendees_appear_on_no_public_page_feed_sitemap_calendar_or_search(client):
    guestlist = make_guestlist(capacity=80)
    screening = guestlist.screening
    InterviewFactory(film=screening.film)
    PostFactory()
    for name, email in ATTENDEES:
        assert post_rsvp(client, guestlist, name=name, email=email, party_size=2).status_code == 302
    client.cookies.clear()
    pages = public_pages(client, screening)
    assert len(pages) > 20
    for name, email in ATTENDEES:
        for value in (name, email, name.split()[1], email.split("@")[0]):
            leaks = [url for url, html in pages.items() if value.lower() in html.lower()]
            assert leaks == [], f"{value} on {leaks}"
            search = client.get("/search/", {"q": value})
            assert search.context["total"] == 0, f"search finds {value}"


# Valid HTML of each page state (axe-core checks them in tests/browser/test_outreach_pages.py)


def rsvp_pages(client) -> dict[str, tuple[str, str, dict | None, int]]:
    """(method, path, data, status) of each state of the RSVP pages."""
    open_list, full = make_guestlist(capacity=4), make_guestlist(capacity=1)
    started = make_guestlist(starts_at=timezone.now() - timedelta(minutes=10),
                             ends_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    add(full, "Bo")
    confirmed, waiting = add(open_list, "Cy", 2), add(full, "Di")
    cancelled = add(open_list, "Ed")
    cancelled.cancel(a_request())
    bad = {"name": "", "email": "nope", "party_size": 9, "website": ""}
    return {
        "form": ("get", rsvp_url(open_list), None, 200),
        "full": ("get", rsvp_url(full), None, 200),
        "errors": ("post", rsvp_url(open_list), bad, 400),
        "started": ("get", rsvp_url(started), None, 200),
        "confirmed": ("get", confirmed.private_path(), None, 200),
        "waiting": ("get", waiting.private_path(), None, 200),
        "cancelled": ("get", cancelled.private_path(), None, 200),
    }


@pytest.mark.django_db
def test_every_rsvp_page_state_is_valid_html(client, tmp_path):
    files = []
    for name, (method, path, data, status) in rsvp_pages(client).items():
        response = getattr(client, method)(path, data, REMOTE_ADDR=ADDRESS)
        assert response.status_code == status, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    just_added = post_rsvp(client, make_guestlist(), email="new@example.org")
    files.append(tmp_path / "just-added.html")
    files[-1].write_bytes(client.get(just_added["Location"]).content)
    with override_settings(OUTREACH_RSVPS_PER_ADDRESS_PER_DAY=0):
        refused = post_rsvp(client, make_guestlist())
    assert refused.status_code == 429
    files.append(tmp_path / "too-many.html")
    files[-1].write_bytes(refused.content)
    assert nu_errors(files) == []


@pytest.mark.django_db
def test_editors_are_not_told_a_screening_taking_rsvps_here_lacks_a_tickets_link(editor_client):
    """The dashboard lists upcoming screenings missing details viewers look for; RSVPs taken
    on this site are a way in, though the screening has no tickets link of its own."""
    guestlist = make_guestlist()
    dashboard = editor_client.get(reverse("admin:index")).content.decode()
    assert guestlist.screening.display_title not in dashboard.split("missing details")[-1]
    assert Screening.objects.get(pk=guestlist.screening.pk).missing_details == []

    Guestlist.objects.filter(pk=guestlist.pk).update(is_open=False)  # no longer taking RSVPs
    assert Screening.objects.get(pk=guestlist.screening.pk).missing_details == [
        "tickets or RSVP link"
    ]
    dashboard = editor_client.get(reverse("admin:index")).content.decode()
    assert "no tickets or RSVP link" in dashboard
