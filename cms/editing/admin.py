"""Autosave and presence for admin forms (issue 15, part 3)."""

from __future__ import annotations


class EditingAdminMixin:
    """Offers an editor's autosaved draft back and shows who else has the page open."""
