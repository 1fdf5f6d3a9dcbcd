"""What an editor sees first: their drafts, what goes out soon, what just went out, and the
publishing calendar. Models take part by being ``Publishable`` or by offering
``calendar_events(start, end)``; nothing here names a content app."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst

from cms.attention import Attention
from cms.publishing.models import CalendarEvent, Publishable


def publishable_models() -> list[type[Publishable]]:
    return [m for m in apps.get_models() if issubclass(m, Publishable)]


def admin_url(obj) -> str:
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def newest(querysets, key: str, limit: int, reverse_order: bool = True) -> list:
    items = [item for queryset in querysets for item in queryset[:limit]]
    items.sort(key=lambda item: getattr(item, key) or timezone.now(), reverse=reverse_order)
    return [{"item": item, "kind": item._meta.verbose_name, "url": admin_url(item)}
            for item in items[:limit]]  # fmt: skip


def dashboard(user, limit: int = 8) -> dict:
    """What the admin's index shows ``user``: what needs them, their drafts, what goes out
    in the next week, what just went out."""
    now = timezone.now()
    models = publishable_models()
    soon = now + timedelta(days=7)
    return {
        "attention": needing_attention(user),
        "my_drafts": newest(
            [m.objects.drafts().filter(updated_by=user).order_by("-updated_at") for m in models],
            "updated_at", limit,
        ),
        "scheduled": newest(
            [m.objects.scheduled(now).filter(publish_at__lte=soon).order_by("publish_at")
             for m in models],
            "publish_at", limit, reverse_order=False,
        ),
        "recently_published": newest(
            [m.objects.live(now).order_by("-publish_at") for m in models], "publish_at", limit
        ),
    }  # fmt: skip


def needing_attention(user) -> list[Attention]:
    """What models say needs an editor: each model may offer ``needs_attention(user)``,
    a classmethod returning ``Attention`` items (only those with a count are shown)."""
    found = []
    for model in apps.get_models():
        if hasattr(model, "needs_attention"):
            found += [item for item in model.needs_attention(user) if item.count]
    return found


def calendar_events(start: datetime, end: datetime) -> list[CalendarEvent]:
    events = []
    for model in apps.get_models():
        if hasattr(model, "calendar_events"):
            events += model.calendar_events(start, end)
    return sorted(events, key=lambda event: event.at)


def calendar_kinds() -> list[tuple[str, str]]:
    """The calendar's "kind" filter: each model that puts events on it, by its plural name."""
    return [(m._meta.label_lower, capfirst(m._meta.verbose_name_plural))
            for m in apps.get_models() if hasattr(m, "calendar_events")]  # fmt: skip


def object_key(obj) -> str:
    """``"app_label.model_name:pk"``: an object named in a query string or a form."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def floating_time(moment: datetime) -> str:
    """ "10 PM local time", "9:30 PM local time": a time that holds in every zone."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'AM' if moment.hour < 12 else 'PM'} local time"


def publishing_calendar(first: date, days: int, kind: str = "", topic: str = "") -> dict:
    """Each day from ``first``, in the active time zone, with what happens that day.

    ``kind`` keeps one model's events (``calendar_kinds()``), ``topic`` those about one
    object, a film say (``object_key``); the topics to choose from are those of the span,
    plus the chosen one. A floating broadcast sits on the day of its wall clock and is shown
    as "10 PM local time"; anything else moves to the editor's zone.
    """
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), datetime.min.time(), tzinfo=zone)
    by_day: dict[date, list] = {first + timedelta(days=n): [] for n in range(days)}
    topics: dict[str, str] = {}
    for event in calendar_events(start, end):
        about = object_key(event.topic) if event.topic is not None else ""
        if about:
            topics[about] = str(event.topic)
        if (kind and event.item._meta.label_lower != kind) or (topic and about != topic):
            continue
        local = event.at if event.floating else timezone.localtime(event.at)
        day = by_day.get(local.date())
        if day is None:  # a moment on the span's edge that a change of clocks moved out
            continue
        day.append(
            {
                "event": event,
                "time": local,
                "time_text": floating_time(local) if event.floating else local.strftime("%H:%M"),
                "url": admin_url(event.item),
                "kind": event.item._meta.verbose_name,
                "key": object_key(event.item),
            }  # fmt: skip
        )
    if topic and topic not in topics:
        chosen = topic_object(topic)
        if chosen is not None:
            topics[topic] = str(chosen)
    for events in by_day.values():
        events.sort(key=lambda entry: entry["time"].replace(tzinfo=None))
    return {
        "days": [{"day": day, "events": events} for day, events in by_day.items()],
        "kinds": calendar_kinds(),
        "topics": sorted(topics.items(), key=lambda item: item[1].lower()),
    }


def topic_object(key: str):
    """The publishable page an ``object_key`` names, or None (any other model too)."""
    label, _sep, pk = key.partition(":")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, Publishable) or not pk.isdigit():
        return None
    return model.objects.filter(pk=pk).first()
