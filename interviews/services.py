"""The article importer and exporter: a workflow across interviews, films, images and posts.

``import_article`` writes one ``ParsedArticle`` in one transaction; ``export_article`` writes
an interview back as text that ``import_article`` reads to the same structure. This is the
one place the interviews app writes blog posts (the "From our blog" box of an article).
"""

from __future__ import annotations

import contextlib
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time
from html import unescape
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from cms.models import Image, Publishable
from cms.media.placeholders import PLACEHOLDER_CREDIT, placeholder_jpeg
from films.models import Film

from .models import Figure, Interview, QuestionAnswer, anchor_for
from .parsing import ParsedArticle, ParsedFigure, paragraph_html, squash

# A posted date becomes this time of day in the site's zone, so it shows as that date
# across the Americas and Europe alike.
POSTED_TIME = time(12, 0)


@dataclass
class ImportOutcome:
    action: str  # "created", "updated" or "skipped"
    interview: Interview
    posts_created: int = 0
    detail: str = ""


def posted_at(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, POSTED_TIME, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def article_slug(article: ParsedArticle) -> str:
    return slugify(article.title, allow_unicode=True)[:255].strip("-") or "interview"


def find_film(article: ParsedArticle) -> Film | None:
    """The film named in a "Film:" line, else the film whose title the article mentions.

    Longer titles win, so "Never Sorry" does not shadow "Ai Weiwei: Never Sorry".
    """
    films = sorted(Film.objects.only("id", "title", "slug"), key=lambda f: -len(f.title))
    if article.film:
        wanted = article.film.casefold()
        for film in films:
            if wanted in (film.title.casefold(), film.slug):
                return film
    text = article.text.casefold()
    return next((film for film in films if film.title.casefold() in text), None)


class ArticleImporter:
    """Writes parsed articles; collects the files it stores so a failed import removes them."""

    def __init__(self, *, publish: bool = False, update: bool = False, film: Film | None = None,
                 source_dir: Path | None = None) -> None:  # fmt: skip
        self.publish = publish
        self.update = update
        self.film = film
        self.source_dir = source_dir
        self.stored_files: list[str] = []

    def run(self, article: ParsedArticle, source: str = "") -> ImportOutcome:
        """Import in one transaction, as one version in the page's history.

        On any error nothing is kept, stored photos included.
        """
        self.stored_files = []
        try:
            with transaction.atomic(), reversion.create_revision():
                reversion.set_comment(f"Imported from {source}." if source else "Imported.")
                return self.write(article)
        except BaseException:
            self.remove_stored_files()
            raise

    def remove_stored_files(self) -> None:
        """Delete the photos a failed import stored, and their folders when left empty."""
        storage = Image.file.field.storage
        for name in self.stored_files:
            storage.delete(name)
            if isinstance(storage, FileSystemStorage):
                with contextlib.suppress(OSError):
                    Path(storage.path(name)).parent.rmdir()

    def write(self, article: ParsedArticle) -> ImportOutcome:
        slug = article_slug(article)
        interview = Interview.objects.filter(slug=slug).first()
        if interview is not None and not self.update:
            return ImportOutcome("skipped", interview, detail="already imported; use --update")
        action = "updated" if interview is not None else "created"
        interview = interview or Interview(slug=slug)
        interview.title = article.title
        interview.byline = article.byline
        interview.intro = article.intro_html
        interview.film = self.film or find_film(article) or interview.film
        interview.publish_at = posted_at(article.posted) or interview.publish_at
        if self.publish:
            interview.status = Publishable.Status.PUBLISHED
        interview.full_clean(validate_unique=False)
        interview.save()
        if article.tags:
            interview.tags.set(article.tags, clear=True)
        self.write_pairs(interview, article)
        self.write_figures(interview, article)
        posts_created = self.write_posts(article)
        # Last, so the version holds the pairs, figures and tags just written.
        reversion.add_to_revision(interview)
        return ImportOutcome(action, interview, posts_created)

    def write_pairs(self, interview: Interview, article: ParsedArticle) -> None:
        # Pairs are rebuilt: their anchors come from the questions, so links stay the same.
        interview.pairs.all().delete()
        taken: set[str] = set()
        pairs = []
        for number, parsed in enumerate(article.pairs, start=1):
            pair = QuestionAnswer(
                interview=interview,
                sort_order=number,
                question=parsed.question,
                answer=parsed.answer_html,
            )
            pair.anchor = anchor = anchor_for(parsed.question, taken)
            taken.add(anchor)
            pair.full_clean(exclude=["interview"], validate_unique=False)
            pairs.append(pair)
        QuestionAnswer.objects.bulk_create(pairs)

    def write_figures(self, interview: Interview, article: ParsedArticle) -> None:
        """Figures by position: an existing figure keeps the photo an editor may have added."""
        existing = list(interview.figures.select_related("image"))
        for index, parsed in enumerate(article.figures):
            figure = existing[index] if index < len(existing) else Figure(interview=interview)
            image = self.image_for(parsed, keep=figure.image if figure.image_id else None)
            figure.image = image
            figure.sort_order = parsed.after_pair
            figure.caption = "" if parsed.caption == image.caption else parsed.caption
            figure.save()
        for figure in existing[len(article.figures) :]:
            figure.delete()

    def image_for(self, parsed: ParsedFigure, keep: Image | None) -> Image:
        """The figure's photo: by file name, saved beside the article, kept, or a placeholder."""
        if parsed.src:
            named = Image.objects.filter(file=parsed.src).first()
            if named is not None:
                return named
            local = self.local_file(parsed.src)
            if local is not None:
                return self.store(local.read_bytes(), local.name, parsed)
        if keep is not None:
            return keep
        label = parsed.alt or parsed.caption
        content = placeholder_jpeg(label, seed=len(self.stored_files))
        name = f"{slugify(label)[:60] or 'photo'}.jpg"
        return self.store(content, name, parsed, placeholder=True)

    def local_file(self, src: str) -> Path | None:
        """An image saved beside the article (``page_files/photo.jpg``), never outside it."""
        if self.source_dir is None or "://" in src or src.startswith(("/", "data:")):
            return None
        candidate = (self.source_dir / src).resolve()
        if self.source_dir.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    def store(self, content: bytes, name: str, parsed: ParsedFigure, *,
              placeholder: bool = False) -> Image:  # fmt: skip
        image = Image(
            file=ContentFile(content, name=name),
            alt_text=parsed.alt or parsed.caption,
            caption=parsed.caption,
            credit=PLACEHOLDER_CREDIT if placeholder else "",
        )
        image.full_clean()
        try:
            image.save()
        finally:
            if image.file and image.file._committed:
                self.stored_files.append(image.file.name)
        return image

    def write_posts(self, article: ParsedArticle) -> int:
        """Blog posts of the "From our blog" box that the site does not have yet."""
        post_model = apps.get_model("blog", "Post")
        created = 0
        for parsed in article.posts:
            slug = slugify(parsed.title, allow_unicode=True)[:255]
            if post_model.objects.filter(slug=slug).exists():
                continue
            post = post_model(
                title=parsed.title,
                slug=slug,
                dek=parsed.excerpt,
                body=paragraph_html(parsed.excerpt) if parsed.excerpt else "",
                publish_at=posted_at(parsed.posted),
                status=Publishable.Status.PUBLISHED if self.publish else Publishable.Status.DRAFT,
            )
            post.full_clean(validate_unique=False)
            post.save()
            created += 1
        return created


# --- Export ----------------------------------------------------------------------------


def html_paragraphs(html: str) -> list[str]:
    """The text of each paragraph of stored rich text, as the text format writes them."""
    chunks = html.replace("</p>", "</p>\n\n").replace("<br>", " ").split("\n\n")
    texts = (squash(unescape(strip_tags(chunk))) for chunk in chunks)
    return [text for text in texts if text]


def export_article(interview: Interview) -> str:
    """The interview as plain text in the unambiguous Q:/A: form the importer reads back."""
    lines = [interview.title, ""]
    if interview.publish_at:
        posted = timezone.localtime(interview.publish_at).date()
        lines += [f"Posted on {posted:%B} {posted.day}, {posted.year}"]
    if interview.byline:
        lines += [f"By {interview.byline}"]
    if interview.film_id:
        lines += [f"Film: {interview.film.title}"]
    tags = sorted(interview.tags.names())
    if tags:
        lines += [f"Tags: {', '.join(tags)}"]
    lines.append("")
    for paragraph in html_paragraphs(interview.intro):
        lines += [paragraph, ""]
    for block in interview.body():
        if isinstance(block, Figure):
            lines += [f"[Figure: {block.image.file.name}]", block.image.alt_text,
                      block.display_caption or block.image.alt_text, ""]  # fmt: skip
        else:
            answer = html_paragraphs(block.answer)
            lines += [f"Q: {block.question}", ""]
            lines += [f"A: {answer[0]}" if answer else "A:", ""]
            for paragraph in answer[1:]:
                lines += [paragraph, ""]
    return "\n".join(lines).rstrip() + "\n"
