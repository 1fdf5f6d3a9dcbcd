"""Where library images are used, found through Django's model registry.

The kit knows no domain app, yet films, interviews, posts and people point at images.
Every foreign key and many-to-many field aimed at the image model is read from
``_meta`` once the apps are loaded, so a new app's image field counts without being
named here. Rich text cannot hold images (``cms.richtext.ALLOWED_TAGS`` has no ``<img>``),
so fields are the only way to use one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

# Rows shown per field in "Used on"; one more is fetched to know that there are more.
USES_SHOWN_PER_FIELD = 50


@functools.cache
def relations_to(target: type[models.Model]) -> tuple[models.Field, ...]:
    """Every concrete FK, one-to-one and many-to-many field of any model that points at ``target``.

    Fields of ``target``'s own parts (its renditions) are not uses: they are listed in
    ``target.PARTS``. Proxies share their concrete model's table, so they are skipped.
    """
    parts = set(getattr(target, "PARTS", ()))
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model._meta.label in parts:
            continue
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if field.is_relation and field.related_model is target:
                found.append(field)
    return tuple(found)


def used_condition(target: type[models.Model]) -> Q:
    """True for the rows of ``target`` some field points at: one EXISTS per field."""
    condition = Q(pk__in=[])
    for field in relations_to(target):
        rows = field.model._base_manager.filter(**{field.name: OuterRef("pk")})
        condition |= Q(Exists(rows))
    return condition


@dataclass(frozen=True)
class Use:
    """One row that uses an image: ``owner`` is what an editor opens to change it.

    For a row edited inline in another's form (an interview's figure), the owner is that
    other row, reached through the row's first foreign key to a model that is not the image.
    """

    field: models.Field
    row: models.Model
    owner: models.Model

    @property
    def describes(self) -> str:
        """How the owner uses the image: "hero image", or "figure" for a row of its own."""
        if self.owner is self.row:
            return str(self.field.verbose_name)
        return str(self.row._meta.verbose_name)


def owner_field(field: models.Field, registered) -> models.ForeignKey | None:
    """The foreign key leading from ``field``'s model to its owner, if it is not its own."""
    if registered(field.model):
        return None
    for candidate in field.model._meta.concrete_fields:
        if candidate.many_to_one and candidate is not field and registered(candidate.related_model):
            return candidate
    return None


def uses_of(image: models.Model, registered) -> tuple[list[Use], bool]:
    """Every row using ``image`` and whether some were left out, in one query per field.

    ``registered(model)`` says whether the model has pages of its own to open (the admin's
    registry); rows of other models are shown through their owner, fetched with them.
    """
    uses: list[Use] = []
    more = False
    for field in relations_to(type(image)):
        parent = owner_field(field, registered)
        rows = field.model._default_manager.filter(**{field.name: image}).order_by("pk")
        if parent is not None:
            rows = rows.select_related(parent.name)
        found = list(rows[: USES_SHOWN_PER_FIELD + 1])
        more |= len(found) > USES_SHOWN_PER_FIELD
        for row in found[:USES_SHOWN_PER_FIELD]:
            owner = getattr(row, parent.name) if parent is not None else row
            if owner is not None:
                uses.append(Use(field, row, owner))
    return uses, more
