"""The outbox end to end: a request stores a message and its task, the real worker
(``db_worker --batch``) sends it, a dead mail server means retries on the delays set, then
"failed" on the dashboard, and an editor's "Send again" sends it."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.mail.models import SENDING_LEASE, OutgoingEmail
from cms.mail.sending import send_again
from cms.mail.tasks import deliver_email
from cms.media.tasks import make_renditions
from tests.cms.mail.conftest import (
    CONTEXT,
    ICS,
    INVITE,
    make_waiting_tasks_due,
    queue_notice,
    waiting_tasks,
)
from tests.cms.mail.smtp_server import smtp_server
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def rows() -> tuple[int, int]:
    return OutgoingEmail.objects.count(), DBTaskResult.objects.count()


def test_a_message_and_its_delivery_are_kept_or_lost_with_the_callers_transaction():
    with transaction.atomic():
        queue_notice()
        assert rows() == (1, 1)
        transaction.set_rollback(True)  # the form's save failed after the message was made
    assert rows() == (0, 0)

    with transaction.atomic():
        email = queue_notice(reference="outreach.hostrequest:7")
    assert rows() == (1, 1)
    [task] = waiting_tasks(email)
    assert task.args_kwargs == {"args": [email.pk, 1], "kwargs": {}}
    assert (email.status, email.attempts) == ("queued", 0)
    assert email.reference == "outreach.hostrequest:7"


def test_queueing_never_talks_to_the_mail_server(dead_mail_server):
    """The page that queues a message answers at once, whatever the mail server does."""
    started = time.monotonic()
    email = queue_notice()
    assert time.monotonic() - started < 0.5
    assert mail.outbox == [] and email.attempts == 0 and email.last_error == ""


def test_a_malformed_attachment_is_refused_in_the_request_and_nothing_is_stored():
    for attachment in [{"filename": "a.ics"}, INVITE | {"content": b"bytes"}, INVITE | {"x": "1"}]:
        with pytest.raises(ValueError, match="attachment"):
            queue_notice(attachments=[attachment])
    assert rows() == (0, 0)


def test_the_worker_sends_text_html_and_attachments(run_queued_tasks, settings):
    email = queue_notice(attachments=[INVITE])
    run_queued_tasks()
    [sent] = mail.outbox
    assert sent.subject == "Your request for Rivers & Roads"
    assert sent.to == ["host@example.org"] and sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Hello Ada Okafor," in sent.body and CONTEXT["link"] in sent.body
    [(html, mimetype)] = sent.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://example.org/r/abc">See it here</a>' in html
    assert "<strong>Rivers &amp; Roads</strong>" in html and "<!doctype html>" in html
    assert sent.attachments == [("screening.ics", ICS, "text/calendar")]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, "")
    assert sent.extra_headers["Message-ID"] == email.message_id()
    assert email.sent_at is not None and email.next_attempt_at is None
    assert waiting_tasks() == []  # the attempt kept in reserve is dropped once it is sent

    run_queued_tasks()
    assert len(mail.outbox) == 1, "a sent message is never sent twice"


def test_a_message_queued_behind_a_batch_of_photos_goes_out_before_their_renditions(
    run_queued_tasks,
):
    """A batch of photos keeps the worker in Pillow for minutes; a host's confirmation
    queued after them must not wait for that (``RENDITION_PRIORITY``)."""
    for photo in ImageFactory.create_batch(3):
        make_renditions.enqueue(photo.pk)
    queue_notice()
    run_queued_tasks(max_tasks=1)
    assert [message.to for message in mail.outbox] == [["host@example.org"]]
    renditions = DBTaskResult.objects.ready().filter(task_path=make_renditions.module_path)
    assert renditions.count() == 3  # still waiting, untouched


def test_through_a_real_smtp_server(run_queued_tasks, settings):
    """Django's SMTP backend against a listening server: one multipart message arrives."""
    with smtp_server() as mailbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", mailbox.port
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
        email = queue_notice(attachments=[INVITE])
        run_queued_tasks()
    [received] = mailbox.received
    assert received.recipients == ["host@example.org"]
    assert received.sender == settings.DEFAULT_FROM_EMAIL
    message = received.message()
    assert message["Subject"] == "Your request for Rivers & Roads"
    assert message["Message-ID"] == OutgoingEmail.objects.get().message_id()
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(preferencelist=["plain"]).get_content()
    html = message.get_body(preferencelist=["html"]).get_content()
    assert "Hello Ada Okafor," in text and "<strong>Rivers &amp; Roads</strong>" in html
    [invite] = list(message.iter_attachments())
    assert invite.get_filename() == "screening.ics" and invite.get_content_type() == "text/calendar"
    email.refresh_from_db()
    assert email.status == "sent"


def test_a_dead_mail_server_leaves_the_message_queued_with_a_retry_later(
    dead_mail_server, run_queued_tasks, caplog
):
    email = queue_notice()
    before = timezone.now()
    with caplog.at_level(logging.INFO, logger="cms.mail"):
        run_queued_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)
    assert email.last_error.startswith("ConnectionRefusedError")
    first_delay = timedelta(seconds=dead_mail_server.CMS_MAIL_RETRY_DELAYS[0])
    [retry] = waiting_tasks(email)
    assert retry.args_kwargs["args"] == [email.pk, 2]
    assert before + first_delay <= retry.run_after <= timezone.now() + first_delay
    assert retry.run_after == email.next_attempt_at
    assert [r.levelname for r in caplog.records if r.name.startswith("cms.mail")] == ["WARNING"]
    assert f"E-mail {email.pk} not sent (attempt 1 of 6)" in caplog.text
    assert "host@example.org" not in caplog.text, "no addresses in the log"

    run_queued_tasks()  # the retry is not due yet: the worker leaves it
    email.refresh_from_db()
    assert email.attempts == 1 and len(waiting_tasks(email)) == 1


def test_after_every_retry_it_fails_shows_on_the_dashboard_and_an_editor_sends_it_again(
    dead_mail_server, run_queued_tasks, editor_client, caplog
):
    email = queue_notice()
    delays = dead_mail_server.CMS_MAIL_RETRY_DELAYS
    for attempt in range(1, len(delays) + 2):
        make_waiting_tasks_due()
        run_queued_tasks()
        email.refresh_from_db()
        assert email.attempts == attempt
        assert len(waiting_tasks(email)) == (1 if attempt <= len(delays) else 0)
    assert email.status == "failed" and email.next_attempt_at is None
    assert email.last_error.startswith("ConnectionRefusedError")
    assert f"E-mail {email.pk} could not be sent after 6 attempts" in caplog.text
    assert mail.outbox == []

    dashboard = editor_client.get(reverse("admin:index")).content.decode()
    outbox = reverse("admin:cms_outgoingemail_changelist")
    assert f'<a href="{outbox}?status__exact=failed">1 e-mail could not be sent</a>' in dashboard

    page = editor_client.get(reverse("admin:cms_outgoingemail_change", args=[email.pk]))
    assert 'value="Send again"' in page.content.decode()

    dead_mail_server.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = editor_client.post(
        outbox, {"action": "send_again", "_selected_action": [email.pk]}, follow=True
    )
    assert "1 message is queued to be sent again." in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 0)
    assert LogEntry.objects.get(object_id=str(email.pk)).change_message == "Sent again."
    run_queued_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == ["Your request for Rivers & Roads"]
    dashboard = editor_client.get(reverse("admin:index")).content.decode()
    assert "could not be sent" not in dashboard and "Nothing is waiting for an editor." in dashboard


def test_a_worker_that_dies_while_sending_loses_nothing(run_queued_tasks, settings):
    """The attempt was counted and the next queued before the worker talked to the server.

    (tests/cms/mail/test_worker_process.py kills a real worker process; here the worker
    is stopped by SystemExit from the mail backend, which leaves the same rows.)
    """
    email = queue_notice()
    settings.EMAIL_BACKEND = "tests.cms.mail.backends.WorkerStops"
    run_queued_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)
    assert email.last_error.startswith("Unfinished: attempt 1 began at")
    [next_attempt] = waiting_tasks(email)
    assert next_attempt.args_kwargs["args"] == [email.pk, 2]
    assert next_attempt.run_after == email.next_attempt_at
    assert email.next_attempt_at - timezone.now() > SENDING_LEASE - timedelta(minutes=1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_waiting_tasks_due()
    run_queued_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1 and waiting_tasks() == []


def test_a_worker_dying_on_every_attempt_ends_failed_not_forever(run_queued_tasks, settings):
    email = queue_notice()
    settings.EMAIL_BACKEND = "tests.cms.mail.backends.WorkerStops"
    for _ in range(OutgoingEmail.max_attempts() + 1):
        make_waiting_tasks_due()
        run_queued_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", OutgoingEmail.max_attempts())
    assert "did not report back" in email.last_error and waiting_tasks() == []


def test_a_message_deleted_before_its_turn_is_not_sent(run_queued_tasks):
    """Retention deletes mail about a person, whatever its state."""
    queue_notice(reference="outreach.rsvp:1")
    OutgoingEmail.objects.about("outreach.rsvp:1").delete()
    run_queued_tasks()
    assert mail.outbox == [] and OutgoingEmail.objects.count() == 0


def test_a_task_left_from_an_earlier_attempt_does_nothing(run_queued_tasks):
    email = queue_notice()
    run_queued_tasks()
    deliver_email.enqueue(email.pk, 1)  # e.g. queued twice by mistake
    run_queued_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == ("sent", 1, 1)


def test_only_failed_or_overdue_messages_can_be_sent_again(run_queued_tasks):
    waiting, overdue, sent = queue_notice(), queue_notice(), queue_notice()
    OutgoingEmail.objects.filter(pk=sent.pk).update(status="sent", sent_at=timezone.now())
    OutgoingEmail.objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert send_again([waiting, overdue, sent]) == [overdue.pk]
    # The overdue message's old task is dropped and one for its first attempt is queued.
    assert [t.args_kwargs["args"] for t in waiting_tasks(overdue)] == [[overdue.pk, 1]]
    assert len(waiting_tasks(overdue)) == 1 and len(waiting_tasks(waiting)) == 1
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["host@example.org"] * 2
    assert OutgoingEmail.objects.get(pk=overdue.pk).attempts == 1
