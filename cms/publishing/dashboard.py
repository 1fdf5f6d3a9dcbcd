"""What an editor sees first: their drafts, what goes out soon, what just went out, and the
publishing calendar. Models take part by being ``Publishable`` or by offering
``calendar_events(start, end)``; nothing here names a content app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

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


@dataclass(frozen=True)
class Attention:
    """Something waiting for editors ("3 new host requests"), with where to handle it."""

    text: str
    count: int
    url: str


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


def calendar_days(first: date, days: int) -> list[dict]:
    """Each day from ``first``, in the active time zone, with what happens that day."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), datetime.min.time(), tzinfo=zone)
    by_day: dict[date, list] = {first + timedelta(days=n): [] for n in range(days)}
    for event in calendar_events(start, end):
        local = timezone.localtime(event.at)
        by_day[local.date()].append(
            {
                "event": event,
                "time": local,
                "url": admin_url(event.item),
                "kind": event.item._meta.verbose_name,
            }  # fmt: skip
        )
    return [{"day": day, "events": events} for day, events in by_day.items()]
