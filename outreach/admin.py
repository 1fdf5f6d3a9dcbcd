"""Outreach in the admin: the editors' queue of host requests, RSVPs, and resources.

A host request is approved from its change page in one press ("Approve and list"), after
any correction to the film, venue or times on that same page; declining asks for the
reason, which the host is e-mailed. Each step is a django-reversion revision with its
comment, listed as the request's history. Guestlists show their RSVPs to editors and
download them as CSV; attendee data never leaves the admin otherwise.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Count, Q, Sum, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError
from reversion.models import Version

from films.forms import WallClockDateTimeField

from . import resource_admin  # noqa: F401 - registers the resources' admin
from .guestlists import Guestlist, Rsvp, rsvps_csv_response
from .host_requests import HostRequest

# What an editor may correct before approving: the film, the venue and the times.
LISTING_FIELDS = [
    "film",
    "venue_name",
    "address",
    ("city", "region", "postal_code"),
    "country",
    "time_zone",
    ("starts_at", "ends_at"),
]
# What the host sent about themselves and the event: shown, never changed by editors.
REQUEST_FIELDS = [
    "organisation",
    ("contact_name", "email_link", "phone_link"),
    ("format", "audience_size", "takes_rsvps"),
    ("captions", "sign_language", "step_free", "assistive_listening"),
    "note",
]
DECISION_FIELDS = [
    ("status", "created_at", "updated_at"),
    ("decided_at", "decided_by"),
    "decline_reason",
    "listed_screening",
]
COMPUTED_FIELDS = ["email_link", "phone_link", "listed_screening"]


def flat(fields: list) -> list[str]:
    return [name for entry in fields for name in (entry if isinstance(entry, tuple) else [entry])]


def site_root(request: HttpRequest) -> str:
    """The absolute address of the site, for links in e-mail."""
    return request.build_absolute_uri("/")


class HostRequestForm(forms.ModelForm):
    """The request as editors correct it: times typed and shown on the venue's clock.

    When the editor presses "Approve and list", the corrected request must be approvable
    (a film chosen, a start in the future), or the page comes back saying what to fix and
    nothing is saved.
    """

    LOCAL_FIELDS = ("starts_at", "ends_at")
    starts_at = WallClockDateTimeField(label=_("Starts at"), widget=AdminSplitDateTime)
    ends_at = WallClockDateTimeField(label=_("Ends at"), widget=AdminSplitDateTime, required=False)
    approving = False  # set per request by HostRequestAdmin.get_form

    class Meta:
        model = HostRequest
        fields = [
            "organisation", "contact_name", "email", "phone", "format", "audience_size",
            "takes_rsvps", "captions", "sign_language", "step_free", "assistive_listening",
            "note", *flat(LISTING_FIELDS),
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.LOCAL_FIELDS:
                value = getattr(self.instance, name)
                if name in self.fields and value is not None:
                    self.initial[name] = timezone.make_naive(value, self.instance.zone)

    def clean(self):
        cleaned = super().clean()
        self._read_local_times(cleaned)
        starts_at = cleaned.get("starts_at")
        if starts_at and "starts_at" in self.changed_data and starts_at <= timezone.now():
            self.add_error("starts_at", _("This time is past: choose a time to come."))
        if self.approving and not self.errors:
            candidate = self._corrected_request(cleaned)
            for field, problem in candidate.approval_problems().items():
                self.add_error(field if field in self.fields else None, problem)
        return cleaned

    def _read_local_times(self, cleaned: dict) -> None:
        """The typed times, read in the request's (corrected) zone; skipped clock times refused."""
        zone_name = cleaned.get("time_zone") or self.instance.time_zone
        if not zone_name:
            return
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in self.LOCAL_FIELDS:
            wall_clock = cleaned.get(name)
            if wall_clock is None or name not in self.fields:
                continue
            aware = wall_clock.replace(tzinfo=zone)
            if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
                self.add_error(name, _("This time does not exist there: the clocks change then."))
                continue
            cleaned[name] = aware
        ends_at, starts_at = cleaned.get("ends_at"), cleaned.get("starts_at")
        if ends_at and starts_at and ends_at <= starts_at and "ends_at" not in self.errors:
            self.add_error("ends_at", _("The end must come after the start."))

    def _corrected_request(self, cleaned: dict) -> HostRequest:
        """The request as it would be saved, to check it before anything is written."""
        candidate = HostRequest(**{
            field.attname: getattr(self.instance, field.attname)
            for field in HostRequest._meta.concrete_fields
        })  # fmt: skip
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        return candidate


@admin.register(HostRequest)
class HostRequestAdmin(admin.ModelAdmin):
    """The queue: new requests first, oldest first; one page to check, correct and decide."""

    form = HostRequestForm
    change_form_template = "admin/outreach/hostrequest/change_form.html"
    object_history_template = "admin/outreach/hostrequest/object_history.html"
    decline_template = "admin/outreach/hostrequest/decline.html"
    save_on_top = True  # the decision at the top too: the details make a long page
    list_display = ["organisation", "city", "film_listed", "venue_date", "audience_size",
                    "status", "created_at"]  # fmt: skip
    list_filter = ["status", "format"]
    show_facets = admin.ShowFacets.ALWAYS  # "New (3)", "Approved (12)" ...
    search_fields = ["organisation", "contact_name", "email", "city"]
    list_select_related = ["film"]
    list_per_page = 50
    autocomplete_fields = ["film"]
    readonly_fields = [*COMPUTED_FIELDS, *flat(DECISION_FIELDS)]

    def get_ordering(self, request: HttpRequest) -> list:
        """New requests first, then the rest; oldest first within each."""
        waiting_first = Case(When(status=HostRequest.Status.NEW, then=Value(0)), default=Value(1))
        return [waiting_first.asc(), "created_at", "id"]

    def get_fieldsets(self, request: HttpRequest, obj: HostRequest | None = None):
        request_fields = REQUEST_FIELDS
        if obj is None:  # entered by an editor for a host who phoned or wrote
            request_fields = [
                "organisation",
                ("contact_name", "email", "phone"),
                *REQUEST_FIELDS[2:],
            ]  # fmt: skip
        listing: dict = {
            "fields": LISTING_FIELDS,
            "description": _(
                "Correct the film, the venue or the times here before approving. "
                "Times are on the venue's clock, in the time zone chosen here."
            ),
        }
        if obj is not None and not obj.is_open:  # shown as decided, times on the venue's clock
            listing = {"fields": [*LISTING_FIELDS[:-1], "venue_times"]}
        fieldsets = [
            (_("The request"), {"fields": request_fields}),
            (_("What to list"), listing),
        ]
        if obj is not None:
            fieldsets.append((_("Decision"), {"fields": DECISION_FIELDS}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: HostRequest | None = None):
        if obj is None:
            return []
        if not obj.is_open:  # decided or withdrawn: the record stays as it was
            return [*COMPUTED_FIELDS, "venue_times", *flat(REQUEST_FIELDS),
                    *flat(LISTING_FIELDS), *flat(DECISION_FIELDS)]  # fmt: skip
        return [*COMPUTED_FIELDS, *flat(REQUEST_FIELDS), *flat(DECISION_FIELDS)]

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.approving = change and "_approve" in request.POST
        return form

    # The list's columns and the change page's computed fields.

    @admin.display(description=_("film"), ordering="film__title")
    def film_listed(self, obj: HostRequest) -> str:
        return obj.film.title if obj.film else _("Any film")

    @admin.display(description=_("date (venue's clock)"), ordering="starts_at")
    def venue_date(self, obj: HostRequest) -> str:
        local = obj.local_start
        return f"{date_format(local, 'D j M Y')}, {self._clock(local)} {local.tzname()}"

    @admin.display(description=_("when (venue's clock)"))
    def venue_times(self, obj: HostRequest) -> str:
        start, end = obj.local_start, obj.local_end
        when = f"{date_format(start, 'l j F Y')}, {self._clock(start)}"
        if end is not None:
            same_day = end.date() == start.date()
            when += f" – {self._clock(end) if same_day else date_format(end, 'l j F Y, H:i')}"
        return f"{when} {start.tzname()} ({obj.time_zone})"

    @staticmethod
    def _clock(moment) -> str:
        return date_format(moment, "g:i A" if moment.minute else "g A")

    @admin.display(description=_("e-mail"))
    def email_link(self, obj: HostRequest) -> str:
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email)

    @admin.display(description=_("phone"))
    def phone_link(self, obj: HostRequest) -> str:
        if not obj.phone:
            return "—"
        return format_html('<a href="tel:{}">{}</a>', obj.phone.replace(" ", ""), obj.phone)

    @admin.display(description=_("listed screening"))
    def listed_screening(self, obj: HostRequest) -> str:
        if obj.screening is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">edit</a>)',
            obj.screening.get_absolute_url(),
            obj.screening,
            reverse("admin:films_screening_change", args=[obj.screening.pk]),
        )

    # Saving, approving and declining.

    def save_model(self, request: HttpRequest, obj: HostRequest, form, change: bool) -> None:
        """Every save is a step in the request's history: entered, or corrected (what)."""
        name = HostRequest.editor_name(request.user)
        if not change:
            comment = f"Entered by {name} for the host"
        elif form.changed_data:
            labels = [str(form.fields[field].label).lower() for field in form.changed_data]
            comment = f"Corrected by {name}: {', '.join(labels)}"
        else:
            return  # nothing changed (an approval of the request as sent)
        obj.updated_at = timezone.now()
        with reversion.create_revision():
            obj.save()
            reversion.set_user(request.user)
            reversion.set_comment(comment)

    def response_change(self, request: HttpRequest, obj: HostRequest) -> HttpResponse:
        if "_approve" not in request.POST:
            return super().response_change(request, obj)
        try:
            screening = obj.approve(request.user, site_root(request))
        except ValidationError as error:  # decided by someone else meanwhile
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect(request.path)
        self.log_change(request, obj, "Approved and listed.")
        self.message_user(
            request,
            format_html(
                "Approved: “{}” is listed as <a href=\"{}\">{}</a>. The host is e-mailed.",
                obj.organisation, screening.get_absolute_url(), screening,
            ),
            messages.SUCCESS,
        )  # fmt: skip
        return self.back_to_queue(request)

    def back_to_queue(self, request: HttpRequest) -> HttpResponse:
        """The list the editor came from, with its filters (the queue of new requests)."""
        url = reverse("admin:outreach_hostrequest_changelist")
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(context, url))

    def get_urls(self):
        decline = path(
            "<path:object_id>/decline/",
            self.admin_site.admin_view(self.decline_view),
            name="outreach_hostrequest_decline",
        )
        return [decline, *super().get_urls()]

    def decline_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Ask for the reason, then decline and e-mail it; an empty reason changes nothing."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:outreach_hostrequest_change", args=[obj.pk])
        if refusal := obj.decision_refusal():
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = DeclineForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                obj.decline(request.user, form.cleaned_data["reason"], site_root(request))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.log_change(request, obj, "Declined.")
            self.message_user(
                request, _("Declined: “%(request)s”. The host is e-mailed the reason.")
                % {"request": obj}, messages.SUCCESS,
            )  # fmt: skip
            return self.back_to_queue(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Decline the request from %(organisation)s") % {
                "organisation": obj.organisation},
            "form": form,
            "change_url": change_url,
        }  # fmt: skip
        return TemplateResponse(request, self.decline_template, context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """The request's steps, from its revisions: submitted, changed, decided, withdrawn.

        No "restore" here: a decision is undone by handling the listed screening, not by
        putting an old version of the request back.
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(
            Version.objects.get_for_object(obj)
            .select_related("revision__user")
            .order_by("revision__date_created", "pk")
        )
        steps, previous = [], None
        for version in versions:
            try:
                fields = version.field_dict
            except RevertError:  # saved by an older shape of the model
                fields = None
            changed = []
            if previous is not None and fields is not None:
                changed = [
                    str(HostRequest._meta.get_field(name).verbose_name)
                    for name in fields
                    if name not in ("updated_at",) and fields[name] != previous.get(name)
                ]
            steps.append({"version": version, "changed": changed})
            previous = fields if fields is not None else previous
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(request)s") % {"request": obj},
            "subtitle": None,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": self.opts,
            "steps": list(reversed(steps)),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, as the host will read it"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 70, "aria-describedby": "reason-help"}),
        max_length=2000,
        error_messages={"required": _("Write the reason: the host is e-mailed it.")},
        help_text=_("Sent to the host by e-mail. Say what would work instead if you can: "
                    "another date, another film, an online screening."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.errors.get("reason"):
            self.fields["reason"].widget.attrs.update(
                {"aria-describedby": "reason-error reason-help", "aria-invalid": "true"}
            )


# RSVPs: editors see each screening's list and download it; attendees are never public.


class RsvpInline(admin.TabularInline):
    """Who RSVPed, read-only: seats move up the waiting list through the public pages."""

    model = Rsvp
    extra = 0
    can_delete = False
    fields = ["name", "email", "party_size", "status", "created_at"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Guestlist)
class GuestlistAdmin(admin.ModelAdmin):
    """Screenings taking RSVPs on this site: capacity, seats taken, the waiting list."""

    change_form_template = "admin/outreach/guestlist/change_form.html"
    list_display = ["screening", "capacity", "seats_taken", "waiting", "is_open"]
    list_filter = ["is_open"]
    search_fields = ["screening__film__title", "screening__venue", "screening__city"]
    list_select_related = ["screening__film"]
    autocomplete_fields = ["screening"]
    fields = ["screening", ("capacity", "is_open")]
    inlines = [RsvpInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        confirmed = Q(rsvps__status=Rsvp.Status.CONFIRMED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                seats=Sum("rsvps__party_size", filter=confirmed, default=0),
                waiting_count=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITING)),
            )
        )

    @admin.display(description=_("seats taken"), ordering="seats")
    def seats_taken(self, obj: Guestlist) -> int:
        return obj.seats

    @admin.display(description=_("waiting"), ordering="waiting_count")
    def waiting(self, obj: Guestlist) -> int:
        return obj.waiting_count

    def get_urls(self):
        download = path(
            "<path:object_id>/rsvps.csv",
            self.admin_site.admin_view(self.rsvps_view),
            name="outreach_guestlist_rsvps",
        )
        return [download, *super().get_urls()]

    def rsvps_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The RSVPs as CSV, for editors who may see them."""
        guestlist = self.get_object(request, unquote(object_id))
        if guestlist is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, guestlist):
            raise PermissionDenied
        screening = guestlist.screening
        filename = f"rsvps-{screening.film.slug}-{screening.local_start:%Y-%m-%d}.csv"
        return rsvps_csv_response(guestlist, filename)
