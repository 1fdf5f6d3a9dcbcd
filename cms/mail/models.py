"""E-mail kept in the database until the mail server has taken it.

A form that sends mail stores an ``OutgoingEmail`` and queues its delivery in the same
transaction as what it saved: the worker sends it later, so a slow or dead mail server
never holds up or breaks the page, and never loses the message. Delivery is tried again
after each of ``CMS_MAIL_RETRY_DELAYS``; a message that still fails is marked failed, and
editors see it on the dashboard and can send it again from the admin.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self) -> OutgoingEmailQuerySet:
        return self.filter(status=OutgoingEmail.Status.FAILED)

    def about(self, *references: str) -> OutgoingEmailQuerySet:
        """Messages about these things (``reference``), e.g. to delete with them."""
        return self.filter(reference__in=references)

    def sent_before(self, moment: datetime) -> OutgoingEmailQuerySet:
        return self.filter(status=OutgoingEmail.Status.SENT, sent_at__lt=moment)


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # Text attachments (a calendar event): [{"filename": ..., "content": ..., "mimetype": ...}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    reference = models.CharField(
        _("about"), max_length=100, blank=True, db_index=True,
        help_text=_("What it is about (\"outreach.rsvp:<id>\"); deleting that deletes it."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject, self.text_body, settings.DEFAULT_FROM_EMAIL, [self.to]
        )
        if self.html_body:
            message.attach_alternative(self.html_body, "text/html")
        for attachment in self.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        return message

    def deliver(self) -> timedelta | None:
        """Hand the message to the mail server; on failure, the wait before the next try.

        Returns None when there is nothing more to do: sent, or failed for good.
        """
        self.attempts += 1
        try:
            self.message().send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any backend's failure is kept and retried
            self.last_error = f"{type(error).__name__}: {error}"[:2000]
            delays = settings.CMS_MAIL_RETRY_DELAYS
            if self.attempts <= len(delays):
                wait = timedelta(seconds=delays[self.attempts - 1])
                self.next_attempt_at = timezone.now() + wait
                self.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning("E-mail %s not sent (%s); trying again in %s", self.pk, error, wait)
                return wait
            self.status = self.Status.FAILED
            self.next_attempt_at = None
            self.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.error("E-mail %s failed for good after %s attempts: %s",
                         self.pk, self.attempts, error)  # fmt: skip
            return None
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        self.next_attempt_at = None
        self.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        return None
