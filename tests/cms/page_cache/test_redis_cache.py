"""The Redis cache keeps one client per connection pool, and works as Django's does."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from cms.page_cache.redis_cache import RedisCache
from tests.services import spare_redis_url

REDIS = spare_redis_url()


def test_one_client_serves_every_call_and_the_cache_works():
    cache = RedisCache(REDIS, {"KEY_PREFIX": "kept-client-test"})
    assert isinstance(cache, DjangoRedisCache)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client  # one server: reads and writes share a pool
    cache.set("greeting", {"text": "hello"}, 30)
    assert cache.get("greeting") == {"text": "hello"}
    cache.delete("greeting")
    assert cache.get("greeting") is None
