"""Roles and review in the admin: submit for review, approve or ask for changes, comments."""

from __future__ import annotations


class ReviewAdminMixin:
    """The review panel and transitions of a publishable page's admin (issue 15, part 4)."""
