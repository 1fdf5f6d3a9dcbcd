"""What public pages are made of, and the content version that says when it last changed.

A model whose rows viewers see subclasses ``PublicContent``: its saves, deletions and
many-to-many changes (``cms.page_cache.signals``) and its QuerySets' bulk writes all end in
``content_changed``, the one call that tells the page cache. It also says when its rows
next change what viewers see by themselves (``next_visibility_change``): a page going live,
a screening starting, a photo's licence running out.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .keys import list_key, record_list

# The token of ``*`` a kept value on this page was checked against, if any: a value kept
# under the same token is current with no query of its own (``kept``). The page cache sets
# it to None around each request, and a change made here does too.
version_seen: ContextVar[str | None] = ContextVar("version_seen", default=None)


def content_changed(keys: Iterable[str] | None = None, using: str | None = None) -> None:
    """Tell the page cache that what ``keys`` name changed: replace their tokens now.

    Written with the change itself, the new tokens commit or roll back with it, and need no
    cache server: a process that cannot reach Redis still makes every other process's cached
    pages showing these keys misses. With no keys, everything changed (a bulk load): every
    public model's lists move, and every page shows at least one of them. HTTP caches in front
    (``http_purge``) are told after the commit.
    """
    if keys is None:
        from django.apps import apps

        keys = [list_key(model) for model in apps.get_models() if issubclass(model, PublicContent)]
    keys = set(keys)
    ContentVersion.move_on(keys, using)
    purge_after_commit(keys, using)


_PENDING_PURGES = "_page_cache_pending_purges"


def purge_after_commit(keys: Iterable[str], using: str | None = None) -> None:
    """Purge ``keys`` from the HTTP caches once this transaction commits, one purge per commit."""
    if not getattr(settings, "CMS_HTTP_CACHE_PURGE_URLS", ()):
        return
    alias = using or router.db_for_write(ContentVersion)
    connection = connections[alias]
    pending: set[str] = connection.__dict__.setdefault(_PENDING_PURGES, set())
    pending.update(keys)

    def purge() -> None:
        from .http_purge import purge_http_caches

        keys = connection.__dict__.pop(_PENDING_PURGES, set())
        if keys:
            purge_http_caches(sorted(keys))

    transaction.on_commit(purge, using=alias)


class PublicContentQuerySet(models.QuerySet):
    """Lists the page cache follows: reading one is recorded, bulk writes change them."""

    def _fetch_all(self) -> None:
        record_list(self.model)
        super()._fetch_all()

    def count(self) -> int:
        record_list(self.model)
        return super().count()

    def exists(self) -> bool:
        record_list(self.model)
        return super().exists()

    def aggregate(self, *args, **kwargs) -> dict:
        record_list(self.model)
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows:
            content_changed([list_key(self.model)], self.db)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed([list_key(self.model)], self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            content_changed([list_key(self.model)], self.db)
        return rows

    bulk_update.alters_data = True


class PublicContentManager(models.Manager.from_queryset(PublicContentQuerySet)):
    pass


class PublicContent(models.Model):
    """A model whose rows public pages show; the page cache follows every change to it."""

    objects = PublicContentManager()

    class Meta:
        abstract = True

    @classmethod
    def next_visibility_change(cls, after: datetime) -> datetime | None:
        """The first moment after ``after`` when rows change what viewers see unaided.

        None for content that changes only when it is edited; scheduled content says when.
        """
        return None


class ContentVersion(models.Model):
    """The version of each thing pages show, as a random token replaced by every change to it.

    One row per *key*: an object (``interviews.interview:12``), a model's lists
    (``interviews.interview:*``, moved when rows join, leave or reorder them), and ``*``,
    moved by every change at all. A cached page keeps the tokens of the keys it showed and is
    served only while they are unchanged (``page_cache``); the tokens are replaced in the
    transaction of the change itself, so the proof of change lives where the change lives.
    Random rather than counted, so a restored or rolled-back database can never bring back
    a token that cached pages were built under. A key with no row has never changed.
    """

    key = models.CharField(max_length=200, unique=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    EVERYTHING = "*"

    class Meta:
        verbose_name = _("content version")

    def __str__(self) -> str:
        return f"{self.key} {self.token}"

    @classmethod
    def tokens(cls, keys: Iterable[str], using: str | None = None) -> dict[str, str]:
        """The tokens now committed for ``keys`` ("" for a key that never changed), one query.

        Read on every page-cache hit, so written as one plain SELECT: the ORM's query
        building would cost more than the rest of a cache hit.
        """
        keys = sorted(set(keys))
        connection = connections[using or router.db_for_write(cls)]  # never a lagging replica
        table = connection.ops.quote_name(cls._meta.db_table)
        key = connection.ops.quote_name("key")
        if connection.vendor == "postgresql":
            # One array parameter: psycopg parses a statement of more than 50 parameters
            # afresh at every execution (a page of many parts names a hundred keys).
            sql, params = f"SELECT {key}, token FROM {table} WHERE {key} = ANY(%s)", [keys]  # noqa: S608
        else:
            marks = ", ".join(["%s"] * len(keys))
            sql, params = f"SELECT {key}, token FROM {table} WHERE {key} IN ({marks})", keys  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = dict(cursor.fetchall())
        return {key: found.get(key, "") for key in keys}

    @classmethod
    def current(cls, using: str | None = None) -> str:
        """The token of ``*``, which every change replaces."""
        return cls.tokens([cls.EVERYTHING], using)[cls.EVERYTHING]

    @classmethod
    def move_on(cls, keys: Iterable[str] = (), using: str | None = None) -> str:
        """Replace the tokens of ``keys`` and of ``*`` in one statement; return ``*``'s."""
        version_seen.set(None)  # what this thread read of ``*`` is no longer the latest
        now = timezone.now()
        token = secrets.token_hex(16)
        rows = [cls(key=cls.EVERYTHING, token=token, changed_at=now)]
        rows += [cls(key=key, token=secrets.token_hex(16), changed_at=now) for key in set(keys)]
        cls.objects.using(using).bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["token", "changed_at"],
        )
        return token
