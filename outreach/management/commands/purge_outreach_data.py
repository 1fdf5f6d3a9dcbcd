"""Delete outreach's personal data once it is no longer needed: run daily (cron, a timer).

For every screening that ended more than ``OUTREACH_KEEP_DAYS_AFTER_EVENT`` days ago:

- its RSVPs (names, e-mail addresses, party sizes). The guestlist itself stays: it holds
  only the capacity and whether it is open, and the public screening page refers to it;
- the host requests for such events, row and all: the listed screening an approved request
  became stays, since it never held the contact details;
- every stored message about those RSVPs and requests (``OutgoingEmail.reference``);
- the django-reversion history of host requests no longer in the table (each version is a
  full copy of the contact details), and the revisions that held only such versions.

Also sent e-mail older than ``CMS_MAIL_KEEP_DAYS`` days, whatever it was about. Private
links to RSVPs and requests stop working at the same moment (``within_retention``).
``--dry-run`` counts what would be deleted and deletes nothing. All in one transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from reversion.models import Revision, Version

from cms.mail.models import OutgoingEmail
from outreach.guestlists import Rsvp
from outreach.host_requests import HostRequest


class DryRun(Exception):
    """Raised to roll the transaction back after counting."""


def orphaned_host_request_versions():
    """History of host requests whose row is gone (deleted now, or earlier by an editor)."""
    existing = HostRequest.objects.annotate(key=Cast("pk", CharField())).filter(
        key=OuterRef("object_id")
    )
    return Version.objects.get_for_model(HostRequest).exclude(Exists(existing))


class Command(BaseCommand):
    help = (
        "Delete RSVPs and host requests (with their e-mail and history) for events that ended "
        "more than OUTREACH_KEEP_DAYS_AFTER_EVENT days ago, and sent e-mail older than "
        "CMS_MAIL_KEEP_DAYS days. Run daily; --dry-run only counts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        try:
            with transaction.atomic():
                counts = self.purge()
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {counts['rsvps']} RSVPs, {counts['host_requests']} host requests "
            f"({counts['versions']} history versions, {counts['revisions']} empty revisions), "
            f"{counts['mail_about']} e-mails about them and {counts['old_mail']} sent e-mails "
            f"older than {settings.CMS_MAIL_KEEP_DAYS} days "
            f"(events that ended before {counts['cutoff']:%Y-%m-%d %H:%M %Z})."
        )

    def purge(self) -> dict:
        """Delete everything past retention, in the caller's transaction; the counts."""
        now = timezone.now()
        rsvps = Rsvp.objects.past_retention(now)
        requests = HostRequest.objects.past_retention(now)
        references = [rsvp.reference for rsvp in rsvps.only("uid")]
        references += [request.reference for request in requests.only("uid")]
        mail_about, _ = OutgoingEmail.objects.about(*references).delete()
        rsvp_count, _ = rsvps.delete()
        request_count = requests.count()
        requests.delete()
        versions = orphaned_host_request_versions()
        revision_ids = set(versions.values_list("revision_id", flat=True))
        version_count, _ = versions.delete()
        empty = Revision.objects.filter(pk__in=revision_ids, version__isnull=True)
        revisions, _ = empty.delete()
        old_mail, _ = OutgoingEmail.objects.sent_before(
            now - timedelta(days=settings.CMS_MAIL_KEEP_DAYS)
        ).delete()
        return {
            "rsvps": rsvp_count,
            "host_requests": request_count,
            "versions": version_count,
            "revisions": revisions,
            "mail_about": mail_about,
            "old_mail": old_mail,
            "cutoff": now - timedelta(days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT),
        }
