"""Import legacy interview articles (plain text or saved HTML pages) as structured content."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from films.models import Film
from interviews.parsing import ARTICLE_SUFFIXES, ArticleError, ParsedArticle, read_article
from interviews.services import ArticleImporter, article_slug, find_film

PROGRESS_FROM = 5  # files; fewer finish before a bar would help


class Command(BaseCommand):
    help = (
        "Import interview articles from text files, saved HTML pages and folders of them. "
        "Each article is one transaction: a file that cannot be read or parsed changes nothing, "
        "is reported with the reason, and the command exits non-zero after the others."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders to import.")
        add = parser.add_argument
        add("--dry-run", action="store_true", help="Show what would be created; write nothing.")
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
            raise CommandError("No article files found (.txt, .md, .html, .htm).")
        tally: Counter[str] = Counter()
        failures: list[str] = []
        show_bar = len(files) >= PROGRESS_FROM and verbosity > 0
        for path in tqdm(files, disable=not show_bar, unit="file", file=self.stderr._out):
            try:
                article = read_article(
                    path, max_bytes=settings.CMS_IMPORT_MAX_BYTES, encoding=encoding
                )
                if dry_run:
                    self.describe(path, article, chosen_film)
                    tally["would create"] += 1
                    continue
                importer = ArticleImporter(
                    publish=publish, update=update, film=chosen_film, source_dir=path.parent
                )
                outcome = importer.run(article, source=path.name)
            except (ArticleError, ValidationError, DatabaseError) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
                failures.append(f"{path}: {message}")
                tally["failed"] += 1
                self.stderr.write(self.style.ERROR(f"FAILED {path}: {message}"))
                continue
            tally[outcome.action] += 1
            if verbosity > 0 and not show_bar:
                extra = f" ({outcome.detail})" if outcome.detail else ""
                posts = (
                    f", {outcome.posts_created} new blog post(s)" if outcome.posts_created else ""
                )
                self.stdout.write(
                    f"{outcome.action.upper()} {path}: “{outcome.interview.title}”, "
                    f"{len(article.pairs)} pairs, {len(article.figures)} figures{posts}{extra}"
                )
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
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )  # fmt: skip
            else:
                files.append(path)  # unreadable or missing files are reported like broken ones
        return files

    def describe(self, path: Path, article: ParsedArticle, film: Film | None) -> None:
        film = film or find_film(article)
        self.stdout.write(f"{path}: “{article.title}” ({article.form} form)")
        self.stdout.write(f"  slug: {article_slug(article)}")
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
        self.stdout.write(f"  {len(article.posts)} blog posts:")
        for post in article.posts:
            self.stdout.write(f"    {post.posted or 'no date'}  {post.title}")

    def summarise(self, tally: Counter[str], dry_run: bool) -> None:
        keys = (
            ["would create", "failed"] if dry_run else ["created", "updated", "skipped", "failed"]
        )
        summary = ", ".join(f"{tally[key]} {key}" for key in keys)
        self.stdout.write(("Dry run, nothing written: " if dry_run else "Done: ") + summary + ".")
