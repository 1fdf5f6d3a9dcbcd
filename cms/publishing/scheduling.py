"""Scheduling you can see: moments named on the editor's clock, undoable bulk changes, and
moving a scheduled page to another day.

The rules live here rather than in the admin so the change form, the list's bulk actions and
the publishing calendar describe and change schedules the same way.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import reversion
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.publishing.models import Publishable

UNDO_SESSION_KEY = "cms_undo"
# The fields a bulk change touches and an undo puts back.
SCHEDULE_FIELDS = ("status", "publish_at", "expire_at")


def moment_text(moment: datetime) -> str:
    """ "Tue 1 Dec, 09:00 your time": a moment on the clock of the zone now active.

    The year is named only when it is not this year, as people say it.
    """
    local = timezone.localtime(moment)
    same_year = local.year == timezone.localdate().year
    when = date_format(local, "D j M, H:i" if same_year else "D j M Y, H:i")
    return _("%(when)s your time") % {"when": when}


def goes_live_at(obj: Publishable) -> datetime | None:
    """When ``obj`` goes live once published: its own rule (``with_state``'s annotation, as a
    page timed to a premiere has), or ``publish_at``."""
    return getattr(obj, "goes_live_at", None) or obj.publish_at


def state_note(obj: Publishable) -> str:
    """What the save did, in words naming the moment: the end of a save message.

    ``obj`` comes from ``with_state()``, so "scheduled" and "live" follow the model's rule.
    """
    match obj.state:
        case "scheduled":
            note = _("Scheduled for %(when)s.") % {"when": moment_text(goes_live_at(obj))}
        case "live":
            note = _("Published: viewers see it now.")
        case "expired":
            return _("Published, but it expired %(when)s: viewers no longer see it.") % {
                "when": moment_text(obj.expire_at)
            }
        case _:
            note = _("Saved as draft: only staff see it.")
            if obj.publish_at and obj.publish_at > timezone.now():
                note += " " + _("It will not go out by itself; the time asked for is %(when)s.") % {
                    "when": moment_text(obj.publish_at)
                }
            return note
    if obj.expire_at:
        note += " " + _("It comes down %(when)s.") % {"when": moment_text(obj.expire_at)}
    return note


def record_change(request: HttpRequest, obj, message: str) -> None:
    """Write a change made outside the change form into the history, as a save would: an
    admin log entry and a revision with its author and comment."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk, queryset=[obj], action_flag=CHANGE,
        change_message=message, single_object=True,
    )  # fmt: skip
    with reversion.create_revision():
        reversion.add_to_revision(obj)
        reversion.set_user(request.user)
        reversion.set_comment(message)


# --- Undo of bulk publish and unpublish ------------------------------------------------------


def schedule_of(row) -> dict:
    """A row's publishing fields (and last change) as the session can keep them (JSON)."""
    return {
        "status": row.status,
        "publish_at": row.publish_at.isoformat() if row.publish_at else None,
        "expire_at": row.expire_at.isoformat() if row.expire_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def undo_seconds() -> int:
    return settings.CMS_UNDO_SECONDS


def remember_bulk_change(request: HttpRequest, model, before: dict, done: str) -> str:
    """Keep, in the editor's session, how the rows changed by a bulk action were before and
    after it; return the token an Undo button posts back.

    ``before`` maps each changed row's pk to ``schedule_of(row)`` taken before the change.
    Records older than the undo window are dropped here, so the session does not grow.
    """
    after = {row.pk: schedule_of(row) for row in model.objects.filter(pk__in=before)}
    now = timezone.now()
    kept = {
        token: record
        for token, record in request.session.get(UNDO_SESSION_KEY, {}).items()
        if now - datetime.fromisoformat(record["at"]) <= timedelta(seconds=undo_seconds())
    }
    token = secrets.token_urlsafe(12)
    kept[token] = {
        "model": model._meta.label_lower,
        "done": str(done),
        "at": now.isoformat(),
        "rows": [{"pk": pk, "before": before[pk], "after": after[pk]} for pk in after],
    }
    request.session[UNDO_SESSION_KEY] = kept
    return token


@dataclass(frozen=True)
class UndoResult:
    ok: bool
    message: str


def undo_bulk_change(request: HttpRequest, model, token: str) -> UndoResult:
    """Put back each row a bulk action changed, if the window is open and none changed since.

    All or nothing: a row edited since the action (its publishing fields or its last change
    differ from what the action left) refuses the whole undo, naming the rows, so an undo
    never overwrites a colleague's later work. Each row put back gets its own revision.
    """
    records = request.session.get(UNDO_SESSION_KEY, {})
    record = records.get(token)
    if record is None or record["model"] != model._meta.label_lower:
        return UndoResult(False, _("There is nothing to undo here: it was undone already, "
                                   "or it was done in another session."))  # fmt: skip
    age = timezone.now() - datetime.fromisoformat(record["at"])
    if age > timedelta(seconds=undo_seconds()):
        drop_undo(request, token)
        minutes = max(1, round(undo_seconds() / 60))
        return UndoResult(False, ngettext(
            "Too late to undo: a change can be undone for %(minutes)d minute. "
            "Nothing was changed; change the items one by one instead.",
            "Too late to undo: a change can be undone for %(minutes)d minutes. "
            "Nothing was changed; change the items one by one instead.",
            minutes,
        ) % {"minutes": minutes})  # fmt: skip
    rows = {row["pk"]: row for row in record["rows"]}
    with transaction.atomic():
        current = list(model.objects.select_for_update().filter(pk__in=rows).order_by("pk"))
        changed = [obj for obj in current if schedule_of(obj) != rows[obj.pk]["after"]]
        missing = len(rows) - len(current)
        if changed or missing:
            names = ", ".join(f"“{obj}”" for obj in changed)
            return UndoResult(False, _(
                "Cannot undo: %(names)s changed since, or was deleted. Nothing was changed; "
                "check the items and change them one by one."
            ) % {"names": names or _("an item")})  # fmt: skip
        for obj in current:
            before = rows[obj.pk]["before"]
            obj.status = before["status"]
            obj.publish_at = parse_datetime(before["publish_at"]) if before["publish_at"] else None
            obj.expire_at = parse_datetime(before["expire_at"]) if before["expire_at"] else None
            obj.updated_by = request.user
            obj.save(update_fields=[*SCHEDULE_FIELDS, "updated_by"])
            record_change(request, obj, _("Undone: %(done)s") % {"done": record["done"]})
    drop_undo(request, token)
    return UndoResult(True, ngettext(
        "Undone: %(count)d item is back as it was.",
        "Undone: %(count)d items are back as they were.",
        len(current),
    ) % {"count": len(current)})  # fmt: skip


def drop_undo(request: HttpRequest, token: str) -> None:
    records = request.session.get(UNDO_SESSION_KEY, {})
    if records.pop(token, None) is not None:
        request.session[UNDO_SESSION_KEY] = records


# --- Moving a scheduled page to another day (the calendar) ----------------------------------


def parse_item(value: str) -> tuple[type[Publishable], str] | None:
    """``"app_label.model_name:pk"`` as the calendar writes it: a publishable model and pk."""
    label, _sep, pk = value.partition(":")
    app_label, _dot, model_name = label.partition(".")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None or not issubclass(model, Publishable) or not pk.isdigit():
        return None
    return model, pk


def move_to_day(obj: Publishable, day_text: str) -> tuple[datetime, datetime]:
    """The new going-live moment of scheduled ``obj`` moved to ``day_text`` (YYYY-MM-DD),
    at the same time of day on the editor's clock, and the old one. Saves nothing.

    Raises ``ValidationError`` saying why when the day is not a date, has passed, the page
    is not scheduled at a time of its own, or would go live after it expires.
    """
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise ValidationError(
            _("“%(day)s” is not a date: write it like %(today)s.")
            % {"day": day_text[:20], "today": timezone.localdate().isoformat()}
        ) from None
    now = timezone.now()
    rows = type(obj).objects.filter(pk=obj.pk)
    row = rows.annotate(goes_live=rows.goes_live_at()).scheduled(now).first()
    if row is None:
        raise ValidationError(
            _("“%(item)s” is not scheduled: only a page waiting to go live can be moved.")
            % {"item": obj}
        )
    if row.goes_live != row.publish_at:
        raise ValidationError(
            _("“%(item)s” goes live at a time counted from its film's premiere; change that on "
              "its page.") % {"item": obj}
        )  # fmt: skip
    old = row.publish_at
    zone = timezone.get_current_timezone()
    # Through UTC: a wall-clock time a change of clocks skips becomes a real moment.
    new = datetime.combine(day, timezone.localtime(old).time(), tzinfo=zone).astimezone(UTC)
    if day < timezone.localdate() or new <= now:
        raise ValidationError(
            _("%(day)s has passed: choose a day still to come.")
            % {"day": date_format(day, "D j M Y")}
        )
    if row.expire_at and new >= row.expire_at:
        raise ValidationError(
            _("“%(item)s” comes down %(when)s; it cannot go live after that. Change its expiry "
              "on its page first.") % {"item": obj, "when": moment_text(row.expire_at)}
        )  # fmt: skip
    return new, old
