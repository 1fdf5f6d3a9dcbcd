from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cms.publishing.admin import PublishableAdmin
from cms.publishing.forms import PublishableAdminForm
from films.premieres import PremiereTimedFormMixin, goes_live_text

from .models import Post


class StaffAuthorsField(forms.ModelMultipleChoiceField):
    """Staff accounts labelled by full name, never by user name or e-mail address."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class PostAdminForm(PremiereTimedFormMixin, PublishableAdminForm):
    """The publishing form, with the hours from the film's premiere checked against the film."""

    class Meta:
        widgets = {"bylines": forms.Textarea(attrs={"rows": 2, "cols": 40})}


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    form = PostAdminForm
    readonly_fields = ["goes_live_at"]
    list_display = ["title", "live", "state", "goes_live_at", "related_film", "updated_by"]
    list_filter = [*PublishableAdmin.list_filter, "related_film", "tags"]
    list_select_related = ["related_film", "updated_by"]
    search_fields = ["title", "dek", "body"]
    history_fields = [*PublishableAdmin.history_fields, "dek", "body", "bylines", "related_film"]
    # Authors are ticked from the few staff accounts rather than looked up: an autocomplete
    # would need every editor to have permission to view user accounts (and search them
    # by e-mail) and would label them by user name.
    autocomplete_fields = ["hero_image", "social_image", "related_film", "video"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body", "authors", "bylines"]}),
        (_("Presentation"), {"fields": ["hero_image", "video", "related_film", "tags"]}),
        PublishableAdmin.publishing_fieldset,
        (_("Or at the premiere"), {"fields": ["premiere_offset_hours", "goes_live_at"]}),
        PublishableAdmin.seo_fieldset,
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "authors":
            kwargs["form_class"] = StaffAuthorsField
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["queryset"] = db_field.related_model._default_manager.order_by(
                "last_name", "first_name", "pk"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("goes live at"), ordering="goes_live_at")
    def goes_live_at(self, obj: Post) -> str:
        return goes_live_text(obj)
