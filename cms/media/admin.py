"""The image library's admin: a grid of thumbnails, filters for tidying, a picker with pictures.

The list is a grid of square renditions (``Image.LIBRARY_SIZES``), made by the worker once
an image is saved, or else on first view by the rendition address below rather than by
the list itself, so a page of the grid costs the
same queries whether its thumbnails exist yet or not. The change form sets the focal point
by a click on the picture, hints at doubtful alt text and lists every row using the image.
"""

from __future__ import annotations

import functools

from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cms.media.alt_text import HINTS
from cms.media.forms import LibraryImageField
from cms.media.models import Image
from cms.media.tasks import queue_renditions
from cms.media.widgets import ImageMultiplePicker, ImagePicker

# Editors paste addresses without a scheme; assume https, as Django 6 will.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class UseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("Unused"))]

    def queryset(self, request, queryset):
        return queryset.unused() if self.value() == "unused" else queryset


class CreditFilter(admin.SimpleListFilter):
    title = _("credit")
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing credit"))]

    def queryset(self, request, queryset):
        return queryset.missing_credit() if self.value() == "missing" else queryset


class LicenceFilter(admin.SimpleListFilter):
    title = _("licence")
    parameter_name = "licence"
    EXPIRING_DAYS = 30

    def lookups(self, request, model_admin):
        return [
            ("expiring", _("Expires in the next %(days)d days") % {"days": self.EXPIRING_DAYS}),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.licence_expiring(self.EXPIRING_DAYS)
        if self.value() == "expired":
            return queryset.licence_expired()
        return queryset


class AltTextFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("review", _("To review"))]

    def queryset(self, request, queryset):
        return queryset.alt_text_to_review() if self.value() == "review" else queryset


def library_src(image: Image, size: str, site: admin.AdminSite) -> str:
    """The address of the image's library rendition: the file if it exists, else its maker."""
    stored = image.stored_library_rendition(size)
    if stored is not None:
        return stored.file.url
    return reverse(f"{site.name}:cms_image_rendition", args=[quote(image.pk), size])


class ImageAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete for fields that pick images, with a thumbnail in each result."""

    def process_request(self, request: HttpRequest):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if not issubclass(model_admin.model, Image):
            raise PermissionDenied  # the image picker's address picks images only
        return term, model_admin, source_field, to_field_name

    def serialize_result(self, obj: Image, to_field_name: str) -> dict:
        return super().serialize_result(obj, to_field_name) | {
            "thumbnail": library_src(obj, "thumbnail", self.admin_site)
        }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    formfield_overrides = {models.ImageField: {"form_class": LibraryImageField}}
    list_display = ["alt_text", "credit", "created_at"]
    list_filter = [UseFilter, CreditFilter, LicenceFilter, AltTextFilter]
    list_per_page = 48
    search_fields = ["alt_text", "caption", "credit", "file"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["file", "focal_picker", "alt_text", "alt_text_check", "caption",
                           "credit", "licence_expires_on"]}),
        (_("Focal point in numbers"), {
            "classes": ["collapse"],
            "fields": ["focal_x", "focal_y"],
            "description": _("The same point as a click on the picture sets, for keyboards."),
        }),
    ]  # fmt: skip
    readonly_fields = ["focal_picker", "alt_text_check"]

    class Media:
        css = {"all": ["css/admin-images.css"]}
        js = ["js/admin-image-form.js"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_library_renditions()

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """Search with the term's NUL characters dropped: PostgreSQL refuses them (a 500)."""
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def get_urls(self):
        own = [
            path(
                "autocomplete/",
                self.admin_site.admin_view(
                    ImageAutocompleteJsonView.as_view(admin_site=self.admin_site)
                ),
                name="cms_image_autocomplete",
            ),
            path(
                "<path:object_id>/rendition/<slug:size>/",
                self.admin_site.admin_view(self.rendition_view),
                name="cms_image_rendition",
            ),
        ]
        return [*own, *super().get_urls()]

    def rendition_view(self, request: HttpRequest, object_id: str, size: str) -> HttpResponse:
        """Send the browser to a library rendition, making it first if it does not exist."""
        if size not in Image.LIBRARY_SIZES:
            raise Http404("No such size.")
        image = self.get_object(request, unquote(object_id))
        if image is None:
            raise Http404("No such image.")
        if not self.has_view_or_change_permission(request, image):
            raise PermissionDenied
        try:
            rendition = image.library_rendition(size)
        except OSError as exc:  # a file gone missing or unreadable: no picture, not a 500
            raise Http404("The image's file cannot be read.") from exc
        return HttpResponseRedirect(rendition.file.url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The change form, with "Used on" (only when shown: a save that succeeds skips it)."""
        if change and obj is not None:
            context.update(self.used_on(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def used_on(self, request: HttpRequest, image: Image) -> dict:
        """The rows using ``image``, each linked to its admin page if the editor may open it."""
        site = self.admin_site
        uses, more = image.uses(site.is_registered)
        shown = []
        for use in uses:
            owner = use.owner
            owner_admin = site.get_model_admin(type(owner))
            url = None
            if owner_admin.has_view_or_change_permission(request, owner):
                opts = owner._meta
                try:
                    url = reverse(
                        f"{site.name}:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(owner.pk)],
                    )
                except NoReverseMatch:
                    url = None
            shown.append({"use": use, "owner": owner, "kind": owner._meta.verbose_name,
                          "url": url})  # fmt: skip
        return {"image_uses": shown, "image_uses_more": more}

    # What a rendition is made from: a change to any of them queues new renditions.
    RENDITION_SOURCE_FIELDS = frozenset({"file", "focal_x", "focal_y"})

    def save_model(self, request: HttpRequest, obj: Image, form, change: bool) -> None:
        """An editor saving the form with its alt text has reviewed what the importer set.

        A new upload, a replaced file or a moved focal point queues the image's renditions
        for the worker (``Image.save`` has dropped the old ones).
        """
        obj.alt_text_needs_review = False
        super().save_model(request, obj, form, change)
        if not change or self.RENDITION_SOURCE_FIELDS.intersection(form.changed_data):
            queue_renditions(obj)

    @admin.display(description=_("picture"))
    def focal_picker(self, obj: Image) -> str:
        """The picture to click for the focal point, with its marker (``admin-image-form.js``)."""
        if not obj.pk or not obj.file:
            return _("The picture appears here once the image is saved.")
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" alt="{}" class="focal-picker-image" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>'
            '<p class="focal-picker-help">{}</p>'
            '<p class="focal-picker-help" aria-live="polite" data-focal-status></p>',
            library_src(obj, "preview", self.admin_site),
            obj.alt_text,
            obj.width or "",
            obj.height or "",
            _(
                "Click the part of the picture that must stay in view when it is cropped; "
                "save to apply. By keyboard: “Focal point in numbers” below."
            ),
        )

    @admin.display(description=_("alt text check"))
    def alt_text_check(self, obj: Image) -> str:
        """Hints about the alt text, redone by ``admin-image-form.js`` as the editor types."""
        hints = obj.alt_text_hints
        sentences = {key: str(long) for key, (long, _short) in HINTS.items()}
        return format_html(
            '<div class="alt-text-hints{}" id="alt-text-hints" data-alt-text-hints'
            ' aria-live="polite" data-looks-fine="{}" data-hint-empty="{}"'
            ' data-hint-file-name="{}" data-hint-redundant-prefix="{}" data-hint-to-review="{}">'
            "<ul>{}</ul></div>",
            " has-hints" if hints else "",
            _("Looks fine."),
            sentences["empty"],
            sentences["file_name"],
            sentences["redundant_prefix"],
            sentences["to_review"] if obj.alt_text_needs_review else "",
            format_html_join("", "<li>{}</li>", ((hint,) for hint in hints or [_("Looks fine.")])),
        )


class ImagePickerAdminMixin:
    """An admin whose autocomplete fields for library images show thumbnails."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and picks_image(self, db_field, request):
            kwargs["widget"] = ImagePicker(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and picks_image(self, db_field, request):
            kwargs["widget"] = ImageMultiplePicker(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        return [with_image_pickers(inline) for inline in super().get_inlines(request, obj)]


def picks_image(model_admin, db_field, request) -> bool:
    related = db_field.related_model
    return (
        isinstance(related, type)
        and issubclass(related, Image)
        and db_field.name in model_admin.get_autocomplete_fields(request)
    )


@functools.cache
def with_image_pickers(admin_class: type) -> type:
    """``admin_class`` with ``ImagePickerAdminMixin`` (itself if it has it already)."""
    if issubclass(admin_class, ImagePickerAdminMixin):
        return admin_class
    return type(admin_class.__name__, (ImagePickerAdminMixin, admin_class), {})


def show_thumbnails_in_image_pickers(site: admin.AdminSite) -> None:
    """Give every registered admin and its inlines the image picker, as the guard is given.

    Called once the admin has discovered every ``admin`` module (``CmsConfig.ready``), so
    no app that points at images needs to know the picker exists.
    """
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        if not issubclass(admin_class, ImagePickerAdminMixin):
            site.unregister(model)
            site.register(model, with_image_pickers(admin_class))
