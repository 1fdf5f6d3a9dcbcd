from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cms.publishing.admin import PublishableAdmin

from .models import Post


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    list_display = ["title", "live", "state", "publish_at", "related_film", "updated_by"]
    list_filter = [*PublishableAdmin.list_filter, "related_film", "tags"]
    list_select_related = ["related_film", "updated_by"]
    search_fields = ["title", "dek", "body"]
    history_fields = [*PublishableAdmin.history_fields, "dek", "body", "related_film"]
    autocomplete_fields = ["authors", "hero_image", "social_image", "related_film"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body", "authors"]}),
        (_("Presentation"), {"fields": ["hero_image", "related_film", "tags"]}),
        PublishableAdmin.publishing_fieldset,
        PublishableAdmin.seo_fieldset,
    ]
