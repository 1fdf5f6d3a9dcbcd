"""Keeping the index in step with the content: changes are queued and indexed on commit.

Queuing by (kind, id) and indexing once the transaction commits means an import of an
interview with thirteen pairs indexes it once, fixtures index rows only after all their
related rows exist, and a rolled-back save never reaches the index.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from django.db import transaction

from . import documents

_queue = threading.local()


def schedule(kind: str, *ids: int | None) -> None:
    """Re-index these objects of ``kind`` when the current transaction commits."""
    pending = _queue.__dict__.setdefault("items", set())
    pending.update((kind, pk) for pk in ids if pk is not None)
    transaction.on_commit(flush)


def flush() -> None:
    pending, _queue.items = getattr(_queue, "items", set()), set()
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in pending:
        by_kind[kind].add(pk)
    for kind, ids in by_kind.items():
        documents.index(kind, ids)
