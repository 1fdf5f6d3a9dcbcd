"""Which saves and deletions change which entries of the index, read from the declarations.

A declared document is re-indexed when its own row changes, and when a row its text is
read from changes: every step of each path in its ``depends_on`` (``"credits__person"``
watches credits, then people) and every many-to-many link along the way. Deletions are
caught before the rows go (``pre_delete``), while the links to them can still be followed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_delete

from cms.searching import SearchDocument

from . import registry
from .indexing import schedule


@dataclass(frozen=True)
class Step:
    """One step of a dependency path: from ``source`` (reached by ``prefix``) to ``model``.

    The document's own model is the step with an empty ``path`` and no ``relation``.
    """

    document: SearchDocument
    path: str
    prefix: str
    source: type[models.Model]
    model: type[models.Model]
    relation: models.Field | models.ForeignObjectRel | None = None

    def reached(self, source_ids) -> list[int]:
        """Ids of the documents whose path reaches these rows of ``source``."""
        source_ids = [pk for pk in source_ids if pk is not None]
        if not self.prefix or not source_ids:
            return source_ids
        rows = self.document.model._default_manager.filter(**{f"{self.prefix}__in": source_ids})
        return list(rows.values_list("pk", flat=True))

    def changed(self, instance: models.Model) -> list[int]:
        """Ids of the documents that read ``instance``, a row of ``model``."""
        if self.relation is None:
            return [instance.pk]
        if isinstance(self.relation, models.ForeignObjectRel) and not self.relation.many_to_many:
            # The changed row holds the foreign key to the source: no query to follow it.
            return self.reached([getattr(instance, self.relation.field.attname)])
        rows = self.document.model._default_manager.filter(**{self.path: instance.pk})
        return list(rows.values_list("pk", flat=True))

    def relinked(self, instance, action: str, pk_set, through) -> list[int]:
        """Ids of the documents whose many-to-many links at this step changed."""
        if isinstance(instance, self.source):
            if action in {"post_add", "post_remove", "post_clear"}:
                return self.reached([instance.pk])
        elif action in {"post_add", "post_remove"}:
            return self.reached(pk_set)
        elif action == "pre_clear":  # from the other side: read the links before they go
            return self.reached(linked_ids(through, instance, self.source))
        return []


def steps(document: SearchDocument) -> list[Step]:
    """The document's own model, then every step of every path it depends on."""
    model = document.model
    found = {"": Step(document, "", "", model, model)}
    for path in document.depends_on:
        source, prefix = model, ""
        for name in path.split("__"):
            try:
                relation = source._meta.get_field(name)
            except FieldDoesNotExist as error:
                raise ImproperlyConfigured(
                    f"{document!r} depends on {path!r}, but {error}"
                ) from error
            if not relation.is_relation:
                raise ImproperlyConfigured(f"{document!r}: {name!r} in {path!r} is no relation.")
            here = f"{prefix}__{name}" if prefix else name
            step = Step(document, here, prefix, source, relation.related_model, relation)
            found.setdefault(here, step)
            source, prefix = relation.related_model, here
    return list(found.values())


def through_model(relation) -> type[models.Model]:
    return getattr(relation, "through", None) or relation.remote_field.through


def linked_ids(through, instance, model) -> list[int]:
    """Ids of ``model`` rows the ``through`` table links to ``instance``."""
    fields = through._meta.fields
    source = next(f for f in fields if f.is_relation and isinstance(instance, f.related_model))
    target = next(f for f in fields if f.is_relation and f.related_model is model)
    return list(
        through.objects.filter(**{source.name: instance}).values_list(target.attname, flat=True)
    )


_watched: dict[type[models.Model], list[Step]] = defaultdict(list)
_linked: dict[type[models.Model], list[Step]] = defaultdict(list)


def row_changed(sender, instance, **kwargs) -> None:
    for step in _watched.get(sender, ()):
        schedule(step.document.kind, *step.changed(instance))


def links_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    for step in _linked.get(sender, ()):
        schedule(step.document.kind, *step.relinked(instance, action, pk_set, sender))


def connect() -> None:
    _watched.clear()
    _linked.clear()
    for document in registry.documents():
        for step in steps(document):
            _watched[step.model].append(step)
            if step.relation is not None and step.relation.many_to_many:
                _linked[through_model(step.relation)].append(step)
    for model in _watched:
        label = model._meta.label
        post_save.connect(row_changed, sender=model, dispatch_uid=f"search-save-{label}")
        pre_delete.connect(row_changed, sender=model, dispatch_uid=f"search-delete-{label}")
    for through in _linked:
        label = through._meta.label
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"search-m2m-{label}")
