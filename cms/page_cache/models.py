"""What public pages are made of, and the content version that says when it last changed.

A model whose rows viewers see subclasses ``PublicContent``: its saves, deletions and
many-to-many changes (``cms.page_cache.signals``) and its QuerySets' bulk writes all end in
``content_changed``, the one call that tells the page cache. It also says when its rows
next change what viewers see by themselves (``next_visibility_change``): a page going live,
a screening starting, a photo's licence running out.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def content_changed(using: str | None = None) -> None:
    """Tell the page cache that content changed: replace the version in this transaction.

    Written with the change itself, the new version commits or rolls back with it, and
    needs no cache server: a process that cannot reach Redis still makes every other
    process's cached pages misses.
    """
    ContentVersion.move_on(using)


class PublicContentQuerySet(models.QuerySet):
    """Bulk writes, which send no signal, change public pages as saves do."""

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows:
            content_changed(self.db)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed(self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            content_changed(self.db)
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
    """One row whose token is replaced by every change to content, in that change's transaction.

    The page cache keeps each page with the token it was built under and serves it only
    while the token is unchanged (``page_cache``). Random rather than counted, so a restored
    or rolled-back database can never bring back a number that cached pages were built under.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    ROW = 1

    class Meta:
        verbose_name = _("content version")

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls, using: str | None = None) -> str:
        """The token now committed (made if the row is missing, as after a database flush).

        Read on every page-cache hit, so written as one plain SELECT: the ORM's query
        building would cost more than the rest of a cache hit.
        """
        connection = connections[using or router.db_for_read(cls)]
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [cls.ROW])  # noqa: S608
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        rows = cls.objects.using(using)
        return rows.get_or_create(pk=cls.ROW, defaults={"token": secrets.token_hex(16)})[0].token

    @classmethod
    def move_on(cls, using: str | None = None) -> str:
        """Replace the token; return the new one."""
        token = secrets.token_hex(16)
        rows = cls.objects.using(using)
        if not rows.filter(pk=cls.ROW).update(token=token, changed_at=timezone.now()):
            rows.update_or_create(pk=cls.ROW, defaults={"token": token})
        return token
