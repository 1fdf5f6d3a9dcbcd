"""Submit an admin change form as a browser would: the values it shows, plus changes."""

from datetime import date, datetime, time

from django.forms import CheckboxInput, MultiWidget


def field_data(bound) -> dict:
    widget = bound.field.widget
    value = bound.value()
    name = bound.html_name
    if isinstance(widget, MultiWidget):
        parts = widget.decompress(value) if not isinstance(value, list) else value
        return {f"{name}_{i}": plain(part) for i, part in enumerate(parts)}
    if isinstance(widget, CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(value, (list, tuple)):
        return {name: [plain(v) for v in value]}
    if hasattr(widget, "format_value") and not isinstance(value, (str, int)):
        value = widget.format_value(value)
    return {name: plain(value)}


def plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def change_form_data(response) -> dict:
    """The POST data of the change form rendered in ``response``."""
    context = response.context
    data: dict = {}
    for bound in context["adminform"].form:
        data |= field_data(bound)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = plain(bound.value())
        for form in formset.forms:
            for bound in form:
                data |= field_data(bound)
    return data
