"""The responsive ``<picture>`` every page shows a library image with.

Its renditions are made by the worker (``cms.media.tasks``), never during a request: until
they are all there, the picture is the stored original in a plain ``<img>`` with its width
and height, so the page lays out the same and no one waits.
"""

import logging

from django.template.loader import render_to_string

from cms.media.renditions import PAGE_CROPS, PAGE_WIDTHS

logger = logging.getLogger(__name__)

DEFAULT_WIDTHS = " ".join(str(width) for width in PAGE_WIDTHS)

# How a picture loads. ``first``: the picture a page expects to be its largest painted (a
# hero, a grid's first card): fetched at once and ahead of everything else, so it alone has
# ``fetchpriority="high"``. ``eager``: fetched at once at the browser's own priority (the rest
# of a grid's first row, any of which may be the largest on a wide screen). ``lazy``: fetched
# as it nears the screen.
LOADING = ("first", "eager", "lazy")

# The JPEG named in the ``<img>``'s own ``width``, ``height`` and ``src``: the first at least
# this wide (a phone's, see PAGE_WIDTHS), or the largest there is.
FALLBACK_WIDTH = 768


def picture_html(
    image,
    sizes: str = "100vw",
    widths: str = DEFAULT_WIDTHS,
    crop: str = "",
    css_class: str = "",
    load: str = "lazy",
) -> str:
    """A responsive ``<picture>``: AVIF and WebP sources, a JPEG fallback, intrinsic size.

    The original alone while its renditions are being made; nothing at all for a missing
    image or one whose licence has expired. ``load`` is one of ``LOADING``.
    """
    if image is None or not image.is_usable:
        return ""
    wanted = [int(w) for w in widths.split()]
    if load not in LOADING:
        raise ValueError(f"load={load!r}: a picture loads as one of {LOADING}")
    if crop not in PAGE_CROPS or any(w not in PAGE_WIDTHS for w in wanted):
        logger.warning(
            "The worker never makes pictures %s wide cropped to %r: add them to "
            "PAGE_WIDTHS and PAGE_CROPS (cms.media.renditions).",
            widths,
            crop,
        )
    renditions = image.ready_renditions(wanted, crop)
    context = {"image": image, "sizes": sizes, "css_class": css_class, "load": load}
    if renditions is not None:
        jpeg = renditions["jpeg"]
        context |= {
            "sources": [
                (renditions[fmt][0].mime_type, srcset(renditions[fmt])) for fmt in ("avif", "webp")
            ],
            "srcset": srcset(jpeg),
            "fallback": next((r for r in jpeg if r.width >= FALLBACK_WIDTH), jpeg[-1]),
        }
    return render_to_string("includes/picture.html", context)


def srcset(renditions) -> str:
    seen, parts = set(), []
    for rendition in renditions:
        if rendition.width not in seen:
            seen.add(rendition.width)
            parts.append(f"{rendition.file.url} {rendition.width}w")
    return ", ".join(parts)
