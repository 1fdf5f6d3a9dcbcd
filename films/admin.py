from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cms.admin import HTTPS_URL_FIELDS
from cms.publishing.admin import PublishableAdmin
from cms.publishing.history import RelatedRows
from cms.sortable_admin import OrderedTabularInline

from .availability import AvailabilityWindow
from .forms import AvailabilityWindowForm, AvailabilityWindowFormSet, ScreeningForm
from .models import Credit, Film, Person, Screening
from .video_admin import VideoInline


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]


class CreditInline(OrderedTabularInline):
    """Credits in the order the film's page lists them, dragged or moved by keyboard."""

    model = Credit
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "sort_order"]


class ScreeningInline(admin.StackedInline):
    model = Screening
    form = ScreeningForm
    extra = 0
    classes = ["collapse"]
    formfield_overrides = HTTPS_URL_FIELDS
    show_change_link = True
    fields = [
        ("kind", "status"),
        "title",
        ("venue", "city", "region", "country"),
        "time_zone",
        ("starts_at", "ends_at"),
        "local_broadcast_time",
        "tickets_url",
    ]


class AvailabilityWindowInline(admin.StackedInline):
    """Where to watch the film: each platform's window, its countries, dates and note."""

    model = AvailabilityWindow
    form = AvailabilityWindowForm
    formset = AvailabilityWindowFormSet
    extra = 0
    classes = ["collapse"]
    fields = [("platform", "service"), "url", "regions", ("starts_at", "ends_at"), "price_note"]


@admin.register(Film)
class FilmAdmin(PublishableAdmin):
    list_display = ["title", "year", "live", "state", "publish_at", "updated_by"]
    list_filter = [*PublishableAdmin.list_filter, "year", "tags"]
    search_fields = ["title", "logline", "synopsis", "people__name"]
    autocomplete_fields = ["poster", "social_image"]
    inlines = [CreditInline, ScreeningInline, AvailabilityWindowInline]
    inlines += [VideoInline]  # trailers and clips (films/video_admin.py)
    history_fields = [*PublishableAdmin.history_fields, "logline", "synopsis", "year",
                      "runtime_minutes", "broadcast_runtime_minutes", "trailer_url"]  # fmt: skip
    history_related = [
        RelatedRows(Credit, "film", "sort_order", "Credit {n}", ("person", "role")),
        RelatedRows(Screening, "film", "starts_at", "Screening {n}",
                    ("title", "venue", "city", "starts_at", "status")),
        RelatedRows(AvailabilityWindow, "film", "starts_at", "Window {n}",
                    ("platform", "service", "regions", "starts_at", "ends_at")),
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["title", "slug", "logline", "synopsis", "tags"]}),
        (
            _("Details"),
            {
                "fields": [
                    ("year", "runtime_minutes", "broadcast_runtime_minutes"),
                    "poster",
                    "trailer_url",
                    "official_site",
                ]
            },
        ),
        PublishableAdmin.publishing_fieldset,
        PublishableAdmin.seo_fieldset,
    ]


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    form = ScreeningForm
    list_display = ["__str__", "kind", "status", "city", "starts_at", "local_broadcast_time"]
    list_filter = ["kind", "status", "film", "country", "starts_at"]
    search_fields = ["title", "venue", "city", "film__title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["film"]
    list_select_related = ["film"]
    formfield_overrides = HTTPS_URL_FIELDS
    fieldsets = [
        (None, {"fields": ["film", ("kind", "status"), "title"]}),
        (
            _("Where"),
            {
                "fields": [
                    "venue",
                    ("address", "postcode"),
                    ("city", "region", "country"),
                    "organizer",
                    "accessibility",
                ]
            },
        ),  # fmt: skip
        (
            _("When"),
            {
                "fields": ["time_zone", ("starts_at", "ends_at"), "local_broadcast_time"],
                "description": _(
                    "Enter times as they read on the venue's clock in the time zone chosen here "
                    "(for a national broadcast, the clock time it airs everywhere). "
                    "Ignore the admin's note about your own time zone."
                ),
            },
        ),
        (None, {"fields": ["tickets_url", "notes"]}),
    ]
