"""Scheduling you can see: the Schedule control, save messages, bulk actions with undo."""

from __future__ import annotations


class SchedulingAdminMixin:
    """The scheduling side of a publishable page's admin (issue 15, part 5)."""
