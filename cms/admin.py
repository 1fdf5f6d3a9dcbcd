"""The kit's admin: every list guarded against bad query strings, tags, the image library,
the site settings."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .mail import admin as mail_admin  # noqa: F401 - registers the outbox
from .media import admin as media_admin  # noqa: F401 - registers the image library
from .site_settings import SiteSettings, SocialLink
from .sortable_admin import OrderedTabularInline

# Editors paste addresses without a scheme; assume https, as Django 6 will.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class GuardedChangeList(ChangeList):
    """Django's change list, answering a date out of range in the query string as a bad filter.

    Django already turns a malformed filter into its "?e=1" redirect, but a year outside
    1-9999 gets past it: into date arithmetic (``publish_at__year=9999`` asks where 10000
    begins) or into the SQL compiler when the list is counted (``created_at__year=0``),
    which raise ValueError or OverflowError, a 500. Only a filtered list is treated so; an
    error in the unfiltered list is a bug and still surfaces.
    """

    def get_filters(self, request: HttpRequest):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request: HttpRequest) -> None:
        try:
            super().get_results(request)
        except (ValueError, OverflowError) as exc:
            if not self.get_filters_params():
                raise
            raise IncorrectLookupParameters(exc) from exc


class GuardedChangeListMixin:
    """Lists rows with :class:`GuardedChangeList`; ``guard_every_change_list`` adds it."""

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return GuardedChangeList


# taggit's own admin offers "Merge selected tags", which moves taggit's generic tag links;
# content here is tagged through one link table per model, which that merge never touches,
# so it would report a merge it did not make. Tags are named, renamed and deleted instead.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SocialLinkInline(OrderedTabularInline):
    model = SocialLink
    fields = ["sort_order", "network", "url"]
    extra = 0
    formfield_overrides = HTTPS_URL_FIELDS


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row, edited in place: the list opens it, and it is never added twice or deleted."""

    singleton = True  # its list sends the editor to the row (the admin sweep's tests know)
    inlines = [SocialLinkInline]
    fieldsets = [
        (None, {"fields": ["organisation_name"]}),
        (_("The organisation's pages"),
         {"fields": ["about_url", "contact_url", "privacy_url", "accessibility_url"]}),
        (_("Support"), {"fields": ["donate_url", "donate_label", "newsletter_url"]}),
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Never by hand: the list makes the one row (``changelist_view``). Asking whether it
        exists would cost a query on every admin page (the navigation asks)."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The row's change form (made with its defaults the first time)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        row = SiteSettings.load()
        return HttpResponseRedirect(reverse("admin:cms_sitesettings_change", args=[row.pk]))

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        """The row, made with its defaults if a permitted editor opens it before it exists."""
        if object_id == str(SiteSettings.SINGLETON_PK) and self.has_view_or_change_permission(
            request
        ):
            return SiteSettings.load()
        return super().get_object(request, object_id, from_field)

    def response_post_save_change(self, request: HttpRequest, obj: SiteSettings) -> HttpResponse:
        """Back to the form after a save: there is no list to go to."""
        return HttpResponseRedirect(request.path)


def guard_every_change_list(site: admin.AdminSite) -> None:
    """Give every registered admin, ours and other apps' (auth's, axes'), the guarded list.

    Called once the admin has discovered every ``admin`` module, so that no list in the
    admin answers a year out of range in its query string with a 500, and no new admin
    needs to remember a mixin.
    """
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, GuardedChangeListMixin):
            admin_class = type(model_admin)
            guarded = type(admin_class.__name__, (GuardedChangeListMixin, admin_class), {})
            site.unregister(model)
            site.register(model, guarded)


class AccessAttemptCleanupMixin:
    """django-axes' "Clean up expired attempts" reads ``request.axes_attempt_time``, which only
    its sign-in handling sets, so the action crashed with a 500 (axes 8.3): set it first."""

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset) -> None:
        request.axes_attempt_time = timezone.now()
        super().cleanup_expired_attempts(request, queryset)


def mend_axes_cleanup_action(site: admin.AdminSite) -> None:
    """Register axes' access-attempt admin again with the mended clean-up action."""
    from axes.models import AccessAttempt

    model_admin = site._registry.get(AccessAttempt)
    if model_admin is not None and not isinstance(model_admin, AccessAttemptCleanupMixin):
        admin_class = type(model_admin)
        site.unregister(AccessAttempt)
        site.register(
            AccessAttempt, type(admin_class.__name__, (AccessAttemptCleanupMixin, admin_class), {})
        )
