"""The responsive ``<picture>`` every page shows a library image with."""

import logging

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DEFAULT_WIDTHS = "480 960 1440"


def picture_html(
    image,
    sizes: str = "100vw",
    widths: str = DEFAULT_WIDTHS,
    crop: str = "",
    css_class: str = "",
    eager: bool = False,
) -> str:
    """A responsive ``<picture>``: AVIF and WebP sources, a JPEG fallback, intrinsic size.

    Nothing at all for a missing image or one whose licence has expired.
    """
    if image is None or not image.is_usable:
        return ""
    try:
        renditions = image.renditions_for([int(w) for w in widths.split()], crop)
    except OSError:
        logger.warning("Image %s could not be read for renditions", image.pk, exc_info=True)
        return ""
    jpeg = renditions["jpeg"]
    fallback = jpeg[min(1, len(jpeg) - 1)]
    context = {
        "image": image,
        "sources": [
            (renditions[fmt][0].mime_type, srcset(renditions[fmt])) for fmt in ("avif", "webp")
        ],
        "srcset": srcset(jpeg),
        "fallback": fallback,
        "sizes": sizes,
        "css_class": css_class,
        "eager": eager,
    }
    return render_to_string("includes/picture.html", context)


def srcset(renditions) -> str:
    seen, parts = set(), []
    for rendition in renditions:
        if rendition.width not in seen:
            seen.add(rendition.width)
            parts.append(f"{rendition.file.url} {rendition.width}w")
    return ", ".join(parts)
