"""What code outside the page cache calls: name what a page shows, say what changed.

Most of it is automatic (``keys``, ``signals``): this is for what is not a save of a public
row, such as a picture's renditions becoming ready, and for a page that shows a list it did
not read through a public model's QuerySet.
"""

from __future__ import annotations

from django.db import models

from .keys import keys_of, list_key, object_key, shows
from .models import content_changed

__all__ = ["mark_changed", "object_key", "list_key", "shows"]


def mark_changed(*things: models.Model | type[models.Model], using: str | None = None) -> None:
    """Empty the pages showing ``things``: objects (with their lists) or models (their lists).

    In the caller's transaction: committed with it, purged from HTTP caches after it.
    """
    keys: list[str] = []
    for thing in things:
        keys += [list_key(thing)] if isinstance(thing, type) else keys_of(thing)
    if keys:
        content_changed(keys, using)
