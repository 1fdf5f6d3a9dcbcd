"""Resources and subjects in the admin.

A resource is edited like any published page (``PublishableAdmin``: states, publish and
unpublish, history, stale-edit protection), grouped as an editor thinks of it: what it
is, who it is for, and the PDF or the link. The PDF is checked and cleaned by the form
(``ResourceAdminForm``) before anything is stored.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cms.publishing.admin import HTTPS_URL_FIELDS, PublishableAdmin

from .resource_forms import PdfInput, ResourceAdminForm
from .resources import Resource, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(PublishableAdmin):
    form = ResourceAdminForm
    formfield_overrides = {**HTTPS_URL_FIELDS, models.FileField: {"widget": PdfInput}}
    list_display = ["title", "kind", "film", "grades", "live", "state", "updated_by"]
    list_filter = [*PublishableAdmin.list_filter, "kind", "film", "language", "subjects"]
    list_select_related = ["film", "updated_by"]
    search_fields = ["title", "summary", "film__title"]
    autocomplete_fields = ["film", "subjects", "social_image"]
    readonly_fields = ["pdf_details"]
    history_fields = [*PublishableAdmin.history_fields, "film", "kind", "summary",
                      "for_educators", "for_hosts", "for_students", "grade_from", "grade_to",
                      "language", "file", "url"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["title", "slug", "film", "kind", "summary"]}),
        (
            _("Who it is for"),
            {
                "fields": [
                    ("for_educators", "for_hosts", "for_students"),
                    ("grade_from", "grade_to"),
                    "subjects",
                    "language",
                ],
                "description": _("Teachers find resources on /resources/ by these."),
            },
        ),
        (
            _("PDF or link"),
            {
                "fields": ["file", "pdf_details", "url"],
                "description": _("Upload a PDF, or give the address where the resource lives."),
            },
        ),
        PublishableAdmin.publishing_fieldset,
        PublishableAdmin.seo_fieldset,
    ]

    @admin.display(description=_("grades"))
    def grades(self, obj: Resource) -> str:
        return obj.grades_text

    @admin.display(description=_("stored PDF"))
    def pdf_details(self, obj: Resource) -> str:
        if not obj.pk or not obj.file:
            return "—"
        url = reverse("outreach:resource-download", kwargs={"slug": obj.slug})
        return format_html('<a href="{}">{}</a>', url, obj.file_text)

    @admin.display(description=_("state"), ordering="state")
    def state(self, obj: Resource) -> str:
        """The page's state, saying when a published resource waits for its film to go live."""
        waiting = obj.status == Resource.Status.PUBLISHED and obj.state == "draft"
        return _("Published, waiting for its film") if waiting else super().state(obj)
