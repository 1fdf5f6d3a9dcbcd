"""The image library's admin."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cms.media.forms import LibraryImageField
from cms.media.models import Image

# Editors paste addresses without a scheme; assume https, as Django 6 will.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    formfield_overrides = {models.ImageField: {"form_class": LibraryImageField}}
    list_display = ["thumbnail", "alt_text", "caption", "credit", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit", "file"]
    date_hierarchy = "created_at"
    fields = ["file", "preview", "alt_text", "caption", "credit", "licence_expires_on",
              "focal_x", "focal_y"]  # fmt: skip
    readonly_fields = ["preview"]

    @admin.display(description=_("image"))
    def thumbnail(self, obj: Image) -> str:
        return format_html(
            '<img src="{}" alt="" width="80" style="height:auto">', obj.url
        ) if obj.file else "—"  # fmt: skip

    @admin.display(description=_("preview"))
    def preview(self, obj: Image) -> str:
        if not obj.file:
            return "—"
        return format_html('<img src="{}" alt="{}" style="max-width:480px;height:auto">',
                           obj.url, obj.alt_text)  # fmt: skip

    @admin.display(description=_("size"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "—"
