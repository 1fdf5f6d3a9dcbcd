"""The worker's side of ``cms.mail``: make one attempt at delivering a stored message.

Three steps, so that no transaction stays open while the mail server is slow and no crash
loses a message:

1. In a short transaction, count the attempt and queue the next one ``SENDING_LEASE``
   later, in case this worker dies before step 3.
2. Talk to the mail server, outside any transaction.
3. In a short transaction, record what happened: sent (the queued next attempt is dropped),
   refused (it is moved to after the retry delay), or refused for the last time (failed;
   dropped too).

A worker that dies in step 2 after the server took the message makes it go out twice
(with the same ``Message-ID``): twice is better than never.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def locked(email_id: int) -> OutgoingEmail | None:
    return OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()


@task()
def deliver_email(email_id: int, attempt: int = 1) -> str:
    """Make attempt number ``attempt`` at sending a queued message, unless it is not due:
    sent, failed, deleted with what it was about, or already tried again by another task."""
    database = OutgoingEmail.objects.db
    # On SQLite take the write lock up front, as the worker does, rather than fail to
    # upgrade a read lock while a request writes.
    with exclusive_transaction(database):
        email = locked(email_id)
        if email is None or not email.due_for(attempt):
            return "nothing to do"
        if email.last_attempt_unfinished():
            logger.warning("E-mail %s: attempt %s never finished (the worker stopped?).",
                           email.pk, email.attempts)  # fmt: skip
        if attempt > email.max_attempts():  # the last attempt never finished
            email.record_failure(email.last_error or "No attempt left.", timezone.now())
            return str(email.status)
        email.begin_attempt(timezone.now())
        next_attempt = deliver_email.using(run_after=email.next_attempt_at).enqueue(
            email.pk, attempt + 1
        )

    error = email.send()

    with exclusive_transaction(database):
        email = locked(email_id)
        if email is None or not email.due_for(attempt + 1):
            return "changed while sending"  # deleted, or sent again by an editor meanwhile
        now = timezone.now()
        if not error:
            email.record_sent(now)
            reschedule(next_attempt, None)
            return str(email.status)
        retry_at = email.record_failure(error, now)
        reschedule(next_attempt, retry_at)
        return f"retrying at {retry_at.isoformat()}" if retry_at else str(email.status)


def reschedule(result: TaskResult, when: datetime | None) -> None:
    """Move a queued task to ``when``, or drop it (None), unless a worker has taken it."""
    waiting = DBTaskResult.objects.filter(pk=result.id, status=TaskResultStatus.READY)
    if when is None:
        waiting.delete()
    else:
        waiting.update(run_after=when)


def drop_queued_deliveries(email_ids: list[int]) -> int:
    """Drop the tasks waiting to deliver these messages (before queueing them afresh)."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=deliver_email.module_path
    )
    ids = set(email_ids)
    stale = [pk for pk, args in waiting.values_list("pk", "args_kwargs") if args["args"][0] in ids]
    return DBTaskResult.objects.filter(pk__in=stale).delete()[0]
