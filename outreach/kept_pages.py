"""A public form page kept whole for every viewer, the viewer's CSRF token put in last.

A form page is never kept by the page cache: it holds the viewer's CSRF token. Yet a blank
form's page is otherwise the same for everyone who opens it, and rendering it (the base
template, the head, the form's fields) is most of its cost. So its HTML is kept
(``cms.page_cache.kept``) with a mark where the token goes, split there, and each request
joins the pieces around its own token: served while every public row and list read while it
rendered is unchanged (one query), as long as what ``variant`` names (the page's own state
that no public row records, such as places left) is the same.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from cms.page_cache.kept import NotKept, kept, kept_key

Render = Callable[[dict], HttpResponse]


def kept_form_page(request: HttpRequest, name: str, render: Render, variant: Iterable[object] = (),
                   shows: Iterable[str] = ()) -> HttpResponse:  # fmt: skip
    """``render({"csrf_token": ...})``'s page for this viewer, kept per address and ``variant``.

    ``render`` gets the context to add to its own (a mark in place of the token); a response
    other than a 200 is answered as it is and not kept. ``shows``: keys of rows loaded before
    (the screening the page is about). The viewer's token is the real one, per request, and
    its cookie is set as ``{% csrf_token %}`` would.
    """
    key = kept_key(f"form-page:{name}", [get_language() or "", request.path, *map(str, variant)],
                   request)  # fmt: skip

    def build() -> list[bytes]:
        mark = secrets.token_hex(32)  # letters and digits: unchanged by escaping
        response = render({"csrf_token": mark})
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.streaming or response.cookies:
            token = get_token(request).encode()
            response.content = response.content.replace(mark.encode(), token)
            raise NotKept(response)
        return response.content.split(mark.encode())

    made = kept(key, build, shows)
    if isinstance(made, HttpResponse):
        return made
    return HttpResponse(get_token(request).encode().join(made))
