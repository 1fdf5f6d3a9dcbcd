"""Write every interview as a plain-text article that import_articles reads back."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from interviews.importing.exporter import export_article
from interviews.models import Interview


class Command(BaseCommand):
    help = "Export every interview (drafts included) as DIR/<slug>.txt in the Q:/A: text form."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {directory}: {exc.strerror}.") from exc
        interviews = Interview.objects.select_related("film").prefetch_related(
            "tags", "pairs", "figures__image"
        )
        count = 0
        for interview in interviews:
            (directory / f"{interview.slug}.txt").write_text(
                export_article(interview), encoding="utf-8"
            )
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Exported {count} interview(s) to {directory}."))
