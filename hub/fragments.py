"""Shared page fragments: what every visitor of a youth page sees alike (a rendered article, the forum's
posts for visitors, the nearest sites to a postcode, a blank form), built once and reused until the data
under it changes (issue 19: youth pages at the speed of a bare view).

How a change shows on the next request, in every process:
- Each kind of data has a version token in the shared cache (Redis in production): "sites", "knowledge",
  "forum", "legal", "retention". A save or delete of one of its models draws a new token (WATCHED
  below), at once and again after the commit (a request between the two would otherwise store what it
  read before the commit under the new token), and announces it to every process (KeptVersions).
- A fragment's key holds the tokens of the data it shows, the language and time zone, and what it varies
  on. A request takes the tokens as its process keeps them (memoised for the request by
  FragmentVersionsMiddleware), so a stale fragment is not found: its key is simply not asked for again.
  The process keeps them as announced: its own bumps at once, another process's as soon as the
  announcement is read (about a millisecond here); without a listener, a request reads them itself.
- Because a key never names changed content, the fragments themselves may live in this process's memory
  (a bounded LRU): no other process has to be told to drop them. Data that is costly to build and the
  same in every release (`shared=True`) goes to the shared cache as well, so a second process need not
  rebuild it.

Never put anything per person or per request into a fragment: no CSRF token, no CSP nonce, nothing of the
signed-in user. `{% fragment %}` refuses to store output that carries a CSRF field or the request's nonce.
"""

import contextlib
import hashlib
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
NAMESPACES = ("sites", "knowledge", "forum", "legal", "retention")
VERSION_KEY = "fragments:version:{}"
SHARED_KEY = "fragments:data:{}"
SHARED_SECONDS = 60 * 60 * 24  # keys name their versions; the timeout only returns memory
LOCAL_MAX_BYTES = 48 * 1024 * 1024  # per process; the least recently used go first

_versions: ContextVar[dict | None] = ContextVar("fragment_versions", default=None)


# --- versions -------------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    """The current token of every namespace, once per request: as this process keeps them (KeptVersions)
    while its listener is subscribed, else from the shared cache in one round trip."""
    memo = _versions.get()
    if memo is not None:
        return memo
    current = kept.get()
    if current is None:
        try:
            current = _read_tokens()
        except Exception:  # noqa: BLE001 - the cache is down: nothing cached is reused, pages still render
            logger.warning("fragment versions unavailable; building every fragment afresh")
            local.clear()  # a change made meanwhile could not draw a new version: nothing older is trusted
            current = {namespace: uuid.uuid4().hex for namespace in NAMESPACES}
    if _request_open.get():
        _versions.set(current)
    return current


def _read_tokens() -> dict[str, str]:
    keys = {namespace: VERSION_KEY.format(namespace) for namespace in NAMESPACES}
    found = cache.get_many(keys.values())
    current = {}
    for namespace, key in keys.items():
        if key not in found:
            # First use (or evicted): any fresh token will do; `add` lets concurrent firsts agree.
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or uuid.uuid4().hex
        current[namespace] = found[key]
    return current


def bump(namespace: str) -> None:
    """A change of `namespace`'s data: a new token now, and another once the transaction commits."""
    if namespace not in NAMESPACES:
        raise ValueError(f"unknown fragment namespace {namespace!r}")
    _bump_now(namespace)
    transaction.on_commit(lambda: _bump_now(namespace), robust=True)


def _bump_now(namespace: str) -> None:
    token = uuid.uuid4().hex
    try:
        cache.set(VERSION_KEY.format(namespace), token, None)
        kept.announce(namespace, token)
    except Exception:  # noqa: BLE001 - the change itself must not fail with the cache
        logger.warning("fragment version of %s not renewed (cache unavailable)", namespace)
        local.clear()
        kept.drop()
    memo = _versions.get()
    if memo is not None:
        memo[namespace] = token


class KeptVersions:
    """The tokens, kept in this process between bumps, so that a request needs no round trip for them:
    under load that read was a sixth of the young person's case page's own time (issue 19).

    A bump, in any process, sets its token and then publishes its namespace on the bump channel (one per
    shared cache). A listener thread per process, subscribed to it, reads every token afresh on each
    message: whatever order bumps arrive in, its last read after the last message holds what the shared
    cache holds. Kept tokens are used only while the listener is subscribed and its last read stands:
    before that, and from the moment its connection fails, each request reads the tokens itself, as
    without it. A bump in this process is kept at once; another process's reaches this one when its
    message has been read (tests/test_fragment_versions.py measures it: about a millisecond here), where a
    request reading the shared cache saw it at once. Re-read every HEALTH_SECONDS as well, which also
    finds a connection that died silently. Only on Redis: the embedded default's cache is the process's
    own, and read as cheaply as this."""

    HEALTH_SECONDS = 10.0

    def __init__(self):
        self.tokens: dict[str, str] | None = None
        self.lock = threading.Lock()
        self.generation = 0  # bumps kept here: a read begun before one of them is not kept
        self.pid: int | None = None  # the process the listener runs in (a forked child starts its own)
        self.pubsub = None  # the listener's subscription, for tests

    def get(self) -> dict[str, str] | None:
        if self.pid != os.getpid():
            self._start()
        tokens = self.tokens
        return dict(tokens) if tokens is not None else None  # the request's memo may be changed

    def announce(self, namespace: str, token: str) -> None:
        """After a bump's `set`: keep it here, and tell the other processes."""
        with self.lock:
            self.generation += 1
            if self.tokens is not None:
                self.tokens = {**self.tokens, namespace: token}
        bus = _bus()
        if bus is not None:
            client, channel = bus
            client.publish(channel, namespace)

    def drop(self) -> None:
        with self.lock:
            self.generation += 1
            self.tokens = None

    def _start(self) -> None:
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.tokens = os.getpid(), None
        if _bus() is not None:
            threading.Thread(target=self._listen, name="fragment-versions", daemon=True).start()

    def _listen(self) -> None:
        pid, failing = os.getpid(), False
        while self.pid == pid:
            pubsub = None
            try:
                client, channel = _bus()
                pubsub = self.pubsub = client.pubsub()
                pubsub.subscribe(channel)
                _confirmed(pubsub)  # from here on no bump goes unheard: read what the bumps so far left
                self._read()
                failing = False
                while self.pid == pid:
                    # Any message, the confirmation of a subscription that redis-py renewed after a lost
                    # connection included, is followed by a read: a bump announced meanwhile is not missed.
                    message = pubsub.get_message(timeout=self.HEALTH_SECONDS)
                    if message is None:
                        pubsub.ping()  # a dead connection fails here or in the next wait
                    while pubsub.get_message(timeout=0) is not None:
                        pass  # several bumps at once: one read answers them all
                    self._read()
            except Exception:  # noqa: BLE001 - Redis away: requests read the tokens themselves meanwhile
                if not failing:  # once per outage, not once a second
                    logger.warning("fragment versions listener lost its connection; reconnecting")
                failing = True
            finally:
                self.drop()
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()
            time.sleep(1.0)

    def _read(self) -> None:
        generation = self.generation
        tokens = _read_tokens()
        with self.lock:
            if generation == self.generation:  # else a bump (its message reads again) or a drop came
                self.tokens = tokens


def _confirmed(pubsub) -> None:
    for _attempt in range(10):
        message = pubsub.get_message(timeout=1.0)
        if message is not None and message["type"] == "subscribe":
            return
    raise ConnectionError("no confirmation of the subscription")


kept = KeptVersions()


def _bus():
    """The shared cache's Redis client and its bump channel (channels are one per Redis server, not per
    database: the channel names the cache's location and key prefix); None for a cache of another kind."""
    from hub.cache import SharedClientRedisCache

    backend = caches["default"]
    if not isinstance(backend, SharedClientRedisCache):
        return None
    return backend._cache.get_client(None), f"{backend.make_key('fragments:bumped')}@{backend._servers[0]}"


_request_open: ContextVar[bool] = ContextVar("fragment_request_open", default=False)


class FragmentVersionsMiddleware:
    """Scopes the memo of versions() to one request (a new request takes the tokens afresh)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        open_token, memo_token = _request_open.set(True), _versions.set(None)
        try:
            return self.get_response(request)
        finally:
            _versions.reset(memo_token)
            _request_open.reset(open_token)


# --- the stores -----------------------------------------------------------------------------------


class _LocalStore:
    """A least-recently-used dict bounded by the size of its values (strings count by length)."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size = max_bytes, 0
        self.items: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, default=None):
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return default
            self.items.move_to_end(key)
            return item[0]

    def set(self, key: str, value, size: int) -> None:
        with self.lock:
            if key in self.items:
                self.size -= self.items.pop(key)[1]
            self.items[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes and len(self.items) > 1:
                self.size -= self.items.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


local = _LocalStore(LOCAL_MAX_BYTES)
_MISSING = object()


def fragment_key(name: str, *, depends: tuple[str, ...], vary: tuple = (), per_language: bool = True) -> str:
    """The key of a fragment: its name, the language and time zone (unless the value is the same in every
    language: per_language=False), what it varies on and the versions of the data it shows (hashed: vary
    values may be long, e.g. a search)."""
    current = versions() if depends else {}  # no data shown (a blank form, the nav): no versions
    parts = [
        name,
        (get_language() or "") if per_language else "",
        timezone.get_current_timezone_name() if per_language else "",
        *(f"{namespace}={current[namespace]}" for namespace in depends),
        *(str(value) for value in vary),
    ]
    return f"{name}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached(
    name: str,
    *,
    depends: tuple[str, ...],
    vary: tuple = (),
    build: Callable[[], object],
    shared=False,
    per_language=True,
):
    """The value of `build()` for this key: from this process's memory, else (shared=True) from the
    shared cache, else built and kept. `build` must return the same for every visitor (and, with
    per_language=False, in every language: data, not words)."""
    key = fragment_key(name, depends=depends, vary=vary, per_language=per_language)
    value = local.get(key, _MISSING)
    if value is not _MISSING:
        return value
    if shared:
        value = cache.get(SHARED_KEY.format(key), _MISSING)
    if value is _MISSING:
        value = build()
        if shared:
            cache.set(SHARED_KEY.format(key), value, SHARED_SECONDS)
    local.set(key, value, _size_of(value))
    return value


def _size_of(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):  # a fragment with fresh parts is its text between them
        return 64 + sum(len(part) if isinstance(part, str) else 128 for part in value)
    return 256


# --- what changes which fragments -----------------------------------------------------------------

# Every model whose rows a shared fragment shows, by label (hub must not import the apps above it).
# A save or delete of one bumps its namespace; code that writes these rows in bulk (bulk_create,
# queryset.update) calls bump() itself (sites/importer.py, knowledge/search_index.py).
WATCHED = {
    "sites.Site": "sites",
    "sites.ProviderGroup": "sites",
    "sites.OpeningHours": "sites",
    "sites.Closure": "sites",
    "knowledge.ArticlePage": "knowledge",
    "knowledge.KnowledgeIndexPage": "knowledge",
    "knowledge.ArticleTopic": "knowledge",
    "wagtaildocs.Document": "knowledge",
    "forum.Category": "forum",
    "forum.Thread": "forum",
    "forum.Post": "forum",
    "forum.ForumProfile": "forum",  # the forum name shown on each post
    "legal.LegalPage": "legal",
    "hub.RetentionPolicy": "retention",  # the periods behind "will be deleted on" (hub/retention.py)
}


def _on_change(sender, **kwargs) -> None:
    namespace = WATCHED.get(sender._meta.label)
    if namespace is not None:
        bump(namespace)


def _on_user_change(sender, update_fields=None, **kwargs) -> None:
    # A counselor's display name signs their forum posts (young people sign with their forum name).
    if update_fields is None or "display_name" in update_fields:
        bump("forum")


def _on_page_event(sender, instance=None, **kwargs) -> None:
    # Wagtail's publish/unpublish also save the row; this also covers a moved or restored page.
    _on_change(type(instance) if instance is not None else sender)


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    for signal in (post_save, post_delete):
        signal.connect(_on_change, dispatch_uid=f"hub.fragments.{signal}")
        signal.connect(_on_user_change, sender=get_user_model(), dispatch_uid=f"hub.fragments.user.{signal}")
    for signal in (page_published, page_unpublished):
        signal.connect(_on_page_event, dispatch_uid=f"hub.fragments.{signal}")
