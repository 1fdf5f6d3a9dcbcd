"""What text of each kind of page is searchable, and with what weight.

Each builder turns one object into the fields of its ``SearchEntry``: ``title`` weighs most,
then ``keywords`` (tags, names, places), then ``summary``, then ``body``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, models

from blog.models import Post
from cms.richtext import plain_text
from films.models import Film, Person, Screening
from interviews.models import Interview

from .models import SearchEntry

# Highlight markers shared by both databases' snippet functions; never stored in entries.
MARK_START, MARK_END = "\ue000", "\ue001"
_SPACE = re.compile(r"\s+")


def tidy(*parts: str | None) -> str:
    """Plain-text fields joined, on one line, without the highlight markers."""
    text = " ".join(part for part in parts if part)
    return _SPACE.sub(" ", text.replace(MARK_START, "").replace(MARK_END, "")).strip()


def plain(*parts: str | None) -> str:
    """Readable text from rich-text fragments: tags become spaces, entities characters."""
    return tidy(*(plain_text(part) for part in parts))


@dataclass(frozen=True)
class Document:
    title: str
    keywords: str = ""
    summary: str = ""
    body: str = ""
    url: str = ""
    date: datetime | None = None

    def fields(self) -> dict:
        return {
            "title": tidy(self.title)[:255],
            "keywords": tidy(self.keywords),
            "summary": tidy(self.summary),
            "body": tidy(self.body),
            "url": self.url,
            "date": self.date,
        }


def tag_names(item) -> str:
    return " ".join(tag.name for tag in item.tags.all())


def interview_document(interview: Interview) -> Document:
    # No film titles here: the film may be a draft, and its own entry finds it once live.
    return Document(
        title=interview.title,
        keywords=" ".join(
            [tag_names(interview), interview.byline]
            + [person.name for person in interview.interviewees.all()]
        ),
        summary=tidy(interview.search_description, plain(interview.intro)),
        body=" ".join(
            [tidy(pair.question, plain(pair.answer)) for pair in interview.pairs.all()]
            + [tidy(figure.caption, figure.image.caption) for figure in interview.figures.all()]
        ),
        url=interview.get_absolute_url(),
        date=interview.publish_at,
    )


def film_document(film: Film) -> Document:
    credits = list(film.credits.all())
    return Document(
        title=film.title,
        keywords=" ".join(
            [tag_names(film), str(film.year or "")] + [credit.person.name for credit in credits]
        ),
        summary=tidy(film.logline, film.search_description),
        body=plain(film.synopsis),
        url=film.get_absolute_url(),
        date=film.publish_at,
    )


def person_document(person: Person) -> Document:
    credits = list(person.credits.all())
    return Document(
        title=person.name,
        keywords=" ".join(credit.get_role_display() for credit in credits),
        summary=person.bio,
    )


def screening_document(screening: Screening) -> Document:
    return Document(
        title=screening.display_title,
        keywords=" ".join(
            [screening.venue, screening.place, screening.get_kind_display(), screening.film.title]
        ),
        summary=screening.address,
        body=screening.notes,
        url=screening.get_absolute_url(),
        date=screening.starts_at,
    )


def post_document(post: Post) -> Document:
    return Document(
        title=post.title,
        keywords=" ".join([tag_names(post)] + [person.name for person in post.authors.all()]),
        summary=tidy(post.dek, post.search_description),
        body=plain(post.body),
        url=post.get_absolute_url(),
        date=post.publish_at,
    )


@dataclass(frozen=True)
class Source:
    """Where one kind of entry comes from: its model, its rows ready to index, its builder."""

    model: type[models.Model]
    rows: Callable[[], models.QuerySet]
    build: Callable[[models.Model], Document]


SOURCES: dict[str, Source] = {
    SearchEntry.Kind.INTERVIEW: Source(
        Interview,
        lambda: Interview.objects.prefetch_related(
            "tags", "interviewees", "pairs", "figures__image"
        ),
        interview_document,
    ),
    SearchEntry.Kind.FILM: Source(
        Film,
        lambda: Film.objects.prefetch_related("tags", "credits__person"),
        film_document,
    ),
    SearchEntry.Kind.PERSON: Source(
        Person, lambda: Person.objects.prefetch_related("credits"), person_document
    ),
    SearchEntry.Kind.SCREENING: Source(
        Screening, lambda: Screening.objects.select_related("film"), screening_document
    ),
    SearchEntry.Kind.POST: Source(
        Post,
        lambda: Post.objects.prefetch_related("tags", "authors"),
        post_document,
    ),
}


def kind_of(model: type[models.Model]) -> str | None:
    for kind, source in SOURCES.items():
        if source.model is model:
            return kind
    return None


def index(kind: str, ids: Iterable[int]) -> int:
    """Write the entries of these objects from their current rows; drop those that are gone."""
    ids = set(ids)
    source = SOURCES[kind]
    found = 0
    for item in source.rows().filter(pk__in=ids):
        SearchEntry.objects.update_or_create(
            kind=kind, object_id=item.pk, defaults=source.build(item).fields()
        )
        ids.discard(item.pk)
        found += 1
    if ids:
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    return found


def rebuild(batch_size: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Index every object of every kind from scratch; return how many entries were written."""
    SearchEntry.objects.all().delete()
    written = 0
    for kind, source in SOURCES.items():
        batch = []
        for item in source.rows().order_by("pk").iterator(chunk_size=batch_size):
            batch.append(SearchEntry(kind=kind, object_id=item.pk, **source.build(item).fields()))
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                written += len(batch)
                if progress:
                    progress(len(batch))
                batch = []
        SearchEntry.objects.bulk_create(batch)
        written += len(batch)
        if progress and batch:
            progress(len(batch))
    return written


def tidy_up_index() -> None:
    """After a rebuild: give the planner the table's new shape.

    On PostgreSQL, VACUUM also moves freshly inserted rows out of the GIN index's pending
    list; until then (or until autovacuum does it) searches scan the whole table.
    """
    table = SearchEntry._meta.db_table
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")
