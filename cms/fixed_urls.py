"""Addresses of pages that take no arguments, reversed once per process.

The site's frame and every page's breadcrumbs name a dozen of them on every request;
``reverse`` walks the URLconf each time.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_fixed_urls: dict[tuple[str, str | None, str], str] = {}


@receiver(setting_changed)
def forget_fixed_urls(**kwargs) -> None:
    _fixed_urls.clear()


def fixed_url(name: str) -> str:
    """``reverse(name)`` for a URL name that takes no arguments, per URLconf and prefix."""
    key = (name, get_urlconf(), get_script_prefix())
    url = _fixed_urls.get(key)
    if url is None:
        url = _fixed_urls[key] = reverse(name)
    return url
