"""Forms for the public screening filters."""

from django import forms
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
