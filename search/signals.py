"""Which saves and deletions change which entries of the index."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from blog.models import Post
from films.models import Credit, Film, Person, Screening
from interviews.models import Figure, Interview, QuestionAnswer

from .indexing import schedule
from .models import SearchEntry

Kind = SearchEntry.Kind


def interview_changed(sender, instance: Interview, **kwargs) -> None:
    schedule(Kind.INTERVIEW, instance.pk)


def interview_part_changed(sender, instance: QuestionAnswer | Figure, **kwargs) -> None:
    schedule(Kind.INTERVIEW, instance.interview_id)


def film_changed(sender, instance: Film, raw: bool = False, **kwargs) -> None:
    """A film's title and names appear in its screenings', interviews' and people's entries."""
    schedule(Kind.FILM, instance.pk)
    if raw or instance.pk is None or kwargs.get("signal") is post_delete:
        return
    schedule(Kind.SCREENING, *instance.screenings.values_list("pk", flat=True))
    schedule(Kind.INTERVIEW, *instance.interviews.values_list("pk", flat=True))
    schedule(Kind.POST, *instance.posts.values_list("pk", flat=True))
    schedule(Kind.PERSON, *instance.credits.values_list("person_id", flat=True))


def person_changed(sender, instance: Person, raw: bool = False, **kwargs) -> None:
    schedule(Kind.PERSON, instance.pk)
    if not raw and kwargs.get("signal") is not post_delete:
        schedule(Kind.FILM, *instance.credits.values_list("film_id", flat=True))
        schedule(Kind.INTERVIEW, *instance.interviews.values_list("pk", flat=True))
        schedule(Kind.POST, *instance.posts.values_list("pk", flat=True))


def credit_changed(sender, instance: Credit, **kwargs) -> None:
    schedule(Kind.FILM, instance.film_id)
    schedule(Kind.PERSON, instance.person_id)


def screening_changed(sender, instance: Screening, **kwargs) -> None:
    schedule(Kind.SCREENING, instance.pk)


def post_changed(sender, instance: Post, **kwargs) -> None:
    schedule(Kind.POST, instance.pk)


def related_changed(kind: str):
    """For a many-to-many field of ``kind``'s model: tags, interviewees, authors."""

    def handler(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if not reverse:
            schedule(kind, instance.pk)
        elif pk_set:
            schedule(kind, *pk_set)

    return handler


HANDLERS = [
    (Interview, interview_changed),
    (QuestionAnswer, interview_part_changed),
    (Figure, interview_part_changed),
    (Film, film_changed),
    (Person, person_changed),
    (Credit, credit_changed),
    (Screening, screening_changed),
    (Post, post_changed),
]
MANY_TO_MANY = [
    (Interview.tags.through, Kind.INTERVIEW),
    (Interview.interviewees.through, Kind.INTERVIEW),
    (Film.tags.through, Kind.FILM),
    (Post.tags.through, Kind.POST),
    (Post.authors.through, Kind.POST),
]
_m2m_handlers = {kind: related_changed(kind) for kind in Kind.values}


def connect() -> None:
    for model, handler in HANDLERS:
        post_save.connect(handler, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(
            handler, sender=model, dispatch_uid=f"search-delete-{model._meta.label}"
        )
    for through, kind in MANY_TO_MANY:
        m2m_changed.connect(
            _m2m_handlers[kind], sender=through, dispatch_uid=f"search-m2m-{through._meta.label}"
        )
