"""Deployment checks of the kit (``manage.py check --deploy``; ``make serve`` runs them)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


def redis_memory_settings(url: str) -> dict[str, str]:
    """The Redis server's ``maxmemory`` and ``maxmemory-policy``, read with CONFIG GET."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        found = client.config_get("maxmemory")
        found |= client.config_get("maxmemory-policy")
    finally:
        client.close()
    return {str(key): str(value) for key, value in found.items()}


@register(Tags.caches, deploy=True)
def check_redis_memory_limit(app_configs=None, **kwargs) -> list[Warning]:
    """Warn when the page cache's Redis may grow without bound.

    Every cached page is an entry; without a memory limit and an eviction policy, Redis
    grows until the machine runs out. Evicting is always safe here: the proof of what is
    current lives in the database, not in Redis, and every key has a lifetime, so the
    ``volatile-*`` policies work as well as ``allkeys-*``.
    """
    if not settings.REDIS_URL:
        return []
    try:
        found = redis_memory_settings(settings.REDIS_URL)
    except Exception as error:  # noqa: BLE001 - any failure means "could not check"
        return [Warning(f"Could not read Redis's memory limit ({error}).",
                        hint="Check maxmemory on the server by hand.", id="cms.W002")]  # fmt: skip
    problems = []
    if found.get("maxmemory", "0") == "0":
        problems.append(Warning(
            "Redis has no memory limit: the page cache can grow until the machine runs out.",
            hint="Set maxmemory (e.g. 'maxmemory 256mb') and 'maxmemory-policy allkeys-lru' "
            "in redis.conf; see the README's Security section.",
            id="cms.W001",
        ))  # fmt: skip
    elif found.get("maxmemory-policy", "") == "noeviction":
        problems.append(Warning(
            "Redis evicts nothing ('noeviction'): at its limit every write fails, and "
            "pages stop being cached.",
            hint="Set 'maxmemory-policy allkeys-lru'.",
            id="cms.W003",
        ))  # fmt: skip
    return problems


@register(Tags.security, deploy=True)
def check_signed_media_addresses(app_configs=None, **kwargs) -> list[Warning]:
    """Warn when signed media addresses were asked for but will not be signed.

    django-storages signs no address on a custom domain (a CDN, ``AWS_S3_CUSTOM_DOMAIN``)
    unless a CloudFront key is configured: a private bucket would then serve no image at
    all, and a public one every image to anyone, drafts' and expired ones included.
    """
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if options.get("querystring_auth") and options.get("custom_domain"):
        if not options.get("cloudfront_key"):
            return [Warning(
                "AWS_QUERYSTRING_AUTH=1 with AWS_S3_CUSTOM_DOMAIN: media addresses on the "
                "custom domain are not signed.",
                hint="Leave AWS_S3_CUSTOM_DOMAIN empty for signed bucket addresses, or sign "
                "with a CloudFront key (django-storages' AWS_CLOUDFRONT_KEY).",
                id="cms.W004",
            )]  # fmt: skip
    return []
