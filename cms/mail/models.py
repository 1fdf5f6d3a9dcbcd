"""E-mail kept in the database until the mail server has taken it.

A form that sends mail stores an ``OutgoingEmail`` and queues its delivery in the same
transaction as what it saved: the worker sends it later, so a slow or dead mail server
never holds up or breaks the page, and never loses the message. Delivery is tried again
after each of ``CMS_MAIL_RETRY_DELAYS``; a message that still fails is marked failed, and
editors see it on the dashboard and can send it again from the admin.

The worker's side (``cms.mail.tasks``) keeps one queued task per message at all times, so
that a worker that dies while talking to the mail server loses nothing: before it sends, it
queues the next attempt for ``SENDING_LEASE`` later. Each attempt is numbered, and a task
only makes the attempt it was queued for, so a task left over from an earlier attempt (or
from before an editor's "send again") does nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.attention import Attention

logger = logging.getLogger(__name__)

# How long one attempt may take before the worker that made it is taken for dead and the
# message is tried again (the SMTP backend gives up on a silent server after EMAIL_TIMEOUT).
SENDING_LEASE = timedelta(minutes=5)
# A message still waiting this long after it was due is shown to editors: the worker is
# probably not running.
OVERDUE_AFTER = timedelta(minutes=15)
# ``last_error`` while an attempt is under way: what editors should read if it never ends.
UNFINISHED = "Unfinished: "


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self) -> OutgoingEmailQuerySet:
        return self.filter(status=OutgoingEmail.Status.FAILED)

    def overdue(self, now: datetime | None = None) -> OutgoingEmailQuerySet:
        """Queued messages whose attempt is well past due: nobody is working the queue."""
        return self.filter(overdue_condition(now or timezone.now()))

    def may_send_again(self, now: datetime | None = None) -> OutgoingEmailQuerySet:
        """What an editor may queue once more: failed messages, and overdue ones."""
        return self.filter(
            Q(status=OutgoingEmail.Status.FAILED) | overdue_condition(now or timezone.now())
        )

    def about(self, *references: str) -> OutgoingEmailQuerySet:
        """Messages about these things (``reference``), e.g. to delete with them."""
        return self.filter(reference__in=references)

    def sent_before(self, moment: datetime) -> OutgoingEmailQuerySet:
        return self.filter(status=OutgoingEmail.Status.SENT, sent_at__lt=moment)


def overdue_condition(now: datetime) -> Q:
    cutoff = now - OVERDUE_AFTER
    return Q(status=OutgoingEmail.Status.QUEUED) & (
        Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
    )


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

    @staticmethod
    def max_attempts() -> int:
        """The first attempt and one after each of ``CMS_MAIL_RETRY_DELAYS``."""
        return len(settings.CMS_MAIL_RETRY_DELAYS) + 1

    def message_id(self) -> str:
        """The same ``Message-ID`` on every attempt, so that a message delivered twice (a
        worker that died after the server took it) can be recognised as one."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
        return f"<{self.created_at:%Y%m%d%H%M%S}.{self.pk}.outbox@{domain}>"

    def message(self) -> EmailMultiAlternatives:
        """The message as Django's mail API sends it: text, an HTML alternative, attachments."""
        message = EmailMultiAlternatives(
            self.subject,
            self.text_body,
            settings.DEFAULT_FROM_EMAIL,
            [self.to],
            # Sent by the site, not a person: no vacation replies back to the outbox.
            headers={"Message-ID": self.message_id(), "Auto-Submitted": "auto-generated"},
        )
        if self.html_body:
            message.attach_alternative(self.html_body, "text/html")
        for attachment in self.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        return message

    def due_for(self, attempt: int) -> bool:
        """Whether a task queued for attempt number ``attempt`` should make it now."""
        return self.status == self.Status.QUEUED and self.attempts == attempt - 1

    def begin_attempt(self, now: datetime) -> None:
        """Count an attempt about to be made; until ``SENDING_LEASE`` is over, it is in hand.

        Its error says it never finished until the attempt reports back, which is what
        editors should read if the worker dies meanwhile.
        """
        self.attempts += 1
        self.next_attempt_at = now + SENDING_LEASE
        self.last_error = (f"{UNFINISHED}attempt {self.attempts} began at "
                           f"{now.isoformat(timespec='seconds')} and did not report back: "
                           "the worker may have stopped while sending.")  # fmt: skip
        self.save(update_fields=["attempts", "next_attempt_at", "last_error"])

    def last_attempt_unfinished(self) -> bool:
        return self.last_error.startswith(UNFINISHED)

    def send(self) -> str:
        """Hand the message to the mail server; the error, or "" once the server has it.

        Talks to the mail server: never call it inside a transaction or from a request.
        """
        try:
            self.message().send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any backend's failure is kept and retried
            return f"{type(error).__name__}: {error}"[:2000]
        return ""

    def record_sent(self, now: datetime) -> None:
        self.status = self.Status.SENT
        self.sent_at = now
        self.next_attempt_at = None
        self.last_error = ""
        self.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
        logger.info("E-mail %s sent (attempt %s).", self.pk, self.attempts)

    def record_failure(self, error: str, now: datetime) -> datetime | None:
        """Keep the error; when to try again, or None when this was the last attempt."""
        self.last_error = error
        delays = settings.CMS_MAIL_RETRY_DELAYS
        if self.attempts <= len(delays):
            self.next_attempt_at = now + timedelta(seconds=delays[self.attempts - 1])
            self.save(update_fields=["last_error", "next_attempt_at"])
            logger.warning("E-mail %s not sent (attempt %s of %s): %s; trying again at %s.",
                           self.pk, self.attempts, self.max_attempts(), error,
                           self.next_attempt_at.isoformat(timespec="seconds"))  # fmt: skip
            return self.next_attempt_at
        self.status = self.Status.FAILED
        self.next_attempt_at = None
        self.save(update_fields=["last_error", "status", "next_attempt_at"])
        logger.error("E-mail %s could not be sent after %s attempts: %s",
                     self.pk, self.attempts, error)  # fmt: skip
        return None

    def can_send_again(self, now: datetime | None = None) -> bool:
        return type(self).objects.may_send_again(now).filter(pk=self.pk).exists()

    @classmethod
    def needs_attention(cls, user: models.Model) -> list:
        """For the dashboard: messages that could not be sent, and messages nobody sends."""

        if not user.has_perm("cms.view_outgoingemail"):
            return []
        now = timezone.now()
        counts = cls.objects.aggregate(
            failed=Count("pk", filter=Q(status=cls.Status.FAILED)),
            overdue=Count("pk", filter=overdue_condition(now)),
        )
        try:
            outbox = reverse("admin:cms_outgoingemail_changelist")
        except NoReverseMatch:  # no admin for the outbox: nowhere to send editors
            return []
        minutes = int(OVERDUE_AFTER.total_seconds() // 60)
        return [
            Attention(
                ngettext("%(count)d e-mail could not be sent",
                         "%(count)d e-mails could not be sent",
                         counts["failed"]) % {"count": counts["failed"]},
                counts["failed"],
                f"{outbox}?status__exact={cls.Status.FAILED}",
            ),
            Attention(
                ngettext("%(count)d e-mail has waited over %(minutes)d minutes to be sent",
                         "%(count)d e-mails have waited over %(minutes)d minutes to be sent",
                         counts["overdue"]) % {"count": counts["overdue"], "minutes": minutes},
                counts["overdue"],
                f"{outbox}?overdue=yes",  # cms.mail.admin.OverdueFilter
            ),
        ]  # fmt: skip
