"""Loads, saves, deletions and many-to-many changes of public content, told to the page cache.

A row loaded while a page is built is recorded as shown by it. A row loaded anywhere else
(the admin, a script) remembers the values that place it in lists, so that its save can tell
an edit of its text (its own key moves: the pages showing it) from a change that may move it
in or out of a list or reorder one (its model's list key moves too: every list of them).
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from .keys import is_recording, keys_of, list_key, object_key, record_object
from .models import PublicContent, content_changed

SNAPSHOT = "_page_cache_list_values"
# Fields whose change moves no row in or out of a list, nor reorders one: its text, and the
# bookkeeping of who saved it when.
BOOKKEEPING = frozenset({"updated_at", "updated_by"})


def text_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields a save may change without touching any list: long text, the fields the
    model names in ``page_cache_text_fields`` (short text no list filters or sorts by, such
    as a picture's caption), and bookkeeping."""
    fields = model._meta.concrete_fields
    texts = {field.attname for field in fields if isinstance(field, models.TextField)}
    return frozenset(texts) | frozenset(getattr(model, "page_cache_text_fields", ())) | BOOKKEEPING


def list_fields(model: type[models.Model]) -> tuple[str, ...]:
    found = model.__dict__.get("_page_cache_list_fields")
    if found is None:
        skip = text_fields(model)
        found = tuple(
            field.attname for field in model._meta.concrete_fields if field.attname not in skip
        )
        model._page_cache_list_fields = found
    return found


def loaded(sender, instance: models.Model, **kwargs) -> None:
    """On a public page: the page shows this row. Elsewhere: remember its list values."""
    if is_recording():
        record_object(instance)
    elif instance.pk is not None:
        values = instance.__dict__
        instance.__dict__[SNAPSHOT] = {
            name: values[name] for name in list_fields(sender) if name in values
        }


def moves_lists(instance: models.Model, created: bool) -> bool:
    """Whether a save may change any list: a new row, one loaded unseen, or a list value."""
    before = instance.__dict__.get(SNAPSHOT)
    if created or before is None:
        return True
    values = instance.__dict__
    return any(values.get(name, value) != value for name, value in before.items())


def saved(sender, instance: models.Model, created: bool = False, using=None, **kwargs) -> None:
    keys = [object_key(instance)]
    if moves_lists(instance, created):
        keys.append(list_key(instance))
    content_changed(keys, using)
    instance.__dict__.pop(SNAPSHOT, None)
    loaded(sender, instance)  # a further save compares with what this one stored


def deleted(sender, instance: models.Model, using=None, **kwargs) -> None:
    content_changed(keys_of(instance), using)


def related_changed(sender, instance, action: str = "", using=None, model=None, pk_set=None,
                    reverse: bool = False, **kwargs) -> None:  # fmt: skip
    """Tags or people added or removed: the row's pages and its lists (a tag page) change."""
    if action.startswith("pre_"):
        return  # a many-to-many change is announced twice; its "post_" signal counts
    keys = [*keys_of(instance), list_key(sender)]
    if model is not None:
        keys.append(list_key(model))
        keys += [f"{model._meta.label_lower}:{pk}" for pk in pk_set or ()]
    content_changed(keys, using)


# Kept for the tests and callers that name the receiver of a change.
changed = saved


def watch(model: type[models.Model]) -> None:
    """Follow the loads, saves, deletions and many-to-many changes of ``model``'s rows."""
    uid = f"page-cache-{model._meta.label}"
    post_init.connect(loaded, sender=model, dispatch_uid=uid)
    post_save.connect(saved, sender=model, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, dispatch_uid=uid)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(related_changed, sender=through, dispatch_uid=f"page-cache-{through}")


def public_content_models() -> list[type[PublicContent]]:
    return [model for model in apps.get_models() if issubclass(model, PublicContent)]


def watch_public_content() -> None:
    """Follow every ``PublicContent`` model, whichever app defines it (once apps are ready)."""
    for model in public_content_models():
        watch(model)
