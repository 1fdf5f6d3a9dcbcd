"""Uploaded images served by the app itself (one-machine installs), and only those allowed.

A file is served only if it is a library image or one of its renditions, and, for anyone
but staff, only while the image's licence lasts. Drafts' images are protected by their
names, which are random (``image_upload_to``, ``rendition_upload_to``): only those shown
the draft learn them. With object storage the app serves nothing; see the README for the
private bucket and signed addresses that give the same guarantee there.

Browsers and shared caches may keep a rendition for a year: its address is random and never
reused, so its bytes never change. An original is shown only until its renditions are made,
and may be replaced, so it is kept an hour. Neither is kept past the licence's end, and a
file only staff may see (a licence that ended) is never stored.
"""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.static import serve

from cms.media.models import Image, Rendition
from cms.page_cache.cache import not_cached

# Longer names cannot be stored (the file fields' max_length), so cannot be ours.
MAX_NAME_LENGTH = 255
RENDITION_SECONDS = 365 * 24 * 60 * 60
ORIGINAL_SECONDS = 60 * 60


def image_for_file(name: str) -> Image | None:
    """The library image a stored file belongs to, or None for any other file."""
    if name.startswith("renditions/"):
        rendition = Rendition.objects.select_related("image").filter(file=name).first()
        return rendition.image if rendition else None
    return Image.objects.filter(file=name).first()


def cache_control(image: Image, *, rendition: bool) -> str:
    """How long a viewer's browser or a shared cache may keep this file (module docstring)."""
    if not image.is_usable:
        return "private, no-store"
    seconds = RENDITION_SECONDS if rendition else ORIGINAL_SECONDS
    if image.licence_expires_on is not None:
        ends = timezone.make_aware(datetime.combine(image.licence_expires_on, time.min))
        seconds = min(seconds, int((ends - timezone.now()).total_seconds()))
    immutable = ", immutable" if seconds == RENDITION_SECONDS else ""
    return f"public, max-age={seconds}{immutable}"


@not_cached
def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """One uploaded file, if a library image owns it and the viewer may see that image."""
    if "\x00" in path or len(path) > MAX_NAME_LENGTH:
        raise Http404("No such file.")
    image = image_for_file(path)
    if image is None or not (image.is_usable or request.user.is_staff):
        raise Http404("No such file.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = cache_control(image, rendition=path.startswith("renditions/"))
    return response
