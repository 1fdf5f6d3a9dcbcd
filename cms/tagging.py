"""Tags: through-models with real foreign keys and natural keys; slugs that are never empty."""

import re
import unicodedata

from django.utils.text import slugify
from taggit.models import TagBase, TaggedItemBase

from cms.page_cache.models import PublicContent, PublicContentManager


class TaggedItemManager(PublicContentManager):
    def get_by_natural_key(self, slug: str, tag_name: str):
        return self.get(content_object__slug=slug, tag__name=tag_name)


class SlugTaggedItem(PublicContent, TaggedItemBase):
    """A tag on a slugged content object; subclasses add ``content_object`` as a foreign key."""

    objects = TaggedItemManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[str | None, str | None]:
        # Unresolved references while a fixture loads mean no stored row can match yet.
        return (
            self.content_object.slug if self.content_object_id else None,
            self.tag.name if self.tag_id else None,
        )


# Characters with no place in a name: combining marks, format characters (emoji variation
# selectors, zero-width joiners), controls.
_UNNAMED_CATEGORIES = ("M", "Cf", "Cc")


def readable_tag_slug(name: str) -> str:
    """A slug for ``name`` that is never empty, for tags made only of symbols.

    ``slugify`` drops punctuation and emoji, so "★" would get an empty slug and every page
    linking to it would fail; such a tag is named by its characters instead ("black-star").
    """
    slug = slugify(name, allow_unicode=True)
    if slug:
        return slug
    words = [
        unicodedata.name(char, f"u{ord(char):04x}")
        for char in name
        if not char.isspace() and not unicodedata.category(char).startswith(_UNNAMED_CATEGORIES)
    ]
    return slugify(" ".join(words))[:90].strip("-") or "tag"


def unique_tag_slug(tag: TagBase) -> str:
    """``readable_tag_slug`` of the tag's name, with a number added if another tag has it."""
    base = readable_tag_slug(tag.name)[:90]
    taken = set(
        type(tag)
        ._default_manager.filter(slug__startswith=base)
        .exclude(pk=tag.pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def give_tag_a_slug(sender, instance: TagBase, **kwargs) -> None:
    """Before a tag is saved: replace an empty slug (or taggit's bare "_1" retry) by a real one."""
    if not_a_slug(instance.slug):
        instance.slug = unique_tag_slug(instance)


def not_a_slug(slug: str) -> bool:
    """Empty, or only the "_1" taggit adds to an empty slug when retrying after a clash."""
    return slug == "" or re.fullmatch(r"_\d+", slug) is not None
