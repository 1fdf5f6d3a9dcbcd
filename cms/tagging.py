"""Tag through-models with real foreign keys and natural keys, one per content model."""

from django.db import models
from taggit.models import TaggedItemBase


class TaggedItemManager(models.Manager):
    def get_by_natural_key(self, slug: str, tag_name: str):
        return self.get(content_object__slug=slug, tag__name=tag_name)


class SlugTaggedItem(TaggedItemBase):
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
