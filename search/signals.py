"""Which saves and deletions change which entries of the index."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag

from blog.models import Post
from cms.media.models import Image
from films.models import Credit, Film, Person, Screening
from interviews.models import Figure, Interview, QuestionAnswer

from .indexing import schedule
from .models import SearchEntry

Kind = SearchEntry.Kind


def interview_changed(sender, instance: Interview, **kwargs) -> None:
    schedule(Kind.INTERVIEW, instance.pk)


def interview_part_changed(sender, instance: QuestionAnswer | Figure, **kwargs) -> None:
    schedule(Kind.INTERVIEW, instance.interview_id)


def film_changed(sender, instance: Film, **kwargs) -> None:
    """A film's title is its screenings' title; its people's names are in its own entry."""
    schedule(Kind.FILM, instance.pk)
    if kwargs.get("signal") is not post_delete:
        schedule(Kind.SCREENING, *instance.screenings.values_list("pk", flat=True))


def person_changed(sender, instance: Person, **kwargs) -> None:
    """A person's name is in their films', interviews' and posts' entries."""
    schedule(Kind.PERSON, instance.pk)
    if kwargs.get("signal") is not post_delete:
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
    """For a many-to-many field of ``kind``'s model: tags, interviewees, authors.

    From the other side (``person.interviews.clear()``) the rows to re-index are those the
    through table links to ``instance``, read before they are cleared.
    """

    def handler(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
        if not reverse:
            if action in {"post_add", "post_remove", "post_clear"}:
                schedule(kind, instance.pk)
        elif action in {"post_add", "post_remove"}:
            schedule(kind, *pk_set)
        elif action == "pre_clear":
            schedule(kind, *linked_ids(sender, instance, model))

    return handler


def linked_ids(through, instance, model) -> list[int]:
    """Ids of ``model`` rows the ``through`` table links to ``instance``."""
    fields = through._meta.fields
    source = next(f for f in fields if f.is_relation and isinstance(instance, f.related_model))
    target = next(f for f in fields if f.is_relation and f.related_model is model)
    return list(
        through.objects.filter(**{source.name: instance}).values_list(target.attname, flat=True)
    )


def tag_changed(sender, instance: Tag, **kwargs) -> None:
    """A renamed or deleted tag changes the entries of everything it was on."""
    for through, kind in TAGGED_ITEMS:
        schedule(
            kind, *through.objects.filter(tag=instance).values_list("content_object_id", flat=True)
        )


def tagged_item_deleted(kind: str):
    def handler(sender, instance, **kwargs) -> None:
        schedule(kind, instance.content_object_id)

    return handler


def image_changed(sender, instance: Image, **kwargs) -> None:
    """Captions of photos are in the entries of the interviews that show them."""
    if kwargs.get("signal") is not post_delete:
        schedule(Kind.INTERVIEW, *instance.figure_set.values_list("interview_id", flat=True))


TAGGED_ITEMS = [
    (Interview.tags.through, Kind.INTERVIEW),
    (Film.tags.through, Kind.FILM),
    (Post.tags.through, Kind.POST),
]
HANDLERS = [
    (Tag, tag_changed),
    (Image, image_changed),
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
_tagged_item_handlers = {kind: tagged_item_deleted(kind) for _, kind in TAGGED_ITEMS}


def connect() -> None:
    for model, handler in HANDLERS:
        post_save.connect(handler, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(
            handler, sender=model, dispatch_uid=f"search-delete-{model._meta.label}"
        )
    for through, kind in TAGGED_ITEMS:  # rows a deleted tag takes with it
        post_delete.connect(_tagged_item_handlers[kind], sender=through,
                            dispatch_uid=f"search-untag-{through._meta.label}")  # fmt: skip
    for through, kind in MANY_TO_MANY:
        m2m_changed.connect(
            _m2m_handlers[kind], sender=through, dispatch_uid=f"search-m2m-{through._meta.label}"
        )
