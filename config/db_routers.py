"""Reads from a PostgreSQL read replica, writes to the primary (``DATABASE_REPLICA_URL``).

Wired in settings only when ``DATABASE_REPLICA_URL`` is set; the alias "replica" then names
the replica. The rules, simple enough to hold in one's head:

- every write goes to "default" (the primary);
- a read goes to "replica", except inside a transaction on "default" (it must see what the
  transaction wrote and hold its locks) and for the rest of a request that has written (in
  the worker, from its first write on): an editor who saves sees the save;
- migrations run on "default" only; relations between the two aliases are allowed (they are
  one database).

A replica lags the primary by a little: an anonymous page may show a save a moment late.
The HTTP cache is purged once more a few seconds after a save while a replica is
configured (``cms.page_cache.http_purge``), so a page refetched from a lagging replica is
not kept.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver

REPLICA = "replica"

# Whether this request (or thread) has written; reset when a request starts.
_wrote: ContextVar[bool] = ContextVar("wrote_to_primary", default=False)


@receiver(request_started)
def forget_writes(**kwargs) -> None:
    _wrote.set(False)


class ReplicaRouter:
    """Reads to "replica", writes and anything after a write or inside a transaction to
    "default"."""

    def db_for_read(self, model, **hints) -> str:
        if _wrote.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
