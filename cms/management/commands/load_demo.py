"""Load the demo content: the reference interview, its film, screenings, photos and news."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "Copy the demo photos into MEDIA_ROOT and load fixtures/demo.json. "
        "Safe to run again: records are matched by natural key and updated, never duplicated."
    )
    fixture = "demo"
    media_source = Path(settings.BASE_DIR) / "fixtures" / "media"

    def handle(self, *args, **options) -> None:
        copied = self.copy_media()
        call_command("loaddata", self.fixture, verbosity=options["verbosity"])
        # A first version in each page's history, so editors can compare and restore.
        call_command("createinitialrevisions", comment="Demo content loaded.", verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({copied} photo(s) copied)."))

    def copy_media(self) -> int:
        """Copy photos that are not yet in MEDIA_ROOT; never overwrite an existing file."""
        copied = 0
        media_root = Path(settings.MEDIA_ROOT)
        for source in sorted(self.media_source.rglob("*")):
            target = media_root / source.relative_to(self.media_source)
            if source.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                copied += 1
        return copied
