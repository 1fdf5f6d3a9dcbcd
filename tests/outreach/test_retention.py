"""``purge_outreach_data``: personal data goes a set number of days after the event, exactly
that data (RSVPs, host requests, their e-mail and history, old sent e-mail) and no more."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import reversion
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from reversion.models import Revision, Version

from cms.mail.models import OutgoingEmail
from films.models import Screening
from outreach.guestlists import Guestlist, Rsvp
from outreach.host_requests import HostRequest
from tests.factories import ScreeningFactory

KEEP_DAYS = 30


def ended(days_ago: float) -> dict:
    end = timezone.now() - timedelta(days=days_ago)
    return {"starts_at": end - timedelta(hours=2), "ends_at": end}


def guestlist_with_rsvps(label: str, **when) -> list[Rsvp]:
    guestlist = Guestlist.objects.create(screening=ScreeningFactory(**when), capacity=20)
    rsvps = [
        Rsvp.objects.create(guestlist=guestlist, name=f"{label} guest {n}",
                            email=f"{label}-{n}@example.org", submitted_from="x")
        for n in range(2)
    ]  # fmt: skip
    for rsvp in rsvps:
        mail_about(rsvp.reference, rsvp.email)
    return rsvps


def host_request(label: str, **when) -> HostRequest:
    """A request with two steps of history, as the host form and a change make them."""
    with reversion.create_revision():
        reversion.set_comment("Submitted")
        request = HostRequest.objects.create(
            organisation=f"{label} library", contact_name=f"{label} contact",
            email=f"{label}-host@example.org", venue_name="Hall", city="Oakland", country="US",
            time_zone="America/Los_Angeles", audience_size=40, submitted_from="x", **when,
        )  # fmt: skip
    with reversion.create_revision():
        reversion.set_comment("Changed by the host")
        request.phone = "+1 510 555 0100"
        request.save()
    mail_about(request.reference, request.email)
    return request


def mail_about(reference: str, to: str, **fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(to=to, subject="About", text_body="Hello",
                                        reference=reference, **fields)  # fmt: skip


def sent_mail(days_ago: float, to: str) -> OutgoingEmail:
    return mail_about("", to, status=OutgoingEmail.Status.SENT,
                      sent_at=timezone.now() - timedelta(days=days_ago))  # fmt: skip


def host_request_versions(pk: int) -> int:
    return Version.objects.get_for_object_reference(HostRequest, pk).count()


@pytest.fixture
def data(db):
    with override_settings(OUTREACH_KEEP_DAYS_AFTER_EVENT=KEEP_DAYS, CMS_MAIL_KEEP_DAYS=30):
        yield {
            "old_rsvps": guestlist_with_rsvps("old", **ended(KEEP_DAYS + 0.01)),
            # Without an end, the start counts.
            "old_no_end": guestlist_with_rsvps(
                "oldstart", starts_at=timezone.now() - timedelta(days=KEEP_DAYS + 1)
            ),
            "recent_rsvps": guestlist_with_rsvps("recent", **ended(KEEP_DAYS - 0.01)),
            "upcoming_rsvps": guestlist_with_rsvps(
                "upcoming", starts_at=timezone.now() + timedelta(days=3)
            ),
            "old_request": host_request("oldhost", **ended(KEEP_DAYS + 2)),
            "recent_request": host_request("recenthost", **ended(KEEP_DAYS - 1)),
            "old_sent": sent_mail(31, "someone@example.org"),
            "recent_sent": sent_mail(29, "someone-else@example.org"),
            "old_failed": mail_about(
                "",
                "failed@example.org",
                status="failed",
                created_at=timezone.now() - timedelta(days=60),
            ),  # fmt: skip
        }


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_outreach_data", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "rsvps": set(Rsvp.objects.values_list("email", flat=True)),
        "requests": set(HostRequest.objects.values_list("email", flat=True)),
        "mail": set(OutgoingEmail.objects.values_list("to", flat=True)),
        "versions": Version.objects.count(),
        "revisions": Revision.objects.count(),
        "screenings": Screening.objects.count(),
        "guestlists": Guestlist.objects.count(),
    }


@pytest.mark.django_db
def test_the_purge_deletes_exactly_the_data_past_retention(data):
    before = snapshot()
    with override_settings(OUTREACH_KEEP_DAYS_AFTER_EVENT=KEEP_DAYS, CMS_MAIL_KEEP_DAYS=30):
        output = purge()
    after = snapshot()
    assert after["rsvps"] == {
        "recent-0@example.org", "recent-1@example.org",
        "upcoming-0@example.org", "upcoming-1@example.org",
    }  # fmt: skip
    assert after["requests"] == {"recenthost-host@example.org"}
    assert after["mail"] == {
        "recent-0@example.org", "recent-1@example.org", "upcoming-0@example.org",
        "upcoming-1@example.org", "recenthost-host@example.org",
        "someone-else@example.org", "failed@example.org",
    }  # fmt: skip
    # The old request's history (two copies of its contact details) is gone, the recent one's
    # is kept; so are the public screenings and their guestlists.
    assert host_request_versions(data["old_request"].pk) == 0
    assert host_request_versions(data["recent_request"].pk) == 2
    assert after["versions"] == before["versions"] - 2
    assert after["revisions"] == before["revisions"] - 2
    assert not Version.objects.filter(serialized_data__contains="oldhost").exists()
    assert (after["screenings"], after["guestlists"]) == (
        before["screenings"], before["guestlists"],
    )  # fmt: skip
    assert output.startswith(
        "Deleted 4 RSVPs, 1 host requests (2 history versions, 2 empty revisions), "
        "5 e-mails about them and 1 sent e-mails older than 30 days"
    )
    assert "Deleted 0 RSVPs, 0 host requests" in purge(), "a second run finds nothing"


@pytest.mark.django_db
def test_a_dry_run_counts_and_deletes_nothing(data):
    before = snapshot()
    with override_settings(OUTREACH_KEEP_DAYS_AFTER_EVENT=KEEP_DAYS, CMS_MAIL_KEEP_DAYS=30):
        output = purge("--dry-run")
    assert output.startswith("Would delete 4 RSVPs, 1 host requests (2 history versions")
    assert snapshot() == before


@pytest.mark.django_db
def test_an_approved_requests_screening_and_its_history_stay(data):
    """The listed screening never held contact details: it outlives the request."""
    request = data["old_request"]
    screening = ScreeningFactory(**ended(KEEP_DAYS + 2))
    with reversion.create_revision():
        reversion.set_comment("Approved")
        request.screening = screening
        request.status = HostRequest.Status.APPROVED
        request.save()
        reversion.add_to_revision(screening)
    with override_settings(OUTREACH_KEEP_DAYS_AFTER_EVENT=KEEP_DAYS):
        purge()
    assert not HostRequest.objects.filter(pk=request.pk).exists()
    assert Screening.objects.filter(pk=screening.pk).exists()
    approval = Revision.objects.get(comment="Approved")
    assert [v.content_type.model for v in approval.version_set.all()] == ["screening"]


@pytest.mark.django_db
def test_the_history_of_a_request_an_editor_deleted_goes_too(data):
    pk = data["recent_request"].pk
    data["recent_request"].delete()
    assert host_request_versions(pk) == 2, "reversion keeps a deleted row's history"
    with override_settings(OUTREACH_KEEP_DAYS_AFTER_EVENT=KEEP_DAYS):
        purge()
    assert host_request_versions(pk) == 0


@pytest.mark.django_db
def test_the_command_documents_itself():
    from outreach.management.commands.purge_outreach_data import Command

    assert "OUTREACH_KEEP_DAYS_AFTER_EVENT" in Command.help
    assert "--dry-run" in Command.help
