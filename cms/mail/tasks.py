"""The worker's side of ``cms.mail``: deliver one stored message, and queue the next try."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail


@task()
def deliver_email(email_id: int) -> str:
    """Send a queued message; if the server refuses it, queue another try after a delay."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return "nothing to send"  # deleted with its subject's data, sent, or failed
        wait = email.deliver()
        if wait is not None:
            deliver_email.using(run_after=timezone.now() + wait).enqueue(email_id)
            return f"retrying in {wait}"
        return email.status
