"""Load the demo content: the reference interview, its film, screenings, photos and news,
and the footer's links (the site settings)."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Copy the demo photos into MEDIA_ROOT and load fixtures/demo.json. "
        "Safe to run again: records are matched by natural key and updated, never duplicated."
    )
    fixture = "demo"
    media_source = Path(settings.BASE_DIR) / "fixtures" / "media"
    # The footer's links (``cms.site_settings``): site configuration rather than content, so
    # set here rather than carried by the content fixture.
    site_settings = {
        "about_url": "https://www.pbs.org/independentlens/about/",
        "contact_url": "mailto:outreach@example.org",
        "privacy_url": "https://www.pbs.org/about/about-pbs/privacy-policy/",
        "accessibility_url": "https://www.pbs.org/about/about-pbs/accessibility/",
        "newsletter_url": "https://www.pbs.org/independentlens/newsletter/",
        "donate_url": "https://www.pbs.org/donate/",
        "donate_label": "Donate",
    }
    social_links = [
        ("bluesky", "https://bsky.app/profile/independentlens.bsky.social"),
        ("instagram", "https://www.instagram.com/independentlens/"),
        ("youtube", "https://www.youtube.com/@IndependentLens"),
        ("facebook", "https://www.facebook.com/independentlens"),
    ]

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing if the database already holds any film (for `make serve`).",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        from films.models import Film

        if options["if_empty"] and Film.objects.exists():
            self.stdout.write("The database already has content; the demo was not loaded.")
            return
        copied = self.copy_media()
        with transaction.atomic():  # the records and their generated files, or nothing
            call_command("loaddata", self.fixture, verbosity=options["verbosity"])
            self.attach_generated_pdfs()
            self.set_site_settings()
            queued = self.queue_renditions()
        # A first version in each page's history, so editors can compare and restore.
        call_command("createinitialrevisions", comment="Demo content loaded.", verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"Demo content loaded ({copied} photo(s) copied, renditions of {queued} queued "
            "for the background worker)."
        ))  # fmt: skip

    def copy_media(self) -> int:
        """Copy photos that are not yet in media storage (a folder or a bucket); never overwrite."""
        copied = 0
        for source in sorted(self.media_source.rglob("*")):
            name = source.relative_to(self.media_source).as_posix()
            if source.is_file() and not default_storage.exists(name):
                with source.open("rb") as handle:
                    saved = default_storage.save(name, File(handle))
                if saved != name:
                    raise CommandError(f"Media storage stored {name} as {saved}.")
                copied += 1
        return copied

    def set_site_settings(self) -> None:
        """Give the footer the demo's links; a second load updates them, never duplicates a
        network, and keeps links an editor added for other networks."""
        from cms.site_settings import SiteSettings, SocialLink

        row = SiteSettings.load()
        for name, value in self.site_settings.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        for order, (network, url) in enumerate(self.social_links, start=1):
            link = row.social_links.filter(network=network).first()
            link = link or SocialLink(site_settings=row, network=network)
            link.url, link.sort_order = url, order
            link.full_clean()
            link.save()

    def queue_renditions(self) -> int:
        """Queue renditions of the demo's photos for the worker, once the load commits.

        Fixtures save rows raw, past the admin that queues them for an upload; the worker
        (``make run`` starts it) makes them in the background, so the first viewer gets the
        originals at once rather than waiting for Pillow. Photos that have them all already
        (a second load) cost the worker one query each.
        """
        from cms.media.models import Image
        from cms.media.tasks import queue_renditions

        names = [path.relative_to(self.media_source).as_posix()
                 for path in self.media_source.rglob("*") if path.is_file()]  # fmt: skip
        images = list(Image.objects.filter(file__in=names))
        for image in images:
            queue_renditions(image)
        return len(images)

    def attach_generated_pdfs(self) -> None:
        """Give the demo's PDF resources their files, at the names the fixture gives them:
        drawn here (``config.demo_guide``) the first time, and passed through the checks an
        editor's upload goes through every time, which also fills in the size and page count
        the fixture leaves out."""
        from config.demo_guide import discussion_guide
        from outreach.pdfs import checked_pdf
        from outreach.resources import Resource

        for resource in Resource.objects.exclude(file="").select_related("film"):
            name = resource.file.name
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as stored:
                    checked = checked_pdf(ContentFile(stored.read(), name=name))
            else:
                film = resource.film
                drawn = discussion_guide(film.title, film.logline, film.synopsis,
                                         film.runtime_minutes)  # fmt: skip
                checked = checked_pdf(ContentFile(drawn, name=name))
                if default_storage.save(name, ContentFile(checked.content)) != name:
                    raise CommandError(f"Media storage stored {name} under another name.")
            Resource.objects.filter(pk=resource.pk).update(
                file_size=checked.size, page_count=checked.page_count
            )
