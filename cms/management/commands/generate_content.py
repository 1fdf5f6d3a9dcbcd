"""Generate a large amount of realistic content, for benchmarks: ``generate_content 10000``.

Interviews of thirteen question/answer pairs (text drawn from the demo article), spread
over films with credits and screenings, with news posts and tags. Rows are built with the
test factories (factory_boy, a development dependency) and written with ``bulk_create``,
so a hundred thousand interviews take minutes, not hours; the search index is rebuilt at
the end. Run it on a database that holds the demo content (``load_demo``).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from cms import page_cache

BATCH = 1000


class Command(BaseCommand):
    help = "Generate COUNT live interviews (with films, screenings, posts) for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, count: int, seed: int, **options) -> None:
        try:
            from tests import factories
        except ImportError as error:
            raise CommandError("generate_content needs the development dependencies "
                               "(pip install -e '.[dev]').") from error  # fmt: skip
        from interviews.models import QuestionAnswer

        demo = list(QuestionAnswer.objects.values_list("question", "answer"))
        if not demo:
            raise CommandError("Load the demo first (manage.py load_demo): its text is reused.")
        sentences = [s.strip() for _, a in demo for s in a.replace("</p>", " ").split(". ")]
        rng = random.Random(seed)
        with transaction.atomic():
            self.generate(factories, count, demo, [s for s in sentences if s], rng, options)
            page_cache.content_changed()  # bulk_create sends no signal
        from django.core.management import call_command

        call_command("rebuild_search_index", verbosity=0)
        self.stdout.write(f"Generated {count} interviews and rebuilt the search index.")

    def generate(self, factories, count, demo, sentences, rng, options) -> None:
        from blog.models import Post
        from films.models import Credit, Film, Person, Screening
        from interviews.models import Interview, QuestionAnswer

        now = timezone.now()
        films = Film.objects.bulk_create(
            [factories.FilmFactory.build(title=f"Generated film {n}", slug=f"generated-film-{n}",
                                         publish_at=now - timedelta(days=n))
             for n in range(max(1, count // 100))]
        )  # fmt: skip
        people = Person.objects.bulk_create(
            [factories.PersonFactory.build(name=f"Director {n}", slug=f"generated-person-{n}")
             for n in range(len(films))]
        )  # fmt: skip
        Credit.objects.bulk_create(
            [Credit(film=film, person=person, role=Credit.Role.DIRECTOR)
             for film, person in zip(films, people, strict=True)]
        )  # fmt: skip
        Screening.objects.bulk_create(
            [factories.ScreeningFactory.build(film=film, city=f"City {n % 40}",
                                              starts_at=now + timedelta(days=n % 90 - 30))
             for n, film in enumerate(films)]
        )  # fmt: skip
        Post.objects.bulk_create(
            [factories.PostFactory.build(title=f"Generated news {n}", slug=f"generated-news-{n}",
                                         body=f"<p>{rng.choice(sentences)}.</p>",
                                         publish_at=now - timedelta(hours=n))
             for n in range(max(1, count // 10))]
        )  # fmt: skip
        verbose = options["verbosity"] > 0
        for start in tqdm(range(0, count, BATCH), disable=not verbose, unit_scale=BATCH):
            interviews = Interview.objects.bulk_create(
                [factories.InterviewFactory.build(
                    title=f"Generated interview {n}: {rng.choice(sentences)[:60]}",
                    slug=f"generated-interview-{n}", film=films[n % len(films)],
                    intro=f"<p>{rng.choice(sentences)}.</p>",
                    publish_at=now - timedelta(minutes=n))
                 for n in range(start, min(start + BATCH, count))]
            )  # fmt: skip
            QuestionAnswer.objects.bulk_create(
                [factories.QuestionAnswerFactory.build(
                    interview=interview, question=rng.choice(demo)[0],
                    answer="<p>" + ". ".join(rng.sample(sentences, 4)) + ".</p>",
                    sort_order=k, anchor=f"question-{k}")
                 for interview in interviews for k in range(1, 14)]
            )  # fmt: skip
