"""Forms for screenings (the public filters, the admin form with venue-local times) and for
availability windows (countries typed as codes)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import cached_property

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .availability import AvailabilityWindow, parse_regions
from .models import Screening


class KeptChoices(BaseChoiceIterator):
    """Choices that are the same for every request (a country list, the time zones).

    Computed once per process by ``func``, on first use, and shared by every copy of the
    form's field (a form copies its fields for each request, and a list would be copied
    with them). Their options' markup is written once per language (``LongSelect``).
    """

    def __init__(self, func: Callable[[], Iterable[tuple[object, object]]]) -> None:
        self.func = func
        self.written: dict[str, Options] = {}

    def __iter__(self) -> Iterator[tuple[object, object]]:
        return iter(self.choices)

    def __copy__(self) -> KeptChoices:
        return self

    def __deepcopy__(self, memo: dict) -> KeptChoices:
        return self

    @cached_property
    def choices(self) -> list[tuple[object, object]]:
        return normalize_choices(self.func())

    def options(self) -> Options:
        """The options' markup in the active language, written on first use."""
        language = get_language() or ""
        if language not in self.written:
            self.written[language] = Options(self.choices)
        return self.written[language]


class Options:
    """The ``<option>`` elements of a flat list of choices, none selected, and where each is.

    Each value and label is escaped by Django's ``escape`` (a label already marked safe is
    kept as it is, as a template would); selecting a value inserts `` selected`` after its
    value, and only the first option of a value is selected, as ``Select`` does.
    """

    def __init__(self, choices: Iterable[tuple[object, object]]) -> None:
        written: list[str] = []
        self.places: dict[str, int] = {}  # value -> where its option's closing '>' is
        at = 0
        for key, label in choices:
            opening = f'<option value="{escape(key)}"'
            self.places.setdefault(str(key), at + len(opening))
            written.append(f"{opening}>{conditional_escape(label)}</option>")
            at += len(written[-1]) + 1
        self.html = "\n".join(written)

    def render(self, chosen: Iterable[str]) -> SafeString:
        """The options, those whose value is in ``chosen`` selected."""
        html, end = [], 0
        for at in sorted({self.places[value] for value in chosen if value in self.places}):
            html += [self.html[end:at], " selected"]
            end = at
        html.append(self.html[end:])
        # Safe: every value and label was escaped when the options were written.
        return mark_safe("".join(html))  # noqa: S308


class LongSelect(forms.Select):
    """A select whose options are written in one pass, not one template each.

    Django renders every option through a template (and ``format_html`` takes 8 µs an
    option): for the screening filters, which offer every live film and every city, that
    was most of the list's time once there are a thousand films, and for the host form's
    countries and time zones (850 options) most of the page's. Here the options are joined
    from escaped strings (``Options``), and for ``KeptChoices`` written once per process
    and language, so that a request only marks the chosen one. The markup is ``Select``'s
    for a flat list of choices.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = self.format_value(value)
        if isinstance(self.choices, KeptChoices):
            options = self.choices.options().render(chosen)
        else:
            options = Options(self.choices).render(chosen)
        return format_html("<select{}>\n{}\n</select>", flatatt(attrs), options)


FILTER_CHOICES_MOST = 40
"""The most values a filter offers as a list; past it the value is typed.

A list of every film with screenings was most of the screening list at 100,000 interviews
(1,000 films: 63 KB of a 105 KB page), and no viewer scrolls a list that long. Forty cities
or films still fit a phone's picker.
"""


class ScreeningFilterForm(forms.Form):
    """The film, kind and city filters of the screening lists.

    Film and city offer the values the list holds; when it holds more than
    ``FILTER_CHOICES_MOST`` of them, the viewer types part of a title or a city instead,
    matched without regard to case (on SQLite, of ASCII letters only: its ``LIKE``). A
    film's slug, as in older links, picks that film alone. Offered values that are unknown
    are ignored and reported as errors.
    """

    film = forms.ChoiceField(label=_("Film"), required=False, widget=LongSelect)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Screening.Kind.choices],
        widget=LongSelect,
    )
    city = forms.ChoiceField(label=_("City"), required=False, widget=LongSelect)
    TYPED_MATCHES: dict[str, Callable[[str], Q]] = {
        "film": lambda typed: Q(film__title__icontains=typed),
        "city": lambda typed: Q(city__icontains=typed),
    }
    LOOKUPS = {"film": "film__slug", "kind": "kind", "city": "city"}  # of a value offered
    # Typed, a value that is exactly one listed (a film's slug: "up" is one, and is in many
    # titles) picks by it alone.
    TYPED_EXACT = {"film"}

    def __init__(self, *args, films: list[tuple[str, str]], cities: list[str], **kwargs):
        """``films``: (slug, title) of each film offered; ``cities``: each city offered.

        Pass at most one more than ``FILTER_CHOICES_MOST`` of each: that one more is enough
        to know the field is typed.
        """
        super().__init__(*args, **kwargs)
        self.typed: set[str] = set()
        self.offer("film", [("", _("All films")), *films])
        self.offer("city", [("", _("All cities"))] + [(c, c) for c in cities])

    def offer(self, name: str, choices: list[tuple[str, str]]) -> None:
        """Offer the choices as a list, or a typed field if there are too many to list."""
        if len(choices) - 1 <= FILTER_CHOICES_MOST:
            self.fields[name].choices = choices
            return
        label = self.fields[name].label
        self.fields[name] = forms.CharField(
            label=label, required=False, max_length=200, widget=forms.TextInput({"type": "search"})
        )
        self.typed.add(name)

    @property
    def has_typed_values(self) -> bool:
        """Whether a typed field was filled in: such values have no end, unlike those offered."""
        return any(str(self.data.get(name, "")).strip() for name in self.typed)

    def filter(self, screenings):
        """Apply every filter whose value is valid; report the others as form errors."""
        self.is_valid()
        for name, lookup in self.LOOKUPS.items():
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if name in self.typed:
                screenings = self.typed_match(screenings, name, value)
            else:
                screenings = screenings.filter(**{lookup: value})
        return screenings

    def typed_match(self, screenings, name: str, value: str):
        """The screenings a typed value picks: by its exact slug if one is listed (an older
        link's ``?film=up``), else as part of a title or city."""
        exact = Q(**{self.LOOKUPS[name]: value})
        if name in self.TYPED_EXACT and screenings.filter(exact).exists():
            return screenings.filter(exact)
        return screenings.filter(self.TYPED_MATCHES[name](value))


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
            "film", "kind", "status", "title", "venue", "address", "postcode", "city",
            "region", "country", "time_zone", "starts_at", "ends_at", "local_broadcast_time",
            "tickets_url", "notes",
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


class CountryCodesField(forms.CharField):
    """Countries typed as ISO codes, by spaces or commas ("us, ca"): an upper-case list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return " ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        return parse_regions(super().to_python(value) or "")


class AvailabilityWindowForm(forms.ModelForm):
    """A window as editors enter it inline on the film; times are in the editor's zone."""

    regions = CountryCodesField(
        label=_("Countries"), required=False,
        help_text=_("Two-letter ISO codes, e.g. US CA. Leave empty for everywhere."),
    )  # fmt: skip
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = AvailabilityWindow
        fields = ["platform", "service", "url", "regions", "starts_at", "ends_at", "price_note"]


class AvailabilityWindowFormSet(forms.BaseInlineFormSet):
    """The film's windows, checked against each other as well as against those stored."""

    def clean(self) -> None:
        super().clean()
        checked: list[AvailabilityWindow] = []
        for form in self.forms:
            if not form.is_valid() or not form.cleaned_data or self._should_delete_form(form):
                continue
            window = form.instance
            clash = window.overlapping(checked)
            if clash is not None:
                form.add_error(
                    "starts_at",
                    _("This overlaps another %(platform)s window on %(service)s for the same "
                      "countries (%(when)s) in this form.")
                    % {"platform": window.get_platform_display(), "service": clash.service_name,
                       "when": clash.period},
                )  # fmt: skip
                continue
            checked.append(window)
