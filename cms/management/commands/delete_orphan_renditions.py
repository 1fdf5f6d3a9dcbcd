"""Delete rendition files no rendition owns, and renditions stored at guessable addresses.

Renditions are a cache of resized images, made again on the next view of a page that
shows them, so deleting is always safe. Run after ``migrate`` (``make serve`` does), and
again at any time: a file is deleted only when no row points at it.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from cms.media.models import Rendition

# Before renditions had random folders they were stored under their image's id.
GUESSABLE = r"^renditions/[0-9]+/"


def stored_files(folder: str) -> list[str]:
    """Every file under ``folder`` in media storage (a local folder or a bucket)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{name}" for name in files]
    for name in folders:
        found += stored_files(f"{folder}/{name}")
    return found


class Command(BaseCommand):
    help = "Delete rendition files no rendition owns and renditions at guessable addresses."

    def handle(self, *args, **options) -> None:
        guessable, _ = Rendition.objects.filter(file__regex=GUESSABLE).delete()
        owned = set(Rendition.objects.values_list("file", flat=True))
        orphans = [name for name in stored_files("renditions") if name not in owned]
        for name in orphans:
            default_storage.delete(name)
        self.stdout.write(
            f"Deleted {guessable} renditions at guessable addresses and "
            f"{len(orphans)} rendition files no rendition owns."
        )
