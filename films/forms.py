"""Forms for screenings: the public filters, and the admin form with venue-local times."""

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Film, Screening


class ScreeningFilterForm(forms.Form):
    """The film, kind and city filters of the screening lists; unknown values are ignored."""

    film = forms.ChoiceField(label=_("Film"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Screening.Kind.choices]
    )
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, *args, films: list[Film], cities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["film"].choices = [("", _("All films"))] + [(f.slug, f.title) for f in films]
        self.fields["city"].choices = [("", _("All cities"))] + [(c, c) for c in cities]

    def filter(self, screenings):
        """Apply every filter whose value is valid; report the others as form errors."""
        self.is_valid()
        lookups = {
            "film": "film__slug",
            "kind": "kind",
            "city": "city",
        }
        for name, lookup in lookups.items():
            value = self.cleaned_data.get(name)
            if value:
                screenings = screenings.filter(**{lookup: value})
        return screenings


class WallClockDateTimeField(forms.SplitDateTimeField):
    """A date and time as typed, with no time zone: the form decides which zone it is in."""

    def compress(self, data_list):
        if data_list and None not in data_list:
            return datetime.combine(*data_list)
        return None


class ScreeningForm(forms.ModelForm):
    """Screening times are typed and shown on the venue's clock, in the chosen time zone."""

    LOCAL_FIELDS = ("starts_at", "ends_at")
    starts_at = WallClockDateTimeField(label=_("Starts at"), widget=AdminSplitDateTime)
    ends_at = WallClockDateTimeField(label=_("Ends at"), widget=AdminSplitDateTime, required=False)
    tickets_url = forms.URLField(
        label=_("Tickets or RSVP URL"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Screening
        fields = [
            "film", "kind", "status", "title", "venue", "address", "city", "region", "country",
            "time_zone", "starts_at", "ends_at", "local_broadcast_time", "tickets_url", "notes",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.LOCAL_FIELDS:
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = timezone.make_naive(value, self.instance.zone)

    def clean(self):
        """Read the typed times in the screening's zone, refusing clock times that never happen."""
        cleaned = super().clean()
        if not cleaned.get("time_zone"):
            return cleaned
        zone = zoneinfo.ZoneInfo(cleaned["time_zone"])
        for name in self.LOCAL_FIELDS:
            wall_clock = cleaned.get(name)
            if wall_clock is None:
                continue
            aware = wall_clock.replace(tzinfo=zone)
            if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
                self.add_error(name, _("This time does not exist there: the clocks change then."))
                continue
            cleaned[name] = aware
        return cleaned
