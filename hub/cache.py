"""Django's Redis cache, minus two costs it pays on every call (issue 19: youth pages read the cache on
many requests: rate limits, shared fragments, the fragment versions while a process's listener is not
subscribed, hub/fragments.py).

- Django builds a new `redis.Redis` client object for each cache call (`RedisCacheClient.get_client`);
  building one fills its table of response callbacks, which cost more CPU than the round trip's own
  Python work. A client only wraps the connection pool and is safe to share between threads (each
  command borrows a connection from the pool), so one client per pool is kept and reused.
- Under ASGI, Django makes a new cache backend object for each request (`caches` is context-local), and
  each built its own client object (whose set-up reads package metadata: about 1.5 ms of CPU) with its
  own connection pool, i.e. a new Redis connection per request that read the cache: more than all the
  rest of a kept youth page. The client, with its pools, is therefore made once per process for the
  same servers and options and shared by every backend object (redis-py's pools are thread-safe and
  start afresh in a forked child).
- Keys are checked for memcached's limits (length, control characters) character by character; Redis
  has neither limit, and every key of ours is made by code, not typed by a person.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_CLIENTS: dict[tuple, "RedisCacheClient"] = {}  # (servers, options) -> the process's client
_CLIENTS_LOCK = threading.Lock()


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

    @cached_property
    def _cache(self):
        identity = (tuple(self._servers), repr(sorted(self._options.items())))
        with _CLIENTS_LOCK:
            client = _CLIENTS.get(identity)
            if client is None:
                client = _CLIENTS[identity] = self._class(self._servers, **self._options)
        return client

    def validate_key(self, key):
        pass  # see the module docstring: memcached's limits do not apply to Redis
