"""Compose a message from templates and queue it: what views, models and the admin call.

Nothing here talks to the mail server: a request only writes two rows (the message and its
queued task), and the worker (``manage.py db_worker``) sends it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutgoingEmail
from .tasks import deliver_email, drop_queued_deliveries

ATTACHMENT_KEYS = {"filename", "content", "mimetype"}


def checked_attachments(attachments: Iterable[dict]) -> list[dict]:
    """Text attachments as stored; refused here, in the caller's request, if malformed,
    rather than failing in the worker on every attempt."""
    found = [dict(attachment) for attachment in attachments]
    for attachment in found:
        if set(attachment) != ATTACHMENT_KEYS or not all(
            isinstance(value, str) for value in attachment.values()
        ):
            raise ValueError(f"An attachment is {sorted(ATTACHMENT_KEYS)}, all text.")
    return found


def send_later(
    to: str,
    template: str,
    context: dict,
    *,
    reference: str = "",
    attachments: Iterable[dict] = (),
) -> OutgoingEmail:
    """Store a message rendered from ``<template>_subject.txt``, ``.txt`` and ``.html``,
    and queue its delivery in the caller's transaction.

    Call it inside the transaction that saves what the message is about: both are kept, or
    neither is. Nothing here talks to the mail server.
    """
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text_body = render_to_string(f"{template}.txt", context)
    html_body = render_to_string(f"{template}.html", context)
    with transaction.atomic(using=OutgoingEmail.objects.db):  # the message and its task
        email = OutgoingEmail.objects.create(
            to=to,
            subject=subject[:255],
            text_body=text_body,
            html_body=html_body,
            reference=reference,
            attachments=checked_attachments(attachments),
        )
        deliver_email.enqueue(email.pk, 1)
    return email


def send_again(emails: Iterable[OutgoingEmail]) -> list[int]:
    """Queue failed (or long overdue) messages once more, with a fresh count of attempts:
    an editor's "send again". Returns the ids of those queued; others are left as they are."""
    now = timezone.now()
    with transaction.atomic(using=OutgoingEmail.objects.db):
        chosen = (
            OutgoingEmail.objects.may_send_again(now)
            .filter(pk__in=[email.pk for email in emails])
            .select_for_update()
        )
        ids = list(chosen.values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=None
        )
        drop_queued_deliveries(ids)  # an overdue message's, which would count from before
        for email_id in ids:
            deliver_email.enqueue(email_id, 1)
    return ids
