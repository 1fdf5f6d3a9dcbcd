"""Import legacy interview articles (plain text or saved HTML pages) as structured content."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from tqdm import tqdm

from films.models import Film
from interviews.importing.article import ArticleError, ParsedArticle
from interviews.importing.files import UPLOAD_SUFFIXES, read_article
from interviews.importing.importer import ArticleImporter, ImportOutcome

PROGRESS_FROM = 5  # files; fewer finish before a bar would help
# A dry run names what the real run does, in the future tense.
WOULD = {"created": "would create", "updated": "would update", "skipped": "would skip"}


class Command(BaseCommand):
    help = (
        "Import interview articles from text files, saved HTML pages, Word documents (.docx) "
        "and folders of them. "
        "Each article is one transaction: a file that cannot be read or parsed changes nothing, "
        "is reported with the reason, and the command exits non-zero after the others."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders to import.")
        add = parser.add_argument
        add("--dry-run", action="store_true", help="Show what the import would do; write nothing.")
        add("--update", action="store_true", help="Re-import existing articles (same slug).")
        add("--publish", action="store_true", help="Publish; by default imports are drafts.")
        add("--film", metavar="SLUG", help="The film the articles are about (default: named).")
        parser.add_argument("--encoding", help="Text encoding of the files (default: UTF-8).")

    def handle(self, *args, paths: list[Path], dry_run: bool, update: bool, publish: bool,
               film: str | None, encoding: str | None, verbosity: int,
               **options) -> None:  # fmt: skip
        chosen_film = None
        if film:
            chosen_film = Film.objects.filter(slug=film).first()
            if chosen_film is None:
                raise CommandError(f"No film has the slug {film!r}.")
        files = self.collect(paths)
        if not files:
            raise CommandError("No article files found (.txt, .md, .html, .htm, .docx).")
        # One importer for every file: a dry run then sees what earlier files would write.
        importer = ArticleImporter(
            publish=publish, update=update, film=chosen_film, dry_run=dry_run
        )
        tally: Counter[str] = Counter()
        failures: list[str] = []
        show_bar = len(files) >= PROGRESS_FROM and verbosity > 0
        for path in tqdm(files, disable=not show_bar, unit="file", file=self.stderr._out):
            try:
                article = read_article(
                    path, max_bytes=settings.CMS_IMPORT_MAX_BYTES, encoding=encoding
                )
                outcome = importer.run(article, path)
            except (ArticleError, ValidationError, DatabaseError) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
                failures.append(f"{path}: {message}")
                tally["failed"] += 1
                self.stderr.write(self.style.ERROR(f"FAILED {path}: {message}"))
                continue
            tally[outcome.action] += 1
            if dry_run:
                self.describe(path, article, outcome)
            elif verbosity > 0 and not show_bar:
                self.stdout.write(self.outcome_line(path, article, outcome, dry_run=False))
                for warning in article.warnings:
                    self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        self.summarise(tally, dry_run)
        if failures:
            raise CommandError(
                f"{len(failures)} file(s) could not be imported:\n  " + "\n  ".join(failures)
            )

    def collect(self, paths: list[Path]) -> list[Path]:
        """Files named, and article files in folders named, in a stable order."""
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files += sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in UPLOAD_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )  # fmt: skip
            else:
                files.append(path)  # unreadable or missing files are reported like broken ones
        return files

    def outcome_line(
        self, path: Path, article: ParsedArticle, outcome: ImportOutcome, *, dry_run: bool
    ) -> str:
        """One line per file, the same for a dry run as for the real run but for the tense."""
        action = WOULD[outcome.action] if dry_run else outcome.action
        extra = f" ({outcome.detail})" if outcome.detail else ""
        posts = f", {len(outcome.posts)} new blog post(s)" if outcome.posts else ""
        return (
            f"{action.upper()} {path}: “{outcome.interview.title}”, "
            f"{len(article.pairs)} pairs, {len(article.figures)} figures{posts}{extra}"
        )

    def describe(self, path: Path, article: ParsedArticle, outcome: ImportOutcome) -> None:
        """A dry run's report on one file: what the real run does, then what it would write."""
        self.stdout.write(self.outcome_line(path, article, outcome, dry_run=True))
        if outcome.action == "skipped":
            return  # the real run leaves it, and its blog posts, alone
        film = outcome.interview.film
        self.stdout.write(f"  form: {article.form}")
        self.stdout.write(f"  slug: {outcome.interview.slug}")
        self.stdout.write(
            f"  posted: {article.posted or 'no date'}; byline: {article.byline or '-'}"
        )
        self.stdout.write(f"  film: {film.title if film else 'none found'}")
        self.stdout.write(f"  intro: {len(article.intro)} paragraph(s)")
        self.stdout.write(f"  {len(article.pairs)} question/answer pairs:")
        for number, pair in enumerate(article.pairs, start=1):
            words = " ".join(pair.question.split()[:8])
            self.stdout.write(f"    {number:2}. {words}… ({len(pair.answer_paragraphs)} para.)")
        self.stdout.write(f"  {len(article.figures)} figures:")
        for figure in article.figures:
            self.stdout.write(f"    after question {figure.after_pair}: {figure.caption}")
        for warning in article.warnings:
            self.stdout.write(f"  warning: {warning}")
        self.stdout.write(f"  {len(outcome.posts)} blog posts to create:")
        for post in outcome.posts:
            posted = timezone.localdate(post.publish_at) if post.publish_at else "no date"
            self.stdout.write(f"    {posted}  {post.title}")

    def summarise(self, tally: Counter[str], dry_run: bool) -> None:
        if dry_run:
            # "would create" and "failed" always, as before; updates and skips when there are.
            counts = [f"{tally['created']} would create"]
            counts += [f"{tally[key]} {WOULD[key]}" for key in ("updated", "skipped") if tally[key]]
            summary = ", ".join([*counts, f"{tally['failed']} failed"])
            self.stdout.write(f"Dry run, nothing written: {summary}.")
            return
        keys = ["created", "updated", "skipped", "failed"]
        summary = ", ".join(f"{tally[key]} {key}" for key in keys)
        self.stdout.write(f"Done: {summary}.")
