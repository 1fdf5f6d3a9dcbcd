"""The admin of every publishable page: states, publishing actions, history, share links."""

from __future__ import annotations

from datetime import timedelta

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from cms.admin_search import IndexedSearchAdminMixin
from cms.editing.admin import EditingAdminMixin
from cms.publishing.forms import PublishableAdminForm
from cms.publishing.history import RelatedRows, compare, version_document
from cms.publishing.models import Publishable, ShareLink
from cms.publishing.permissions import may_publish
from cms.publishing.review_admin import ReviewAdminMixin
from cms.publishing.scheduling import moment_text
from cms.publishing.scheduling_admin import SchedulingAdminMixin

# Editors paste addresses without a scheme; assume https, as Django 6 will.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=7,
        help_text=_("The link stops working after this many days; you can revoke it sooner."),
    )  # fmt: skip
    note = forms.CharField(label=_("For whom"), max_length=200, required=False)


class PublishingStateFilter(admin.SimpleListFilter):
    """Filter by what a viewer sees now: live, scheduled, expired or draft."""

    title = _("publishing state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live")),
            ("scheduled", _("Scheduled")),
            ("expired", _("Expired")),
            ("draft", _("Draft")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "live":
                return queryset.live()
            case "scheduled":
                return queryset.scheduled()
            case "expired":
                return queryset.expired()
            case "draft":
                return queryset.drafts()
        return queryset


class PublishableAdmin(
    IndexedSearchAdminMixin, ReviewAdminMixin, EditingAdminMixin, SchedulingAdminMixin, VersionAdmin
):
    """Lists, filters, bulk actions and history every publishable model shares.

    Every save through the admin is a revision (django-reversion) with its author; the
    history page compares any two revisions word by word and restores any of them.

    The templates are named for publishable models alone: Django's admin would use an
    ``admin/cms/change_form.html`` for every model of the ``cms`` app, the image library
    included, whose admin has no share or compare views for those templates to link to.
    """

    object_history_template = "admin/cms/publishable_object_history.html"
    change_form_template = "admin/cms/publishable_change_form.html"
    form = PublishableAdminForm
    history_fields: list[str] = ["title", "slug", "status", "publish_at", "expire_at"]
    history_related: list[RelatedRows] = []

    list_display = ["title", "live", "state", "publish_at", "updated_by"]
    list_filter = [PublishingStateFilter, "publish_at"]
    search_fields = ["title", "slug", "search_description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"
    actions = ["publish_now", "unpublish"]
    list_select_related = ["updated_by"]
    formfield_overrides = HTTPS_URL_FIELDS
    publishing_fieldset = (
        _("Publishing"),
        {
            "fields": ["status", "publish_at", "expire_at"],
            "description": _(
                "Draft, publish now, or schedule for a time still to come; a page may also be "
                "taken down at a set time. Drafts are seen only by staff, through “View on "
                "site”."
            ),
        },
    )
    seo_fieldset = (
        _("Search engines and sharing"),
        {"fields": ["seo_title", "search_description", "social_image"], "classes": ["collapse"]},
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_state()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.history_fields, form.history_related = self.history_fields, self.history_related
        form.can_publish = self.has_publish_permission(request, obj)
        return form

    def has_publish_permission(self, request: HttpRequest, obj=None) -> bool:
        """Publish, schedule and unpublish: the model's ``publish_<model>`` permission."""
        return may_publish(request.user, self.model)

    def get_fieldsets(self, request, obj=None):
        # The hidden edit token travels with the first fieldset.
        fieldsets = super().get_fieldsets(request, obj)
        first_name, first = fieldsets[0]
        return [(first_name, {**first, "fields": [*first["fields"], "edit_token"]}),
                *fieldsets[1:]]  # fmt: skip

    @admin.display(description=_("state"), ordering="state")
    def state(self, obj: Publishable) -> str:
        """What viewers see now, with the moment it changes, in the editor's time zone."""
        match obj.state:
            case "scheduled":
                when = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
                return _("Scheduled for %(when)s") % {"when": when}
            case "expired":
                when = date_format(timezone.localtime(obj.expire_at), "DATETIME_FORMAT")
                return _("Expired %(when)s") % {"when": when}
            case "live":
                return _("Live")
        return _("Draft")

    @admin.display(description=_("live"), boolean=True, ordering="is_live")
    def live(self, obj: Publishable) -> bool:
        return obj.is_live

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def log_bulk_change(self, request: HttpRequest, ids: list[int], message: str) -> None:
        """Record a bulk action in each item's history, as a save would: a revision each."""
        for obj in self.model.objects.filter(pk__in=ids):
            self.log_change(request, obj, message)
            with reversion.create_revision():
                reversion.add_to_revision(obj)
                reversion.set_user(request.user)
                reversion.set_comment(message)

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        share = path(
            "<path:object_id>/share/",
            self.admin_site.admin_view(self.share_view),
            name=f"{opts.app_label}_{opts.model_name}_share",
        )
        return [compare, share, *super().get_urls()]

    def share_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Create and revoke links that show this page, as saved, to people without accounts."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        content_type = ContentType.objects.get_for_model(obj)
        links = ShareLink.objects.filter(content_type=content_type, object_id=obj.pk)
        form = ShareLinkForm(request.POST if request.POST.get("action") == "create" else None)
        if request.method == "POST":
            if request.POST.get("action") == "revoke":
                link_id = request.POST.get("link", "")
                revoked = links.filter(pk=int(link_id) if link_id.isdigit() else None,
                                       revoked_at__isnull=True)  # fmt: skip
                if revoked.update(revoked_at=timezone.now()):
                    self.message_user(request, _("The link was revoked; it no longer opens."))
                return redirect(request.path)
            if form.is_valid():
                link = ShareLink.objects.create(
                    content_object=obj,
                    created_by=request.user,
                    note=form.cleaned_data["note"],
                    expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                )
                self.message_user(
                    request,
                    _("Link created. Anyone with it can read this page until %(when)s.")
                    % {"when": moment_text(link.expires_at)},
                    messages.SUCCESS,
                )
                return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Share a preview of %(object)s") % {"object": obj},
            "form": form,
            "links": [
                {"link": link, "url": request.build_absolute_uri(link.get_absolute_url())}
                for link in links.select_related("created_by")
            ],
        }
        return TemplateResponse(request, "admin/cms/share.html", context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """Reversion's history list, with each version's id for the compare form."""
        response = super().history_view(request, object_id, extra_context)
        for action in getattr(response, "context_data", {}).get("action_list", []):
            action["version_id"] = int(action["url"].rstrip("/").rsplit("/", 1)[-1])
        return response

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Two versions side by side (``?old=<id>&new=<id>``), changed words highlighted."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            chosen = sorted(
                (versions.get(pk=int(request.GET[key])) for key in ("old", "new")),
                key=lambda v: v.revision.date_created,
            )
        except (KeyError, ValueError, Version.DoesNotExist):
            self.message_user(request, _("Choose two versions to compare."), messages.WARNING)
            return redirect(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", object_id
            )
        old, new = (version_document(v, self.history_fields, self.history_related) for v in chosen)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Compare versions of %(object)s") % {"object": obj},
            "old": chosen[0],
            "new": chosen[1],
            "rows": compare(old, new),
        }
        return TemplateResponse(request, "admin/cms/compare.html", context)
