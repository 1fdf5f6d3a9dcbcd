"""The admin's "Import an interview" page: paste or upload, check the split, create a draft."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def import_view(request: HttpRequest, model_admin) -> HttpResponse:
    """Filled by issue 15, part 1."""
    raise NotImplementedError
