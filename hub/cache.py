"""Django's Redis cache, minus two costs it pays on every call (issue 19: youth pages read the cache on
nearly every request, the fragment versions at least).

- Django builds a new `redis.Redis` client object for each cache call (`RedisCacheClient.get_client`);
  building one fills its table of response callbacks, which cost more CPU than the round trip's own
  Python work. A client only wraps the connection pool and is safe to share between threads (each
  command borrows a connection from the pool), so one client per pool is kept and reused.
- Keys are checked for memcached's limits (length, control characters) character by character; Redis
  has neither limit, and every key of ours is made by code, not typed by a person.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient

    def validate_key(self, key):
        pass  # see the module docstring: memcached's limits do not apply to Redis
