"""Index every searchable page again from scratch, of every kind the apps declare.

Saves keep the index current by themselves; this is for content written around the ORM's
signals (bulk inserts, raw SQL, a restored database dump).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from search import registry
from search.documents import rebuild, tidy_up_index


class Command(BaseCommand):
    help = "Rebuild the site search index from the content."

    def handle(self, *args, **options) -> None:
        total = sum(document.rows().count() for document in registry.documents())
        with tqdm(total=total, disable=options["verbosity"] < 1 or total < 1000) as bar:
            with transaction.atomic():
                written = rebuild(progress=bar.update)
        tidy_up_index()
        self.stdout.write(f"Indexed {written} entries.")
