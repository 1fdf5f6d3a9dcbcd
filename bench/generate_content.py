#!/usr/bin/env python
"""Generate a large amount of realistic content, for benchmarks.

    .venv/bin/python bench/generate_content.py 10000 [--seed 7] [--verbosity 0]

Adds COUNT live interviews of thirteen question/answer pairs each (text drawn from the demo
article), spread over one generated film per hundred interviews (each with a director's
credit and a festival screening), and one news post per ten interviews. Interviews, films
and posts are built with the model constructors below and written with ``bulk_create``;
the 1.3 million question/answer pairs of a 100,000 run, whose model instances, per-row
sanitising and SQL compiling took most of the time, are written with ``executemany`` from
a pool of answers sanitised once (``answer_pool``), all in one transaction, with SQLite's
journal syncs off and a large page cache for the load only (``bulk_load_pragmas``). The
content version is bumped (``bulk_create`` sends no signal) and the search index is rebuilt
at the end. Run it on a migrated database that
holds the demo content (``manage.py load_demo``). Django is set up from
``DJANGO_SETTINGS_MODULE`` (default ``config.settings.dev``, as ``manage.py``) or
``--settings``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
BATCH = 1000
QUESTIONS_PER_INTERVIEW = 13
ANSWER_POOL = 5000  # distinct generated answers; each pair takes one at random
# SQLite settings for the bulk load only, restored after: no sync to disk before the commit
# (one transaction: a crash loses the run, never the file), a 256 MiB page cache for the
# indexes being filled, temporary B-trees in memory.
BULK_LOAD_PRAGMAS = {"synchronous": "OFF", "cache_size": "-262144", "temp_store": "MEMORY"}


class DemoMissing(Exception):
    """The demo's question/answer pairs, whose text is reused, are not in the database."""


def build_film(n: int, now: datetime):
    from films.models import Film

    return Film(
        title=f"Generated film {n}",
        slug=f"generated-film-{n}",
        status=Film.Status.PUBLISHED,
        publish_at=now - timedelta(days=n),
        logline="A film about something.",
        synopsis="<p>What happens.</p>",
        year=2012,
        runtime_minutes=91,
    )


def build_screening(n: int, film, now: datetime):
    from films.models import Screening

    return Screening(
        film=film,
        kind=Screening.Kind.FESTIVAL,
        venue="A Theatre",
        city=f"City {n % 40}",
        time_zone="America/Denver",
        starts_at=now + timedelta(days=n % 90 - 30),
    )


def build_post(n: int, body: str, now: datetime):
    from blog.models import Post

    return Post(
        title=f"Generated news {n}",
        slug=f"generated-news-{n}",
        status=Post.Status.PUBLISHED,
        publish_at=now - timedelta(hours=n),
        dek="A short summary.",
        body=body,
    )


def build_interview(n: int, film, title: str, intro: str, now: datetime):
    from interviews.models import Interview

    return Interview(
        title=f"Generated interview {n}: {title}",
        slug=f"generated-interview-{n}",
        status=Interview.Status.PUBLISHED,
        publish_at=now - timedelta(minutes=n),
        film=film,
        intro=intro,
    )


@contextmanager
def bulk_load_pragmas(connection) -> Iterator[None]:
    """SQLite's ``BULK_LOAD_PRAGMAS`` while the block runs (outside a transaction only)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in BULK_LOAD_PRAGMAS.items():
            before[name] = cursor.execute(f"PRAGMA {name}").fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {value}")


def answer_pool(sentences: list[str], rng: random.Random) -> list[str]:
    """``ANSWER_POOL`` answers of four demo sentences, each sanitised as the field stores it."""
    from cms.richtext import sanitize_html

    return [sanitize_html("<p>" + ". ".join(rng.sample(sentences, 4)) + ".</p>")
            for _ in range(ANSWER_POOL)]  # fmt: skip


def insert_pairs(connection, pairs: list[tuple[int, int, str, str, str]]) -> None:
    """Write question/answer rows (interview, order, question, answer, anchor) at once.

    Columns the rows do not give take their field's default, prepared once; the values
    given are already what the fields store (plain text, sanitised HTML, a slug).
    """
    from django.utils import timezone

    from interviews.models import QuestionAnswer

    given = ["interview_id", "sort_order", "question", "answer", "anchor"]
    rest = [field for field in QuestionAnswer._meta.concrete_fields
            if not field.primary_key and field.attname not in given]  # fmt: skip
    defaults = []
    for field in rest:
        value = timezone.now() if getattr(field, "auto_now_add", False) or getattr(
            field, "auto_now", False) else field.get_default()  # fmt: skip
        defaults.append(field.get_db_prep_save(value, connection))
    columns = [QuestionAnswer._meta.get_field(name).column for name in given]
    columns += [field.column for field in rest]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (f"INSERT INTO {quote(QuestionAnswer._meta.db_table)} "
           f"({', '.join(map(quote, columns))}) VALUES ({placeholders})")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*pair, *defaults) for pair in pairs])


def generate_content(
    count: int, *, seed: int = 7, verbosity: int = 1, stdout: TextIO | None = None
) -> None:
    """Write ``count`` generated interviews and their films, screenings and posts."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from interviews.models import QuestionAnswer

    stdout = stdout or sys.stdout
    demo = list(QuestionAnswer.objects.values_list("question", "answer"))
    if not demo:
        raise DemoMissing("Load the demo first (manage.py load_demo): its text is reused.")
    sentences = [s.strip() for _, a in demo for s in a.replace("</p>", " ").split(". ")]
    sentences = [s for s in sentences if s]
    rng = random.Random(seed)
    answers = answer_pool(sentences, rng)
    now = timezone.now()
    with bulk_load_pragmas(connection):
        write(count, demo, sentences, answers, rng, now, verbosity)
        call_command("rebuild_search_index", verbosity=0, stdout=stdout)
    with connection.cursor() as cursor:
        # Table statistics for the query planner, as after any bulk load (PostgreSQL's
        # autovacuum gathers them by itself; SQLite only when asked): without them SQLite
        # walks every interview for a tag page.
        cursor.execute("ANALYZE")
    stdout.write(f"Generated {count} interviews and rebuilt the search index.\n")


def write(count: int, demo: list[tuple[str, str]], sentences: list[str], answers: list[str],
          rng: random.Random, now: datetime, verbosity: int) -> None:  # fmt: skip
    """The generated rows, in one transaction, and one move of the content version."""
    from django.db import connection, transaction
    from tqdm import tqdm

    from blog.models import Post
    from cms.page_cache.models import content_changed
    from films.models import Credit, Film, Person, Screening
    from interviews.models import Interview

    with transaction.atomic():
        films = Film.objects.bulk_create([build_film(n, now) for n in range(max(1, count // 100))])
        people = Person.objects.bulk_create(
            [Person(name=f"Director {n}", slug=f"generated-person-{n}") for n in range(len(films))]
        )
        Credit.objects.bulk_create(
            [Credit(film=film, person=person, role=Credit.Role.DIRECTOR)
             for film, person in zip(films, people, strict=True)]
        )  # fmt: skip
        Screening.objects.bulk_create(
            [build_screening(n, film, now) for n, film in enumerate(films)]
        )
        Post.objects.bulk_create(
            [build_post(n, f"<p>{rng.choice(sentences)}.</p>", now)
             for n in range(max(1, count // 10))]
        )  # fmt: skip
        for start in tqdm(range(0, count, BATCH), disable=verbosity < 1, unit_scale=BATCH):
            interviews = Interview.objects.bulk_create(
                [build_interview(n, films[n % len(films)], rng.choice(sentences)[:60],
                                 f"<p>{rng.choice(sentences)}.</p>", now)
                 for n in range(start, min(start + BATCH, count))]
            )  # fmt: skip
            insert_pairs(connection,
                         [(interview.pk, k, rng.choice(demo)[0], rng.choice(answers),
                           f"question-{k}")
                          for interview in interviews
                          for k in range(1, QUESTIONS_PER_INTERVIEW + 1)])  # fmt: skip
        content_changed()  # bulk_create sends no signal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate COUNT live interviews (with films, screenings, posts) for benchmarks."
    )
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=1)
    parser.add_argument("--settings", help="settings module (default: DJANGO_SETTINGS_MODULE)")
    args = parser.parse_args(argv)
    if args.settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        generate_content(args.count, seed=args.seed, verbosity=args.verbosity)
    except DemoMissing as error:
        print(f"generate_content: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
