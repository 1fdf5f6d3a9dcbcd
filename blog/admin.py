from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cms.publishing.admin import PublishableAdmin
from cms.publishing.forms import PublishableAdminForm
from films.premieres import PremiereTimedFormMixin, goes_live_text

from .models import Post


class PostAdminForm(PremiereTimedFormMixin, PublishableAdminForm):
    """The publishing form, with the hours from the film's premiere checked against the film."""


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    form = PostAdminForm
    readonly_fields = ["goes_live_at"]
    list_display = ["title", "live", "state", "goes_live_at", "related_film", "updated_by"]
    list_filter = [*PublishableAdmin.list_filter, "related_film", "tags"]
    list_select_related = ["related_film", "updated_by"]
    search_fields = ["title", "dek", "body"]
    history_fields = [*PublishableAdmin.history_fields, "dek", "body", "related_film"]
    autocomplete_fields = ["authors", "hero_image", "social_image", "related_film", "video"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body", "authors"]}),
        (_("Presentation"), {"fields": ["hero_image", "video", "related_film", "tags"]}),
        PublishableAdmin.publishing_fieldset,
        (_("Or at the premiere"), {"fields": ["premiere_offset_hours", "goes_live_at"]}),
        PublishableAdmin.seo_fieldset,
    ]

    @admin.display(description=_("goes live at"), ordering="goes_live_at")
    def goes_live_at(self, obj: Post) -> str:
        return goes_live_text(obj)
