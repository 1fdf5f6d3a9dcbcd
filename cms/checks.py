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

    Every cached page is an entry; without a memory limit and an eviction policy that
    drops any key, Redis grows until the machine runs out. Evicting is always safe here:
    the proof of what is current lives in the database, not in Redis.
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
    elif not found.get("maxmemory-policy", "").startswith("allkeys-"):
        problems.append(Warning(
            f"Redis evicts with '{found.get('maxmemory-policy')}': at its limit, writes fail "
            "or only keys with a lifetime go, and pages stop being cached.",
            hint="Set 'maxmemory-policy allkeys-lru'.",
            id="cms.W003",
        ))  # fmt: skip
    return problems
