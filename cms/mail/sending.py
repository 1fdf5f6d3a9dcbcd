"""Compose a message from templates and queue it: what views and models call."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string

from .models import OutgoingEmail
from .tasks import deliver_email


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
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject[:255],
        text_body=render_to_string(f"{template}.txt", context),
        html_body=render_to_string(f"{template}.html", context),
        reference=reference,
        attachments=list(attachments),
    )
    deliver_email.enqueue(email.pk)
    return email


def send_again(emails: Iterable[OutgoingEmail]) -> int:
    """Queue failed messages once more (an editor's "send again"), with a fresh count."""
    count = 0
    for email in emails:
        email.status = OutgoingEmail.Status.QUEUED
        email.attempts = 0
        email.save(update_fields=["status", "attempts"])
        deliver_email.enqueue(email.pk)
        count += 1
    return count
