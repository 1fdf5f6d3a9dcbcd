"""Inlines an editor orders by hand: drag a row by its handle, or move it with the keyboard.

The order is an ordinary form field, hidden: ``static/js/admin-reorder.js`` numbers the
filled rows 1, 2, 3... in the order the editor sees on submit (dragging uses the vendored
SortableJS 1.15.7 in ``static/vendor/sortablejs/``), so a save, an autosave and its
restore all carry the order. A tampered or broken number is refused with a message the
editor can see, since a hidden field's own error would be hidden with it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

SORTABLE_MEDIA = forms.Media(
    js=["vendor/sortablejs/Sortable.min.js", "js/admin-reorder.js"],
    css={"all": ["css/admin-ordering.css"]},
)


class OrderedInlineForm(forms.ModelForm):
    """A row whose ``order_field`` is hidden; its errors are shown on the row instead."""

    order_field = "sort_order"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.order_field in self.fields:
            self.fields[self.order_field].widget = forms.HiddenInput(
                attrs={"data-cms-order": "true"}
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        for message in self.errors.get(self.order_field, []):
            self.add_error(None, _("The position of this row is not valid: %s") % message)
        return cleaned


class OrderedInlineFormSet(BaseInlineFormSet):
    """New rows without a position (a form posted without the script) go last."""

    def save_new(self, form, commit: bool = True):
        instance = form.instance
        field = form.order_field
        if not getattr(instance, field):
            last = self.get_queryset().aggregate(last=Max(field))["last"] or 0
            taken = [getattr(f.instance, field) or 0 for f in self.forms if f is not form]
            setattr(instance, field, max([last, *taken]) + 1)
        return super().save_new(form, commit=commit)


class OrderedInlineMixin:
    """Make an inline sortable: a hidden order, a drag handle and Move up/Move down."""

    form = OrderedInlineForm
    formset = OrderedInlineFormSet
    classes = ["cms-sortable"]

    @property
    def media(self) -> forms.Media:
        return super().media + SORTABLE_MEDIA


class OrderedTabularInline(OrderedInlineMixin, admin.TabularInline):
    pass


class OrderedStackedInline(OrderedInlineMixin, admin.StackedInline):
    pass
