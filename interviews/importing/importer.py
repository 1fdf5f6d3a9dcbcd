"""Writing a ``ParsedArticle`` to the database: interview, pairs, figures, tags and blog posts.

A workflow across interviews, films, images and (through ``blog.importing``) posts, one
transaction per article. A dry run goes through the same decisions and checks without
writing, so it says what the real run will do.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import unquote_to_bytes

import reversion
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.text import slugify

from blog.importing import IncomingPost, add_posts, new_posts
from blog.models import Post
from cms.media.models import Image
from cms.media.placeholders import PLACEHOLDER_CREDIT, placeholder_jpeg
from cms.media.tasks import queue_renditions
from cms.publishing.models import Publishable
from films.models import Film
from interviews.models import Figure, Interview, QuestionAnswer, anchor_for

from .article import ArticleError, ParsedArticle, ParsedFigure

# A posted date becomes this time of day in the site's zone, so it shows as that date
# across the Americas and Europe alike.
POSTED_TIME = time(12, 0)
# The alt text of a picture the article gave neither alt text nor caption; flagged for review.
MISSING_ALT = "Photo from the interview (describe it)"


@dataclass
class ImportOutcome:
    """What importing one article did, or in a dry run would do."""

    action: str  # "created", "updated" or "skipped"
    interview: Interview
    posts: list[Post] = field(default_factory=list)  # blog posts created (a dry run: unsaved)
    detail: str = ""


def posted_at(day: date | None) -> datetime | None:
    """A posted date as the aware moment it is published (noon in the site's zone)."""
    if day is None:
        return None
    return datetime.combine(day, POSTED_TIME, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def article_slug(article: ParsedArticle) -> str:
    """The interview's slug: the one an earlier import of the same article has too."""
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


def build_pairs(interview: Interview, article: ParsedArticle) -> list[QuestionAnswer]:
    """The article's pairs for ``interview``, numbered, anchored and validated; unsaved."""
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
    return pairs


def free_slug(slug: str) -> str:
    """``slug``, numbered until no interview has it: a second import of the same article."""
    taken = set(
        Interview.objects.filter(slug__startswith=slug[:240]).values_list("slug", flat=True)
    )
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug[:240]}-{n}", n + 1
    return candidate


DATA_URI = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?P<base64>(;[^,;]*)*;base64)?,", re.I)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
              "image/avif": "avif"}  # fmt: skip


def embedded_picture(src: str) -> tuple[bytes, str]:
    """The bytes and file extension of a ``data:`` picture; ``ArticleError`` if it is not one.

    The image library checks the bytes (Pillow) when the picture is stored.
    """
    match = DATA_URI.match(src)
    if match is None:
        raise ArticleError("An embedded picture is not a valid data: address.")
    payload = src[match.end() :]
    try:
        if match["base64"]:
            content = base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
        else:
            content = unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as exc:
        raise ArticleError("An embedded picture is not valid base64 data.") from exc
    return content, EXTENSIONS.get((match["type"] or "").lower(), "jpg")


def incoming_posts(article: ParsedArticle) -> list[IncomingPost]:
    """The article's "From our blog" items, as the blog app takes them."""
    return [IncomingPost(p.title, p.excerpt, posted_at(p.posted)) for p in article.posts]


class ArticleImporter:
    """Writes parsed articles, or with ``dry_run`` says what writing them would do.

    Use one importer for a whole run of files: a dry run remembers the interviews and posts
    it would have written, so a later file sees them as it would in the real run. A real run
    collects the files it stores, so a failed import removes them.
    """

    def __init__(self, *, publish: bool = False, update: bool = False, film: Film | None = None,
                 dry_run: bool = False, always_new: bool = False, user=None) -> None:  # fmt: skip
        self.publish = publish
        self.update = update
        self.film = film
        self.dry_run = dry_run
        # The admin's import: an article already imported becomes a new draft beside it.
        self.always_new = always_new
        self.user = user
        self.source_dir: Path | None = None
        self.stored_files: list[str] = []
        self.planned: dict[str, Interview] = {}  # by slug: what a dry run would have written
        self.planned_posts: set[str] = set()

    def run(self, article: ParsedArticle, path: Path | None = None,
            source_name: str = "") -> ImportOutcome:  # fmt: skip
        """Import the article read from ``path`` in one transaction, as one history version.

        On any error nothing is kept, stored photos included. In a dry run nothing is
        written and the outcome is the one the real run would give. Without a ``path`` (the
        admin's paste or upload, ``source_name``) no file beside the article is ever read.
        """
        self.source_dir = path.parent if path is not None else None
        if self.dry_run:
            return self.plan(article)
        self.stored_files = []
        try:
            with transaction.atomic(), reversion.create_revision():
                name = path.name if path else source_name
                reversion.set_comment(f"Imported from {name}." if name else "Imported.")
                if self.user is not None:
                    reversion.set_user(self.user)
                return self.write(article)
        except BaseException:
            self.remove_stored_files()
            raise

    def prepare(self, article: ParsedArticle) -> ImportOutcome:
        """Create, update or skip, with the interview filled in and validated but unsaved.

        The real run and the dry run both decide here, so they cannot disagree.
        """
        slug = article_slug(article)
        interview = self.planned.get(slug) or Interview.objects.filter(slug=slug).first()
        if interview is not None and self.always_new:
            slug, interview = free_slug(slug), None
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
        if self.user is not None:
            interview.updated_by = self.user
        interview.full_clean(validate_unique=False)
        return ImportOutcome(action, interview)

    def plan(self, article: ParsedArticle) -> ImportOutcome:
        """What ``write`` would do, from the same decisions and checks, writing nothing.

        Photos are not stored, so a figure the real run cannot store is not caught here.
        """
        outcome = self.prepare(article)
        if outcome.action == "skipped":
            return outcome
        build_pairs(outcome.interview, article)  # validated as the real run validates them
        outcome.posts = new_posts(
            incoming_posts(article), publish=self.publish, known_slugs=self.planned_posts
        )
        self.planned[outcome.interview.slug] = outcome.interview
        self.planned_posts.update(post.slug for post in outcome.posts)
        return outcome

    def write(self, article: ParsedArticle) -> ImportOutcome:
        """Save what ``prepare`` decided, with the pairs, figures, tags and new blog posts."""
        outcome = self.prepare(article)
        if outcome.action == "skipped":
            return outcome
        interview = outcome.interview
        interview.save()
        if article.tags:
            interview.tags.set(article.tags, clear=True)
        # In reading order, taken before the pairs they follow are rebuilt.
        figures = [block for block in interview.body() if isinstance(block, Figure)]
        self.write_pairs(interview, article)
        self.write_figures(interview, article, figures)
        outcome.posts = add_posts(incoming_posts(article), publish=self.publish)
        # Last, so the version holds the pairs, figures and tags just written.
        reversion.add_to_revision(interview)
        return outcome

    def remove_stored_files(self) -> None:
        """Delete the photos a failed import stored, and their folders when left empty."""
        storage = Image.file.field.storage
        for name in self.stored_files:
            storage.delete(name)
            if isinstance(storage, FileSystemStorage):
                with contextlib.suppress(OSError):
                    Path(storage.path(name)).parent.rmdir()

    def write_pairs(self, interview: Interview, article: ParsedArticle) -> None:
        # Pairs are rebuilt: their anchors come from the questions, so links stay the same.
        interview.pairs.all().delete()
        QuestionAnswer.objects.bulk_create(build_pairs(interview, article))

    def write_figures(self, interview: Interview, article: ParsedArticle,
                      existing: list[Figure]) -> None:  # fmt: skip
        """Figures by position: an existing figure keeps the photo an editor may have added."""
        pairs = list(interview.pairs.order_by("sort_order", "id"))
        placed: dict[int, int] = {}  # figures so far after each pair number
        for index, parsed in enumerate(article.figures):
            figure = existing[index] if index < len(existing) else Figure(interview=interview)
            image = self.image_for(parsed, keep=figure.image if figure.image_id else None)
            figure.image = image
            figure.pair = pairs[parsed.after_pair - 1] if parsed.after_pair else None
            figure.sort_order = placed.get(parsed.after_pair, 0)
            placed[parsed.after_pair] = figure.sort_order + 1
            figure.caption = "" if parsed.caption == image.caption else parsed.caption
            figure.save()
        for figure in existing[len(article.figures) :]:
            figure.delete()

    def image_for(self, parsed: ParsedFigure, keep: Image | None) -> Image:
        """The figure's photo: by file name, saved beside the article, kept, or a placeholder."""
        if parsed.content:
            return self.store(parsed.content, parsed.filename or "photo.jpg", parsed)
        if parsed.src.startswith("data:"):
            content, extension = embedded_picture(parsed.src)
            label = slugify(parsed.alt or parsed.caption)[:60] or "photo"
            return self.store(content, f"{label}.{extension}", parsed)
        if parsed.src:
            named = Image.objects.filter(file=parsed.src).first()
            if named is not None:
                return named
            local = self.local_file(parsed.src)
            if local is not None:
                return self.store(local.read_bytes(), local.name, parsed)
        if keep is not None:
            return keep
        # A picture named by an address is never fetched: a placeholder stands in for it.
        label = parsed.alt or parsed.caption or MISSING_ALT
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
            alt_text=parsed.alt or parsed.caption or MISSING_ALT,
            caption=parsed.caption,
            credit=PLACEHOLDER_CREDIT if placeholder else "",
            alt_text_needs_review=parsed.alt_from_caption,
        )
        image.full_clean()
        try:
            image.save()
        finally:
            if image.file and image.file._committed:
                self.stored_files.append(image.file.name)
        queue_renditions(image)  # made by the worker once the import commits
        return image
