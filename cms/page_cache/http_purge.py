"""Tell the HTTP caches in front (Varnish with xkey) which pages a change made stale.

Public pages name what they show in an ``xkey`` header (``interviews.interview:12``, and
``interviews.interview:*`` for lists of a model). After a change commits, the page cache
calls ``purge_http_caches(keys)``: each URL in ``CMS_HTTP_CACHE_PURGE_URLS`` gets
``PURGE /`` with ``xkey-purge: <keys>``. A cache that does not answer is tried again by the
background worker after each of ``CMS_HTTP_CACHE_PURGE_RETRY_DELAYS``; a page is kept at
most ``CMS_PAGE_CACHE_SECONDS`` anyway, so one that stays down is stale no longer than that.
Nothing here raises: a save has committed, and a cache's trouble must not turn it into an
error page.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# While a read replica serves reads, a page refetched right after a purge may be built from
# rows the replica has not caught up with: purge once more after this many seconds.
REPLICA_PURGE_AGAIN_SECONDS = 5


def purge_http_caches(keys: Iterable[str]) -> None:
    """Purge ``keys`` from every configured HTTP cache; queue a retry for any that fails."""
    keys = sorted(set(keys))
    urls = list(settings.CMS_HTTP_CACHE_PURGE_URLS)
    if not keys or not urls:
        return
    replica = "replica" in settings.DATABASES
    for url in urls:
        if not send_purge(url, keys):
            queue_retry(url, keys, attempt=1)
        elif replica:
            queue_purge(url, keys, attempt=0, after=REPLICA_PURGE_AGAIN_SECONDS)


def send_purge(url: str, keys: list[str]) -> bool:
    """One ``PURGE`` of ``keys`` at ``url``; whether the cache said 2xx (a warning if not)."""
    request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
    try:
        with urllib.request.urlopen(request, timeout=settings.CMS_HTTP_CACHE_PURGE_TIMEOUT) as r:
            r.read()
            return 200 <= r.status < 300
    except (urllib.error.URLError, OSError, ValueError) as error:
        logger.warning("HTTP cache purge at %s failed (%s) for %s keys.", url, error, len(keys))
        return False


def queue_retry(url: str, keys: list[str], attempt: int) -> None:
    """Queue attempt ``attempt + 1`` after the attempt-th delay, or give up (an error)."""
    delays = settings.CMS_HTTP_CACHE_PURGE_RETRY_DELAYS
    if attempt > len(delays):
        logger.error("HTTP cache purge at %s failed %s times; giving up.", url, attempt)
        return
    queue_purge(url, keys, attempt=attempt, after=delays[attempt - 1])


def queue_purge(url: str, keys: list[str], *, attempt: int, after: float) -> None:
    try:
        run_after = timezone.now() + timedelta(seconds=after)
        retry_purge.using(run_after=run_after).enqueue(url, keys, attempt)
    except Exception:  # noqa: BLE001 - the queue's database may be what is down
        logger.exception("Could not queue an HTTP cache purge at %s.", url)


@task()
def retry_purge(url: str, keys: list[str], attempt: int) -> str:
    """The worker's later purge: attempt 0 is the replica's second purge, 1... retries."""
    if send_purge(url, keys):
        return "purged"
    queue_retry(url, keys, attempt=attempt + 1 if attempt else 1)
    return "failed"
