"""Queue the renditions each image lacks, for the worker to make.

An image's renditions are made when it is saved. When a release adds a size pages use
(``PAGE_WIDTHS``), images saved before it lack that size until they are saved again; pages
show what exists meanwhile. Run after ``migrate`` (``make serve`` does): it queues one task
per image that lacks any wanted rendition, and nothing for the others.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Prefetch

from cms.media.models import Image, Rendition
from cms.media.tasks import make_renditions


class Command(BaseCommand):
    help = "Queue the making of every rendition an image lacks (after a release adds a size)."

    def handle(self, *args, **options) -> None:
        made = Prefetch("renditions", queryset=Rendition.objects.only("image_id", "spec"))
        lacking = [
            image.pk
            for image in Image.objects.exclude(file="").prefetch_related(made).iterator(1000)
            if {spec for spec, *_ in image.wanted_renditions()}
            - {rendition.spec for rendition in image.renditions.all()}
        ]
        for image_id in lacking:
            make_renditions.enqueue(image_id)
        self.stdout.write(f"Queued renditions for {len(lacking)} image(s) that lacked some.")
