"""The public RSVP form: name, e-mail, party size, and a field only robots fill in."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .guestlists import Guestlist, Rsvp

HONEYPOT = "website"


class AccessibleErrorsMixin:
    """Ties each field's error message to its input (``aria-describedby``, ``aria-invalid``),
    so a screen reader reads what to fix on reaching the field; the template gives the
    message the id ``<input id>-error``."""

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if attrs.get("aria-invalid") == "true":
                continue
            error_id = f"{self[name].auto_id}-error"
            described = (attrs.get("aria-describedby", ""), error_id)
            attrs["aria-describedby"] = " ".join(part for part in described if part)
            attrs["aria-invalid"] = "true"


class RsvpForm(AccessibleErrorsMixin, forms.Form):
    """What a guest tells us; ``save`` puts them on the list (``Guestlist.add_rsvp``).

    Everything the list refuses (a party too large, an address already on it, the list
    closing meanwhile) comes back as errors on this form, with nothing stored.
    """

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send your confirmation here, with a link to cancel."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )
    party_size = forms.IntegerField(
        label=_("How many people, including you"),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many people are coming."),
            "invalid": _("Enter a whole number, like 2."),
            "min_value": _("A party is at least one person."),
        },
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, guestlist: Guestlist, **kwargs):
        super().__init__(*args, **kwargs)
        self.guestlist = guestlist
        largest = guestlist.max_party_size
        field = self.fields["party_size"]
        field.validators.append(_MaxParty(guestlist))
        field.widget.attrs.update(min=1, max=largest)
        field.help_text = _("Up to %(n)d people.") % {"n": largest}
        for name in ("email", "party_size"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-help"

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.data.get(HONEYPOT):
            raise ValidationError(
                _("Your RSVP could not be taken. Please try again without filling in "
                  "hidden fields."),
                code="honeypot",
            )  # fmt: skip
        return cleaned

    def save(self, submitted_from: str) -> Rsvp:
        """The new RSVP; a ``ValidationError`` from the list is added to the form, re-raised."""
        try:
            return self.guestlist.add_rsvp(
                name=self.cleaned_data["name"],
                email=self.cleaned_data["email"],
                party_size=self.cleaned_data["party_size"],
                submitted_from=submitted_from,
            )
        except ValidationError as error:
            self.add_error(None, error)
            self.mark_errors()
            raise


class _MaxParty:
    """The party-size limit, in the list's own words (the room or the site's limit)."""

    def __init__(self, guestlist: Guestlist):
        self.guestlist = guestlist

    def __call__(self, value: int) -> None:
        if value is not None and value > self.guestlist.max_party_size:
            raise ValidationError(self.guestlist.party_size_message(), code="max_party")
