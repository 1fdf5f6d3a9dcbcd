"""Forms for screenings: the public filters, and the admin form with venue-local times."""

import zoneinfo

from django import forms
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


class ScreeningForm(forms.ModelForm):
    """Screening times are typed and shown on the venue's clock, in the chosen time zone.

    Django's form fields read a naive time in the site's zone; this form re-reads the same
    wall-clock time in the screening's own ``time_zone`` instead.
    """

    LOCAL_FIELDS = ("starts_at", "ends_at")
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
            zone = self.instance.zone
            for name in self.LOCAL_FIELDS:
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = timezone.make_naive(value, zone)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in self.LOCAL_FIELDS:
                value = cleaned.get(name)
                if value is not None:
                    wall_clock = timezone.make_naive(value)  # as typed, in the site's zone
                    cleaned[name] = timezone.make_aware(wall_clock, zone)
                    setattr(self.instance, name, cleaned[name])
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned
