"""The outbox in the admin and on the dashboard, as an editor (Editors group, not superuser)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.attention import Attention
from cms.mail.models import OutgoingEmail
from cms.publishing.dashboard import needing_attention
from tests.cms.mail.conftest import queue_notice, waiting_tasks

pytestmark = pytest.mark.django_db

OUTBOX = "admin:cms_outgoingemail_changelist"


def failed(**fields) -> OutgoingEmail:
    email = queue_notice(**fields)
    error = "SMTPServerDisconnected: Connection unexpectedly closed"
    OutgoingEmail.objects.filter(pk=email.pk).update(status="failed", attempts=6, last_error=error)
    return OutgoingEmail.objects.get(pk=email.pk)


def overdue() -> OutgoingEmail:
    email = queue_notice()
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(hours=1))
    return email


def sent() -> OutgoingEmail:
    email = queue_notice()
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(status="sent", attempts=1, sent_at=now)
    return OutgoingEmail.objects.get(pk=email.pk)


def state(email: OutgoingEmail) -> tuple:
    email = OutgoingEmail.objects.get(pk=email.pk)
    return (email.to, email.subject, email.text_body, email.status, email.attempts)


def test_the_outbox_lists_what_went_out_and_what_failed(editor_client, django_assert_num_queries):
    failed(to="failed@example.org")
    sent()
    url = reverse(OUTBOX)
    # Session, user, permissions (user's, groups'), count, count, rows, the filter's choices.
    with django_assert_num_queries(7):
        page = editor_client.get(url).content.decode()
    for heading in ["To", "Subject", "Status", "Attempts", "Last error", "Queued", "Sent"]:
        assert f">{heading}</a>" in page or f">{heading}</span>" in page, heading
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert page.count('class="field-to"') == 2 and "failed@example.org" in page

    only_failed = editor_client.get(f"{url}?status__exact=failed").content.decode()
    assert "failed@example.org" in only_failed and "host@example.org" not in only_failed
    assert "Add outgoing e-mail" not in page


def test_nobody_writes_or_edits_a_message(editor_client, admin_client):
    email = failed()
    before = state(email)
    for client in [editor_client, admin_client]:
        assert client.get(reverse("admin:cms_outgoingemail_add")).status_code == 403
        change = reverse("admin:cms_outgoingemail_change", args=[email.pk])
        page = client.get(change).content.decode()
        assert "<textarea" not in page and 'name="subject"' not in page
        response = client.post(change, {"to": "x@example.org", "subject": "Changed",
                                         "text_body": "Changed", "status": "sent"})  # fmt: skip
        assert response.status_code == 403
    assert state(email) == before


def test_a_message_is_shown_as_text_never_as_markup(editor_client):
    email = queue_notice()
    OutgoingEmail.objects.filter(pk=email.pk).update(html_body="<p><script>alert(1)</script></p>")
    page = editor_client.get(reverse("admin:cms_outgoingemail_change", args=[email.pk]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()
    assert "<script>alert(1)" not in page.content.decode()


def test_send_again_is_offered_for_failed_and_overdue_messages_only(editor_client):
    pages = {
        kind: editor_client.get(
            reverse("admin:cms_outgoingemail_change", args=[make().pk])
        ).content.decode()
        for kind, make in [("failed", failed), ("overdue", overdue), ("sent", sent)]
    }
    assert "The mail server refused it 6 times." in pages["failed"]
    assert "is the background worker (manage.py db_worker) running?" in pages["overdue"]
    assert 'value="Send again"' in pages["failed"] and 'value="Send again"' in pages["overdue"]
    assert 'value="Send again"' not in pages["sent"]


def test_sending_again_leaves_a_sent_or_waiting_message_as_it_was(editor_client):
    waiting, done = queue_notice(), sent()
    before = [state(waiting), state(done)]
    tasks = len(waiting_tasks())
    response = editor_client.post(
        reverse(OUTBOX), {"action": "send_again", "_selected_action": [waiting.pk, done.pk]},
        follow=True,
    )  # fmt: skip
    assert "2 messages were left as they were" in response.content.decode()
    assert [state(waiting), state(done)] == before
    assert len(waiting_tasks()) == tasks


def test_staff_without_the_outbox_permission_see_and_send_nothing(db):
    user = get_user_model().objects.create_user("intern", password="x" * 12, is_staff=True)
    client = Client()
    client.force_login(user)
    email = failed()
    assert client.get(reverse(OUTBOX)).status_code == 403
    send_again = {"action": "send_again", "_selected_action": [email.pk]}
    response = client.post(reverse(OUTBOX), send_again)
    assert response.status_code == 403 and state(email)[3] == "failed"
    assert needing_attention(user) == []
    assert "could not be sent" not in client.get(reverse("admin:index")).content.decode()


def test_editors_may_delete_a_message(editor_client):
    email = failed()
    delete = reverse("admin:cms_outgoingemail_delete", args=[email.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not OutgoingEmail.objects.filter(pk=email.pk).exists()


def test_the_dashboard_counts_failed_and_overdue_mail(editor, editor_client):
    outbox = reverse(OUTBOX)
    assert [a for a in needing_attention(editor) if "e-mail" in a.text] == []
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Needs attention" in page and "Nothing is waiting for an editor." in page

    failed(), failed(), overdue(), queue_notice(), sent()
    mail_items = [a for a in needing_attention(editor) if "e-mail" in a.text]
    assert mail_items == [
        Attention("2 e-mails could not be sent", 2, f"{outbox}?status__exact=failed"),
        Attention("1 e-mail has waited over 15 minutes to be sent", 1, f"{outbox}?overdue=yes"),
    ]
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert page.index("Needs attention") < page.index("My drafts"), "at the top"
    assert f'<a href="{outbox}?status__exact=failed">2 e-mails could not be sent</a>' in page
    waiting_too_long = editor_client.get(f"{outbox}?overdue=yes").content.decode()
    assert waiting_too_long.count('class="field-to"') == 1


def test_send_again_from_the_message_page_sends_it(editor_client, run_queued_tasks):
    email = failed()
    change = editor_client.get(reverse("admin:cms_outgoingemail_change", args=[email.pk]))
    form_action = f'action="{reverse(OUTBOX)}"'
    assert form_action in change.content.decode()
    editor_client.post(reverse(OUTBOX), {"action": "send_again", "_selected_action": email.pk})
    run_queued_tasks()
    assert state(email)[3:] == ("sent", 1) and len(mail.outbox) == 1
