"""The editors' queue (issue 14, requirement 3): host requests listed, approved in two clicks
into a listed screening that carries none of the host's contact details, declined with a
reason, each step in the history, counted on the dashboard; RSVP lists for editors."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from reversion.models import Version

from cms.mail.models import OutgoingEmail
from cms.publishing.dashboard import needing_attention
from films.models import Film, Screening
from outreach.guestlists import Guestlist, Rsvp
from outreach.host_requests import HostRequest
from tests.admin_forms import change_form_data
from tests.factories import FilmFactory, at

CHANGELIST = "admin:outreach_hostrequest_changelist"

# The host's contact details, searched for by value wherever the public can look.
CONTACT = {
    "contact_name": "Philippa Quarrington",
    "email": "pquarrington@riverside-library.example",
    "phone": "+1 312 555 0187",
    "note": "Side door code 4471; ask for the custodian",
}


def in_days(days: int, hour: int = 18, zone: str = "America/Chicago"):
    """A venue-clock time ``days`` from now, on the hour."""
    day = (timezone.now() + timedelta(days=days)).date()
    return at(day.year, day.month, day.day, hour, tz=zone)


def submitted(**fields) -> HostRequest:
    """A request as the public form stores it: a revision with the host's comment."""
    if "film" not in fields:
        film = Film.objects.filter(slug="the-waiting-room").first()
        fields["film"] = film or FilmFactory(title="The Waiting Room", slug="the-waiting-room")
    values = {
        "organisation": "Riverside Public Library",
        **CONTACT,
        "venue_name": "Riverside Library Auditorium",
        "address": "1 Riverside Plaza",
        "city": "Chicago",
        "region": "Illinois",
        "postal_code": "60606",
        "country": "US",
        "time_zone": "America/Chicago",
        "starts_at": in_days(20),
        "ends_at": in_days(20, hour=20),
        "audience_size": 80,
        "captions": True,
        "sign_language": True,
        "submitted_from": "digest",
        **fields,
    }
    with reversion.create_revision():
        host_request = HostRequest.objects.create(**values)
        reversion.set_comment("Submitted by the host")
    return host_request


def change_url(host_request: HostRequest) -> str:
    return reverse("admin:outreach_hostrequest_change", args=[host_request.pk])


def decline_url(host_request: HostRequest) -> str:
    return reverse("admin:outreach_hostrequest_decline", args=[host_request.pk])


def approve(client: Client, host_request: HostRequest, **changes):
    """The editor's two clicks: open the request from the list, press "Approve and list"."""
    page = client.get(change_url(host_request))
    assert page.status_code == 200
    data = change_form_data(page) | changes | {"_approve": "Approve and list"}
    return client.post(change_url(host_request), data)


def history(host_request: HostRequest) -> list[str]:
    versions = Version.objects.get_for_object(host_request).order_by("revision__date_created")
    return [version.revision.get_comment() for version in versions]


def state(host_request: HostRequest) -> tuple:
    """Everything an editor's refused action must leave exactly as it was."""
    host_request.refresh_from_db()
    return (
        host_request.status, host_request.decided_at, host_request.decline_reason,
        host_request.screening_id, host_request.starts_at, host_request.film_id,
        Screening.objects.count(), Guestlist.objects.count(), OutgoingEmail.objects.count(),
        Version.objects.count(),
    )  # fmt: skip


def view_only_editor():
    user = get_user_model().objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_hostrequest", "view_guestlist"])
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_queue_lists_new_requests_first_oldest_first(editor_client):
    film = FilmFactory(title="Vanishing Pearls")
    old_approved = submitted(film=film, organisation="Approved Hall", status="approved",
                             created_at=timezone.now() - timedelta(days=9))  # fmt: skip
    newer = submitted(film=film, organisation="Newer Museum", city="Chicago",
                      created_at=timezone.now() - timedelta(days=1))  # fmt: skip
    older = submitted(film=None, organisation="Older Library", city="Evanston",
                      created_at=timezone.now() - timedelta(days=3))  # fmt: skip
    withdrawn = submitted(film=film, organisation="Withdrawn Club", status="withdrawn")

    response = editor_client.get(reverse(CHANGELIST))
    rows = list(response.context["cl"].result_list)
    assert rows == [older, newer, old_approved, withdrawn]
    page = response.content.decode()
    local = older.local_start
    assert f"{local:%a} {local.day} {local:%b %Y}, 6 PM {local.tzname()}" in page  # venue clock
    assert "Any film" in page and "Evanston" in page
    # The status filter counts each state.
    assert re.search(r"New\s*\(2\)", page) and re.search(r"Withdrawn\s*\(1\)", page)

    only_new = editor_client.get(reverse(CHANGELIST) + "?status__exact=new")
    assert list(only_new.context["cl"].result_list) == [older, newer]
    found = editor_client.get(reverse(CHANGELIST) + "?q=pquarrington@riverside")
    assert len(found.context["cl"].result_list) == 4  # every request by that e-mail
    by_org = editor_client.get(reverse(CHANGELIST) + "?q=Newer+Museum")
    assert list(by_org.context["cl"].result_list) == [newer]


@pytest.mark.django_db
def test_the_queue_takes_the_same_queries_however_many_requests(
    editor_client, django_assert_num_queries
):
    """Session, user, two permission reads; the count and the full count; the page, films
    joined; the status and format counts beside the filters."""
    for n in range(3):
        submitted(organisation=f"Library {n}", film=FilmFactory())
    editor_client.get(reverse(CHANGELIST))  # warm the content types
    with django_assert_num_queries(9):
        editor_client.get(reverse(CHANGELIST))
    for n in range(5):
        submitted(organisation=f"Museum {n}", film=FilmFactory(), status="declined")
    with django_assert_num_queries(9):
        response = editor_client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 8


@pytest.mark.django_db
def test_the_decision_is_at_the_top_too_and_leads_back_to_the_queue_as_filtered(editor_client):
    """The request's details make a long page: the buttons are at its top and its foot; after
    approving or declining, the editor is back on the list they came from (the new ones)."""
    first, second = submitted(organisation="First"), submitted(organisation="Second")
    filters = "_changelist_filters=status__exact%3Dnew"
    page = editor_client.get(f"{change_url(first)}?{filters}").content.decode()
    assert page.count('name="_approve"') == 2
    assert f'{decline_url(first)}?{filters}"' in page

    form = editor_client.get(f"{change_url(first)}?{filters}")
    data = change_form_data(form) | {"_approve": "Approve and list"}
    approved = editor_client.post(f"{change_url(first)}?{filters}", data)
    assert approved.url == reverse(CHANGELIST) + "?status__exact=new"

    declined = editor_client.post(f"{decline_url(second)}?{filters}", {"reason": "Full."})
    assert declined.url == reverse(CHANGELIST) + "?status__exact=new"
    assert HostRequest.objects.get(pk=second.pk).status == "declined"


def test_approved_in_two_clicks_lists_a_community_screening(editor_client, editor):
    host_request = submitted()
    page = editor_client.get(change_url(host_request)).content.decode()
    assert 'name="_approve"' in page and "Approve and list" in page and "Decline…" in page
    assert CONTACT["email"] in page and CONTACT["phone"] in page  # editors see the contact

    response = approve(editor_client, host_request)

    assert response.status_code == 302 and response.url == reverse(CHANGELIST)
    screening = Screening.objects.get()
    assert (screening.film.slug, screening.kind, screening.status) == (
        "the-waiting-room",
        Screening.Kind.COMMUNITY,
        Screening.Status.SCHEDULED,
    )
    assert screening.venue == "Riverside Library Auditorium"
    assert (screening.address, screening.postcode) == ("1 Riverside Plaza", "60606")
    assert (screening.city, screening.region, screening.country) == (
        "Chicago",
        "Illinois",
        "United States",
    )
    assert screening.time_zone == "America/Chicago"
    assert (screening.starts_at, screening.ends_at) == (in_days(20), in_days(20, hour=20))
    assert screening.organizer == "Riverside Public Library"
    assert screening.accessibility == "Captions, ASL or other sign language"
    assert (screening.title, screening.notes, screening.tickets_url) == ("", "", "")
    assert screening.guestlist.capacity == 80 and screening.guestlist.is_open

    host_request.refresh_from_db()
    assert host_request.status == HostRequest.Status.APPROVED
    assert host_request.screening == screening and host_request.decided_by == editor
    assert host_request.decided_at is not None
    assert history(host_request) == [
        "Submitted by the host", f"Approved by {editor.username}: listed as {screening}"
    ]  # fmt: skip
    [screening_version] = Version.objects.get_for_object(screening)
    assert screening_version.revision.user == editor

    decided = editor_client.get(change_url(host_request)).content.decode()
    local = screening.local_start
    venue_clock = f"{local:%A} {local.day} {local:%B %Y}, 6 PM – 8 PM {local.tzname()}"
    assert f"{venue_clock} (America/Chicago)" in decided
    assert 'name="_approve"' not in decided and 'name="_save"' not in decided
    assert screening.get_absolute_url() in decided


@pytest.mark.django_db
def test_the_host_is_emailed_the_listing_and_their_private_link(editor_client, run_queued_tasks):
    host_request = submitted()
    approve(editor_client, host_request)
    screening = Screening.objects.get()
    assert mail.outbox == []  # queued with the decision, sent by the worker
    run_queued_tasks()

    [message] = mail.outbox
    assert message.to == [CONTACT["email"]]
    assert message.subject == "Your screening of The Waiting Room is listed"
    screening_link = f"http://testserver{screening.get_absolute_url()}"
    private_link = f"http://testserver{host_request.private_path()}"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert screening_link in body and private_link in body
        assert "up to 80 seats" in body
    assert OutgoingEmail.objects.get().reference == host_request.reference


@pytest.mark.django_db
def test_the_listing_is_public_and_none_of_the_contact_details_are(editor_client, client):
    host_request = submitted()
    approve(editor_client, host_request)
    screening = Screening.objects.get()

    detail = client.get(screening.get_absolute_url())
    listing = client.get(reverse("films:screenings"))
    upcoming_ics = client.get(reverse("films:screenings-ics"))
    film_ics = client.get(reverse("films:film-ics", kwargs={"slug": "the-waiting-room"}))
    one_ics = client.get(reverse("films:screening-ics", kwargs={"uid": screening.uid}))
    pages = {"detail": detail, "list": listing, "calendar": upcoming_ics,
             "film calendar": film_ics, "event": one_ics}  # fmt: skip
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)

    html = detail.content.decode()
    assert "Hosted by</dt><dd>Riverside Public Library" in html
    assert "Captions, ASL or other sign language" in html
    structured = " ".join(
        re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    )
    assert "Riverside Library Auditorium" in structured  # the event's place is there
    assert screening.get_absolute_url() in listing.content.decode()
    for calendar in (upcoming_ics, film_ics):
        events = Calendar.from_ical(calendar.content).walk("VEVENT")
        assert [str(e["uid"]) for e in events] == [f"{screening.uid}@screenings.outreach-cms"]
        assert "Riverside Library Auditorium" in str(events[0]["location"])

    values = [*CONTACT.values(), "Quarrington", "riverside-library.example", "555 0187"]
    leaks = {
        (name, value)
        for name, response in pages.items()
        for text in (response.content.decode(), json.dumps(structured))
        for value in values
        if value.lower() in text.lower()
    }
    assert leaks == set()


@pytest.mark.django_db
def test_an_online_request_without_rsvps_lists_a_virtual_screening(editor_client):
    host_request = submitted(
        format="online",
        takes_rsvps=False,
        venue_name="Zoom",
        address="",
        postal_code="",
        captions=False,
        sign_language=False,
    )
    approve(editor_client, host_request)
    screening = Screening.objects.get()
    assert (screening.kind, screening.venue, screening.address) == ("virtual", "Zoom", "")
    assert screening.accessibility == ""
    assert not Guestlist.objects.exists()


@pytest.mark.django_db
def test_approving_twice_is_refused(editor_client, editor):
    host_request = submitted()
    approve(editor_client, host_request)
    before = state(host_request)

    with pytest.raises(ValidationError, match="already approved"):
        HostRequest.objects.get().approve(editor, "http://testserver/")
    # A second editor with the page still open presses Approve too.
    stale = editor_client.post(change_url(host_request), {"_approve": "Approve and list"})
    assert stale.status_code == 200
    assert "This request was already approved on" in stale.content.decode()
    assert state(host_request) == before and Screening.objects.count() == 1


@pytest.mark.django_db
def test_a_request_for_any_film_needs_the_film_chosen_before_approval(editor_client):
    host_request = submitted(film=None)
    page = editor_client.get(change_url(host_request)).content.decode()
    assert "Approving needs a film: choose it above first." in page
    before = state(host_request)

    refused = approve(editor_client, host_request)
    assert refused.status_code == 200
    assert "The host would show any film: choose the film to list, then approve." in (
        refused.content.decode()
    )
    assert state(host_request) == before

    film = FilmFactory(title="Let the Fire Burn")
    assert approve(editor_client, host_request, film=str(film.pk)).status_code == 302
    assert Screening.objects.get().film == film
    assert history(host_request)[1] == "Corrected by ed: film"


@pytest.mark.django_db
def test_the_editor_corrects_the_time_on_the_venue_clock_then_approves(editor_client):
    host_request = submitted()
    day = in_days(21).date().isoformat()
    response = approve(editor_client, host_request, starts_at_0=day, starts_at_1="19:30",
                       ends_at_0=day, ends_at_1="21:00")  # fmt: skip
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.local_start.strftime("%H:%M") == "19:30"
    assert screening.starts_at == in_days(21, hour=19) + timedelta(minutes=30)
    assert history(host_request)[1:] == [
        "Corrected by ed: starts at, ends at", f"Approved by ed: listed as {screening}"
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_request_whose_start_is_past_is_not_listed(editor_client, editor):
    host_request = submitted(starts_at=timezone.now() - timedelta(hours=2), ends_at=None)
    before = state(host_request)
    refused = approve(editor_client, host_request)
    assert refused.status_code == 200
    assert "which is past: correct the date with the host, or decline." in (
        refused.content.decode()
    )
    with pytest.raises(ValidationError, match="which is past"):
        host_request.approve(editor, "http://testserver/")
    assert state(host_request) == before

    # Moving a request into the past while correcting it is refused as well.
    open_request = submitted(organisation="Other Library")
    before = state(open_request)
    yesterday = in_days(-1).date().isoformat()
    moved = approve(editor_client, open_request, starts_at_0=yesterday, ends_at_0=yesterday)
    assert "This time is past: choose a time to come." in moved.content.decode()
    assert state(open_request) == before and not Screening.objects.exists()


@pytest.mark.django_db
def test_declining_needs_a_reason_and_changes_nothing_without_one(editor_client, editor):
    host_request = submitted()
    page = editor_client.get(decline_url(host_request))
    assert page.status_code == 200 and CONTACT["email"] in page.content.decode()
    before = state(host_request)

    for reason in ["", "   \n  "]:
        refused = editor_client.post(decline_url(host_request), {"reason": reason})
        assert refused.status_code == 200
        html = refused.content.decode()
        assert 'id="reason-error"' in html and "Write the reason: the host is e-mailed it." in html
        assert 'aria-describedby="reason-error reason-help"' in html
    with pytest.raises(ValidationError, match="Write the reason"):
        host_request.decline(editor, "  ", "http://testserver/")
    assert state(host_request) == before


@pytest.mark.django_db
def test_declining_emails_the_reason_and_is_in_the_history(editor_client, editor, run_queued_tasks):
    host_request = submitted()
    reason = "We already have a screening in Chicago that week; would the 28th work?"
    response = editor_client.post(decline_url(host_request), {"reason": reason})
    assert response.status_code == 302 and response.url == reverse(CHANGELIST)

    host_request.refresh_from_db()
    assert host_request.status == HostRequest.Status.DECLINED
    assert host_request.decline_reason == reason and host_request.decided_by == editor
    assert history(host_request) == ["Submitted by the host", f"Declined: {reason}"]
    assert not Screening.objects.exists()

    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == [CONTACT["email"]]
    assert message.subject == "About your request to host a screening"
    assert reason in message.body
    assert "would the 28th work?" in message.alternatives[0][0]
    assert f"http://testserver{reverse('outreach:host')}" in message.body

    again = editor_client.post(decline_url(host_request), {"reason": "Twice"}, follow=True)
    assert "This request was already declined on" in again.content.decode()
    assert HostRequest.objects.get().decline_reason == reason


@pytest.mark.django_db
def test_a_withdrawn_request_is_listed_and_cannot_be_decided(editor_client, editor):
    host_request = submitted(status="withdrawn")
    listed = editor_client.get(reverse(CHANGELIST) + "?status__exact=withdrawn")
    assert list(listed.context["cl"].result_list) == [host_request]
    page = editor_client.get(change_url(host_request)).content.decode()
    assert "Withdrawn" in page and 'name="_approve"' not in page
    before = state(host_request)
    with pytest.raises(ValidationError, match="The host withdrew this request"):
        host_request.approve(editor, "http://testserver/")
    with pytest.raises(ValidationError, match="The host withdrew this request"):
        host_request.decline(editor, "No", "http://testserver/")
    assert state(host_request) == before


@pytest.mark.django_db
def test_the_history_page_shows_each_step(editor_client, editor):
    host_request = submitted()
    with reversion.create_revision():
        host_request.city = "Evanston"
        host_request.save()
        reversion.set_comment("Changed by the host")
    approve(editor_client, host_request)

    page = editor_client.get(
        reverse("admin:outreach_hostrequest_history", args=[host_request.pk])
    ).content.decode()
    steps = ["Approved by ed: listed as", "Changed by the host", "Submitted by the host"]
    assert all(step in page for step in steps)
    assert [page.index(step) for step in steps] == sorted(page.index(step) for step in steps)
    assert "<td>city</td>" in page  # what the host changed
    assert "restore" not in page.lower()


@pytest.mark.django_db
def test_the_dashboard_counts_new_requests(editor_client, editor):
    submitted(organisation="One")
    submitted(organisation="Two")
    submitted(organisation="Three", status="declined")
    [attention] = HostRequest.needs_attention(editor)
    url = reverse(CHANGELIST) + "?status__exact=new"
    assert (attention.text, attention.count, attention.url) == ("2 new host requests", 2, url)
    assert attention in needing_attention(editor)

    viewer = get_user_model().objects.create_user("outsider", is_staff=True)
    assert HostRequest.needs_attention(viewer) == []
    HostRequest.objects.filter(organisation="Two").update(status="approved")
    [one] = HostRequest.needs_attention(editor)
    assert (one.text, one.count) == ("1 new host request", 1)


@pytest.mark.django_db
def test_the_dashboard_page_links_the_count_to_the_filtered_queue(editor_client):
    submitted(organisation="One")
    submitted(organisation="Two")
    page = editor_client.get(reverse("admin:index")).content.decode()
    url = reverse(CHANGELIST) + "?status__exact=new"
    link = re.search(
        rf'<a href="{re.escape(url.replace("&", "&amp;"))}"[^>]*>(.*?)</a>', page, re.S
    )
    assert link is not None, "the dashboard links to the new requests"
    assert " ".join(re.sub(r"<[^>]+>", " ", link.group(1)).split()) == "2 new host requests"


@pytest.mark.django_db
def test_an_editor_who_may_only_view_cannot_approve_or_decline():
    host_request = submitted()
    client = view_only_editor()
    page = client.get(change_url(host_request))
    assert page.status_code == 200 and 'name="_approve"' not in page.content.decode()
    before = state(host_request)
    assert client.post(change_url(host_request), {"_approve": "1"}).status_code == 403
    assert client.get(decline_url(host_request)).status_code == 403
    assert client.post(decline_url(host_request), {"reason": "No room"}).status_code == 403
    assert state(host_request) == before


@pytest.mark.django_db
def test_editors_see_a_screenings_rsvps_and_download_them(editor_client):
    host_request = submitted()
    approve(editor_client, host_request)
    guestlist = Guestlist.objects.get()
    Rsvp.objects.create(guestlist=guestlist, name="Ana Ruiz", email="ana@example.net",
                        party_size=2, submitted_from="x")  # fmt: skip
    Rsvp.objects.create(guestlist=guestlist, name="=HYPERLINK(1)", email="b@example.net",
                        status="waiting", submitted_from="x")  # fmt: skip

    listed = editor_client.get(reverse("admin:outreach_guestlist_changelist")).content.decode()
    assert re.search(r'class="field-seats_taken">2<', listed)
    assert re.search(r'class="field-waiting">1<', listed)
    page = editor_client.get(reverse("admin:outreach_guestlist_change", args=[guestlist.pk]))
    assert "ana@example.net" in page.content.decode()
    csv_url = reverse("admin:outreach_guestlist_rsvps", args=[guestlist.pk])
    assert csv_url in page.content.decode()

    download = editor_client.get(csv_url)
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    day = guestlist.screening.local_start.date().isoformat()
    assert download["Content-Disposition"] == (
        f'attachment; filename="rsvps-the-waiting-room-{day}.csv"'
    )
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    text = download.content.decode("utf-8-sig")
    assert "Ana Ruiz,ana@example.net,2,Confirmed" in text
    assert "'=HYPERLINK(1)" in text  # not a formula in a spreadsheet

    outsider = get_user_model().objects.create_user("outsider", is_staff=True)
    client = Client()
    client.force_login(outsider)
    assert client.get(csv_url).status_code == 403


@pytest.mark.django_db
def test_an_editor_enters_a_request_taken_by_phone(editor_client):
    film = FilmFactory(title="Brothers Hypnotic", slug="brothers-hypnotic")
    day = in_days(30).date().isoformat()
    data = {
        "organisation": "Southside Arts Centre", "contact_name": "Ray Okafor",
        "email": "ray@southside.example", "phone": "", "format": "in-person",
        "audience_size": "40", "takes_rsvps": "on", "note": "", "film": str(film.pk),
        "venue_name": "Studio 2", "address": "", "city": "Chicago", "region": "",
        "postal_code": "", "country": "US", "time_zone": "America/Chicago",
        "starts_at_0": day, "starts_at_1": "18:00", "ends_at_0": "", "ends_at_1": "",
    }  # fmt: skip
    add = reverse("admin:outreach_hostrequest_add")
    yesterday = in_days(-1).date().isoformat()
    refused = editor_client.post(add, data | {"starts_at_0": yesterday})
    assert "This time is past: choose a time to come." in refused.content.decode()
    assert not HostRequest.objects.exists() and not Version.objects.exists()

    assert editor_client.post(add, data).status_code == 302
    entered = HostRequest.objects.get()
    assert entered.starts_at == in_days(30) and entered.status == HostRequest.Status.NEW
    assert history(entered) == ["Entered by ed for the host"]
