"""The worker's side of renditions: make an image's resized copies after it is saved.

No viewer waits for Pillow. An upload, a replaced file or a moved focal point queues
``make_renditions`` once its transaction commits (``queue_renditions``); until the worker
(``manage.py db_worker``) has made them, pages show the stored original with its size
(``cms.media.pictures``). Two steps, so that no transaction stays open while Pillow works:

1. Encode and store the missing files, outside any transaction.
2. In one short transaction, record them if the image is still the one rendered, and tell
   the page cache, so that pages showing the original are built again with the renditions.

Renditions go after everything else the worker has queued (``RENDITION_PRIORITY``): a batch
of photos takes minutes of Pillow, and a host's confirmation or a cache purge queued
behind it must not wait for it.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task
from django_tasks_db.utils import exclusive_transaction

from cms.page_cache.dependencies import mark_changed

from .models import Image

logger = logging.getLogger(__name__)

# Below the default priority (0) of every other task: e-mail and HTTP cache purges go first.
RENDITION_PRIORITY = -10


def queue_renditions(image: Image) -> None:
    """Queue the image's renditions once the caller's transaction commits (now without one).

    After the commit, so the worker finds the row and the file this transaction stored.
    """
    database = image._state.db or Image.objects.db
    transaction.on_commit(lambda: make_renditions.enqueue(image.pk), using=database)


@task(priority=RENDITION_PRIORITY)
def make_renditions(image_id: int) -> str:
    """Make every rendition pages and the library show that the image lacks.

    An image whose file cannot be read (gone, corrupt, too many pixels) keeps its original
    on pages; the failure is logged for the operator, not retried: the same file would fail
    the same way until an editor replaces it, which queues this task again.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return "no image"
    try:
        made = image.render_missing_renditions()
    except (OSError, SyntaxError, ValueError) as exc:  # what Pillow raises for a bad file
        logger.warning("Image %s: renditions could not be made: %s", image_id, exc,
                       exc_info=True)  # fmt: skip
        return "unreadable"
    if not made:
        return "nothing to do"
    # On SQLite take the write lock up front, as the worker does, rather than fail to
    # upgrade a read lock while a request writes.
    with exclusive_transaction(Image.objects.db):
        kept = image.keep_renditions(made)
        if kept:
            mark_changed(image, using=Image.objects.db)  # pages keep the original no longer
    return f"{len(kept)} made" if kept else "image changed meanwhile"
