"""The viewer's address behind Varnish, a load balancer or a TLS terminator.

Behind a proxy every request comes from the proxy's address, so sign-in lockouts (django-axes)
and the outreach forms' limits would count every viewer as one. Each proxy appends the address
it was reached from to ``X-Forwarded-For``; anyone can write that header, so it is read only
when the request comes from a trusted proxy (``CMS_TRUSTED_PROXIES``), and then from the
right: the first address that is not itself a trusted proxy is the viewer. ``REMOTE_ADDR`` is
set to it, so everything downstream, axes through ``client_address``, reads one answer.
With no trusted proxies configured nothing changes: the direct peer is the viewer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """IPs or CIDRs as networks; ImproperlyConfigured names a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"CMS_TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from error
    return tuple(networks)


@lru_cache(maxsize=1)
def trusted_proxies() -> tuple[Network, ...]:
    return parse_networks(settings.CMS_TRUSTED_PROXIES)


@receiver(setting_changed)
def forget_trusted_proxies(setting: str, **kwargs) -> None:
    if setting == "CMS_TRUSTED_PROXIES":
        trusted_proxies.cache_clear()


def parse_address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped or address


def is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def viewer_address(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The viewer's address, from the direct ``peer`` and the ``X-Forwarded-For`` chain.

    Only a trusted peer's header is read, right to left, past the trusted proxies; the
    first other address is the viewer. An entry that is not an address (garbage written by
    whoever stands before the last trusted proxy) ends the walk at the last trusted hop.
    """
    current = parse_address(peer)
    if not is_trusted(current, networks):
        return peer
    for entry in reversed(forwarded_for.split(",")):
        hop = parse_address(entry)
        if hop is None:
            break
        current = hop
        if not is_trusted(hop, networks):
            break
    return str(current)


class TrustedProxyMiddleware:
    """Set ``REMOTE_ADDR`` to the viewer's address (``viewer_address``); placed first.

    While proxies are trusted, ``X-Forwarded-Proto`` from any other peer is dropped too, so a
    direct client cannot pass plain HTTP off as HTTPS (``SECURE_PROXY_SSL_HEADER``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = trusted_proxies()
        if networks:
            meta = request.META
            peer = meta.get("REMOTE_ADDR", "")
            if is_trusted(parse_address(peer), networks):
                forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
                meta["REMOTE_ADDR"] = viewer_address(peer, forwarded, networks)
            else:
                meta.pop("HTTP_X_FORWARDED_FOR", None)
                meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


def client_address(request: HttpRequest) -> str | None:
    """The viewer's address for django-axes (``AXES_CLIENT_IP_CALLABLE``): ``REMOTE_ADDR``
    as ``TrustedProxyMiddleware`` left it, never a header a client wrote."""
    return request.META.get("REMOTE_ADDR") or None
