"""The outbox's tests: messages from templates kept beside them, a mail server that is not
there (a closed loopback port) or a real one (``smtp_server``), and the queue's rows."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.mail.models import OutgoingEmail
from cms.mail.sending import send_later
from cms.mail.tasks import deliver_email
from tests.services import free_port

TEMPLATES = Path(__file__).resolve().parent / "templates"
CONTEXT = {"name": "Ada Okafor", "film": "Rivers & Roads", "link": "https://example.org/r/abc"}
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
INVITE = {"filename": "screening.ics", "content": ICS, "mimetype": "text/calendar"}


@pytest.fixture(autouse=True)
def mail_templates(settings):
    """The test messages' templates (tests/cms/mail/templates/test_mail/)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [TEMPLATES]
    settings.TEMPLATES = templates


@pytest.fixture
def dead_mail_server(settings):
    """SMTP to a loopback port nothing listens on: every attempt is refused at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = False
    return settings


def queue_notice(to: str = "host@example.org", **options) -> OutgoingEmail:
    return send_later(to, "test_mail/notice", CONTEXT, **options)


def waiting_tasks(email: OutgoingEmail | None = None) -> list[DBTaskResult]:
    """Delivery tasks not yet run (for ``email`` only, when given), soonest first."""
    tasks = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=deliver_email.module_path
    ).order_by("run_after")
    return [t for t in tasks if email is None or t.args_kwargs["args"][0] == email.pk]


def make_waiting_tasks_due() -> int:
    """What the clock would do: tasks deferred to later become due now."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
