"""The "Host a screening" form: what a community partner types, read on the venue's clock.

The partner gives a date and times as the venue's clock shows them and, usually, no time
zone: it follows from the city and country (``places.zone_for``), and the form asks for it
only when the gazetteer cannot tell. A hidden honeypot field catches form-filling robots.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from films.forms import KeptChoices, LongSelect
from films.models import Film, time_zone_choices

from .host_requests import HostRequest
from .places import country_choices, zone_for

# How soon a screening may be, so editors can look at it first, and how far ahead.
MIN_NOTICE = timedelta(days=2)
MAX_AHEAD = timedelta(days=730)

SKIPPED_TIME = _("This time does not exist there: the clocks change then. Choose another time.")

# The field robots fill and people never see (hidden by CSS, from screen readers, from Tab).
HONEYPOT = "website"


# The long lists, the same for every request: computed once per process and shared by every
# copy of the form's fields, their options written once (``LongSelect``).
COUNTRY_OPTIONS = KeptChoices(lambda: [("", _("Choose a country")), *country_choices()])
ZONE_OPTIONS = KeptChoices(lambda: [("", _("Work it out from the city")), *time_zone_choices()])


class FilmOptions(BaseChoiceIterator):
    """The film field's options, read as (slug, title) pairs: no film row is made, so a page
    kept with them records the films' list (which a film published, withdrawn, renamed or
    given a new slug moves) rather than a key per film, a thousand keys to check per view."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[tuple[object, object]]:
        if self.field.empty_label is not None:
            yield "", self.field.empty_label
        yield from self.field.queryset.values_list("slug", "title")


def on_clock(day: date, clock: time, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """``day`` at ``clock`` in ``zone`` as an aware moment; None for a time the clocks skip."""
    wall = datetime.combine(day, clock)
    aware = wall.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return aware


class HostRequestForm(forms.ModelForm):
    """A request to host a screening: of ``film`` if given, else of a film chosen (or none).

    ``starts_at`` and ``ends_at`` are not fields: they are built in ``clean()`` from the date
    and the two clock times in the venue's zone, the one typed or the one derived.
    """

    film = forms.ModelChoiceField(
        label=_("Film"), queryset=Film.objects.none(), required=False, to_field_name="slug",
        empty_label=_("Any film — let us suggest one"), widget=LongSelect,
        error_messages={"invalid_choice": _("Choose a film from the list.")},
    )  # fmt: skip
    country = forms.ChoiceField(
        label=_("Country"), choices=COUNTRY_OPTIONS,
        error_messages={"invalid_choice": _("Choose a country from the list."),
                        "required": _("Choose the country.")},
        widget=LongSelect(attrs={"autocomplete": "country"}),
    )  # fmt: skip
    time_zone = forms.ChoiceField(
        label=_("Time zone at the venue"), required=False,
        choices=ZONE_OPTIONS, widget=LongSelect,
        help_text=_("Leave this as it is: we work it out from the city and country. "
                    "Choose it if we ask you to."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )  # fmt: skip
    day = forms.DateField(
        label=_("Date"),
        help_text=_("On the venue's calendar: at least 2 days from now, at most 2 years ahead."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Enter a date, like 2031-05-17."),
            "required": _("Enter the date."),
        },
    )
    start_time = forms.TimeField(
        label=_("Starts at"), help_text=_("On the venue's clock."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time, like 19:00."),
                        "required": _("Enter the time it starts.")},
    )  # fmt: skip
    end_time = forms.TimeField(
        label=_("Ends at"), required=False,
        help_text=_("On the venue's clock, the same day, after the start."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time, like 21:00.")},
    )  # fmt: skip
    website = forms.CharField(
        label=_("Leave this empty"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )  # fmt: skip

    class Meta:
        model = HostRequest
        fields = [
            "film", "organisation", "contact_name", "email", "phone", "venue_name", "address",
            "city", "region", "postal_code", "country", "time_zone", "format", "audience_size",
            "takes_rsvps", "captions", "sign_language", "step_free", "assistive_listening",
            "note",
        ]  # fmt: skip
        labels = {
            "email": _("E-mail"), "phone": _("Phone"), "address": _("Street address"),
            "region": _("Region or state"), "postal_code": _("Postal code"),
            "venue_name": _("Venue"), "audience_size": _("Expected audience"),
            "takes_rsvps": _("Take RSVPs on this site"), "note": _("Your note"),
        }  # fmt: skip
        help_texts = {
            "organisation": _("The library, school, museum or group hosting it."),
            "email": _("We send your private link here."),
            "venue_name": _("Or the name of the online event."),
            "audience_size": _("About how many people; RSVPs are taken up to this number."),
            "takes_rsvps": _("People RSVP on the screening's page here; you see the list."),
            "note": _("A discussion after the film, a speaker, a partner: tell us."),
        }
        widgets = {
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                            "inputmode": "tel"}),
            "venue_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "region": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "format": forms.RadioSelect,
            "audience_size": forms.NumberInput(attrs={"min": 1, "max": 100_000,
                                                      "inputmode": "numeric"}),
            "note": forms.Textarea(attrs={"rows": 5}),
        }  # fmt: skip
        error_messages = {
            "organisation": {"required": _("Enter the name of your organisation.")},
            "contact_name": {"required": _("Enter your name.")},
            "email": {
                "invalid": _("Enter an e-mail address, like name@example.org."),
                "required": _("Enter your e-mail address: we send your private link there."),
            },
            "venue_name": {"required": _("Enter the name of the venue.")},
            "city": {"required": _("Enter the city.")},
            "format": {"required": _("Choose in person or online.")},
            "audience_size": {
                "min_value": _("Expect at least one person."),
                "max_value": _("We list screenings of up to 100,000 people."),
                "invalid": _("Enter a number of people, like 40."),
                "required": _("Enter about how many people you expect."),
            },
        }

    accessibility_fields = ("captions", "sign_language", "step_free", "assistive_listening")

    def __init__(self, *args, film: Film | None = None, **kwargs):
        """``film``: the film the page is about, fixed; without it the host may choose one."""
        super().__init__(*args, **kwargs)
        self.fixed_film = film
        if film is not None:
            del self.fields["film"]
        else:
            live = Film.objects.live()
            if self.instance.film_id:  # a film since unpublished stays the request's choice
                live = Film.objects.filter(Q(pk__in=live) | Q(pk=self.instance.film_id))
            field = self.fields["film"]
            field.queryset = live.order_by("title").only("pk", "slug", "title")
            field.widget.choices = FilmOptions(field)
            if self.instance.film_id:  # the field names films by slug, not by pk
                self.initial["film"] = self.instance.film
        if self.instance.pk:
            request = self.instance
            self.initial.update(
                day=request.local_start.date(),
                start_time=request.local_start.time(),
                end_time=request.local_end.time() if request.ends_at else None,
            )
            if zone_for(request.city, request.country, request.region) == request.time_zone:
                self.initial["time_zone"] = ""  # worked out: a changed city changes it too

    @property
    def is_spam(self) -> bool:
        """Whether the honeypot was filled: only a robot sees that field."""
        return bool(self.data.get(self.add_prefix(HONEYPOT), "").strip())

    @property
    def accessibility(self) -> list[forms.BoundField]:
        return [self[name] for name in self.accessibility_fields]

    def clean(self) -> dict:
        cleaned = super().clean()
        zone = self.clean_zone(cleaned)
        if zone is None:
            return cleaned
        cleaned["time_zone"] = zone.key
        self.instance.time_zone = zone.key
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day is None or start is None:
            return cleaned
        starts_at = on_clock(day, start, zone)
        if starts_at is None:
            self.add_error("start_time", SKIPPED_TIME)
            return cleaned
        now = timezone.now()
        if starts_at < now + MIN_NOTICE:
            earliest = timezone.localtime(now + MIN_NOTICE, zone)
            self.add_error("day", _("Choose a date and time at least 2 days from now, from "
                                    "%(earliest)s on the venue's clock.")
                           % {"earliest": earliest.strftime("%Y-%m-%d %H:%M")})  # fmt: skip
            return cleaned
        if starts_at > now + MAX_AHEAD:
            self.add_error("day", _("Choose a date within 2 years from now."))
            return cleaned
        self.instance.starts_at = starts_at
        self.instance.ends_at = None
        if end is not None:
            ends_at = on_clock(day, end, zone)
            if end <= start:
                message = _("The end must be after the start (%(start)s), on the same day.")
                self.add_error("end_time", message % {"start": start.strftime("%H:%M")})
            elif ends_at is None:
                self.add_error("end_time", SKIPPED_TIME)
            else:
                self.instance.ends_at = ends_at
        return cleaned

    def clean_zone(self, cleaned: dict) -> zoneinfo.ZoneInfo | None:
        """The zone typed, or the one the city, region and country give; else an error."""
        if "time_zone" in self.errors or "country" in self.errors:
            return None  # already told what to fix
        name = cleaned.get("time_zone") or zone_for(
            cleaned.get("city", ""), cleaned.get("country", ""), cleaned.get("region", "")
        )
        if name:
            return zoneinfo.ZoneInfo(name)
        if cleaned.get("city") and cleaned.get("country"):
            self.add_error("time_zone", _("We could not tell the time zone from the city: "
                                          "please choose it."))  # fmt: skip
        return None

    def save(self, commit: bool = True) -> HostRequest:
        if self.fixed_film is not None:
            self.instance.film = self.fixed_film
        return super().save(commit)
