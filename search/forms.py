from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .backends import SearchResults
from .models import kind_choices
from .query import ParsedQuery, parse


def type_choices() -> list[tuple[str, str]]:
    return [("", _("Everything")), *kind_choices()]


class SearchForm(forms.Form):
    """The search box and the kind filter; an unknown kind is reported and ignored."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    type = forms.ChoiceField(label=_("Show"), required=False, choices=type_choices)

    def parsed(self) -> ParsedQuery:
        self.is_valid()
        return parse(self.data.get("q", "") if self.is_bound else "")

    def kind(self) -> str | None:
        self.is_valid()
        return self.cleaned_data.get("type") or None

    def results(self) -> SearchResults:
        return SearchResults(self.parsed(), self.kind())
