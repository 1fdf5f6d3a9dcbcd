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


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def interview_form(film, pairs, **fields) -> dict:
    data = {
        "title": "Laura Poitras on Citizenfour",
        "slug": "laura-poitras-on-citizenfour",
        "film": str(film.pk),
        "byline": "Independent Lens",
        "intro": "<p>An introduction.</p>",
        "tags": "surveillance, filmmakers",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        **inline_management("pairs", len(pairs)),
        **inline_management("figures", 0),
    }
    for i, (question, answer) in enumerate(pairs):
        data |= {
            f"pairs-{i}-sort_order": str(i + 1),
            f"pairs-{i}-question": question,
            f"pairs-{i}-answer": answer,
            f"pairs-{i}-anchor": "",
        }
    return data | fields


def screening_form(film, **fields) -> dict:
    """The screening admin form's data: a festival screening at a hall, plus ``fields``."""
    return {"film": str(film.pk), "kind": "festival", "status": "scheduled", "venue": "Hall",
            "time_zone": "America/Denver", "ends_at_0": "", "ends_at_1": ""} | fields  # fmt: skip
