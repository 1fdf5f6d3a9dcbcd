"""Django's Redis cache, with one client per connection pool instead of one per call.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache operation; a page
kept in parts asks the cache several times, and making those clients was a seventh of such a
page's CPU. A ``redis.Redis`` is safe to share between threads (each command takes its own
connection from the pool), so one per pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends import redis


class KeptClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with kept clients (see the module)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
