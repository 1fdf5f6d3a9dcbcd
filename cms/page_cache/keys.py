"""The keys that name what a page shows, and the record of them kept while a page is built.

An object's key (``interviews.interview:12``) changes when that row is edited; a model's
list key (``interviews.interview:*``) when rows join, leave or reorder its lists (a new,
deleted, published or rescheduled row). A page built for the cache records every key it
touched: each public object loaded (``record_object``, from ``post_init``), each list read
(``record_list``, from the QuerySet), and what a view or template names (``shows``). The
same keys name the page to HTTP caches (``xkey``/``Surrogate-Key``) and to their purges.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_recording: ContextVar[set[str] | None] = ContextVar("page_cache_keys", default=None)


def object_key(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def list_key(model: type[models.Model] | models.Model) -> str:
    return f"{model._meta.label_lower}:*"


def keys_of(instance: models.Model) -> tuple[str, str]:
    """An object's own key and its model's list key."""
    return object_key(instance), list_key(instance)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the keys of what is loaded or named inside the block (nested blocks add up)."""
    outer = _recording.get()
    keys: set[str] = set()
    token = _recording.set(keys)
    try:
        yield keys
    finally:
        _recording.reset(token)
        if outer is not None:
            outer |= keys


def is_recording() -> bool:
    return _recording.get() is not None


def record(*keys: str) -> None:
    found = _recording.get()
    if found is not None:
        found.update(keys)


def record_object(instance: models.Model) -> None:
    """A public row was loaded while a page was being built: the page shows it."""
    found = _recording.get()
    if found is not None and instance.pk is not None:
        found.update(keys_of(instance))


def record_list(model: type[models.Model]) -> None:
    """A list of ``model``'s rows was read (perhaps empty): the page changes with its lists."""
    found = _recording.get()
    if found is not None:
        found.add(list_key(model))


def shows(*things: models.Model | type[models.Model]) -> None:
    """Name what a page shows that it did not load: a model's list (even empty), an object."""
    for thing in things:
        if isinstance(thing, type):
            record_list(thing)
        else:
            record_object(thing)
