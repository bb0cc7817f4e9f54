"""What every websocket shares: access is checked on connect and again before each event goes out, and a
socket leaves its groups (and is closed with a reason the page shows) the moment access ends.

Access changes are pushed, not polled. The services that change access call `access_revoked` (after
commit): every socket of the users named — through a per-user group — and every socket in the cases'
groups checks again at once, against the same access function it used on connect. The announcement is
also numbered in the shared cache (hub/socket_revocations.py), where one task per process looks every
few seconds, so one the channel layer dropped (it is at-most-once) still takes effect within seconds.
Between announcements a socket keeps its verdict, so the check before each event is a comparison rather
than a query (chat lines are many); only a change made behind the services' back (an SQL update, the
shell) waits for RECHECK_SECONDS.

Close codes, sent after accepting so the browser sees them (a refusal on connect carries the same code):
4401 signed out, 4403 may see but may not take part, 4404 may not see (as a page's 404). The reason
("handover", "closed", "deleted", "logout", "revoked", "removed") picks the page's translated notice.
"""

import asyncio
import hashlib
import logging
import time
from functools import cache, partial

from asgiref.sync import async_to_sync
from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.crypto import constant_time_compare
from django.utils.functional import LazyObject
from uvicorn.protocols.utils import ClientDisconnected

from hub import socket_revocations
from hub.prepared import PreparedRead

logger = logging.getLogger(__name__)

# ORM work runs in the loop's thread pool, not in the one shared "sync thread" that Channels uses by
# default: chats lock only their own row, so lines of different chats are stored in parallel.
# (Measured with bench/chat_load.py: the shared thread queued every line of every chat behind the others.)
in_worker = partial(DatabaseSyncToAsync, thread_sensitive=False)

# Announced changes take effect at once (or within socket_revocations.POLL_SECONDS if the channel layer
# dropped them); this is for changes nobody announced. (At 30 s, each socket's own re-check was about a
# fifth of the chat server's CPU at 500 sockets: bench/chat_load.py.)
RECHECK_SECONDS = 300
SIGNED_OUT, MAY_NOT_TAKE_PART, MAY_NOT_SEE = 4401, 4403, 4404
_DEFAULT_REASON = {SIGNED_OUT: "logout", MAY_NOT_TAKE_PART: "denied", MAY_NOT_SEE: "denied"}


def access_group(user_id: int) -> str:
    """Every socket of a user, whatever it carries: where a change of the user's access is announced."""
    return f"access.{user_id}"


def case_group(case_id: int) -> str:
    """The sockets of one counseling case (its live chat and video signalling)."""
    return f"case.{case_id}"


def session_marker(session_key: str | None) -> str:
    """Names a session in an event without putting its key on the channel layer."""
    if not session_key:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{session_key}".encode()).hexdigest()[:32]


def access_revoked(*, user_ids=(), case_ids=(), reason: str, ended_session: str | None = None) -> None:
    """The one call for "access may have ended": handover, closing or deleting a case, a role or site
    change, deactivation, logout. After commit, every socket of these users and of these cases checks its
    access again and closes (with `reason`) if it is gone. `ended_session` (a session key) closes the
    sockets of that signed-out session without a check: the session row is deleted only after the
    logout signal."""
    groups = [access_group(user_id) for user_id in set(user_ids) - {None}]
    groups += [case_group(case_id) for case_id in set(case_ids) - {None}]
    if not groups:
        return
    message = {"type": "access.revoked", "reason": reason, "session": session_marker(ended_session)}

    async def send_all():
        layer = get_channel_layer()
        for group in groups:
            await layer.group_send(group, message)

    def announce():
        try:  # numbered first: the sockets that hear both check once (the number says it is the same)
            message["number"] = socket_revocations.record(groups, message)
        except Exception:  # the channel layer below may still reach them
            logger.warning("sockets: an access change could not be recorded", exc_info=True)
        async_to_sync(send_all)()

    # Robust like every announcement (hub.services.group_send_after_commit): the change is saved either way.
    transaction.on_commit(announce, robust=True)


def current_user(scope):
    """The socket's user as they are now (read again), or None once they are signed out, deactivated,
    deleted or their session was ended or invalidated (a password change)."""
    user = scope.get("user")
    if user is None or not user.is_authenticated or user.pk is None:  # no pk: deleted in this process
        return None
    from hub.mfa import totp_pending

    fresh = next(iter(_fresh_user_read().objects(user_id=user.pk)), None)
    if fresh is None or totp_pending(fresh):  # staff whose 2FA was reset open nothing (hub/mfa.py)
        return None
    session = scope.get("session")
    key = getattr(session, "session_key", None) if session is not None else None
    if key:  # a browser's socket: its session must still be the one signed in as this user
        from importlib import import_module

        data = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).load()
        if str(data.get(SESSION_KEY)) != str(fresh.pk):
            return None
        stored_hash = data.get(HASH_SESSION_KEY)
        if stored_hash and not constant_time_compare(stored_hash, fresh.get_session_auth_hash()):
            return None
    return fresh


@cache
def _fresh_user_read() -> PreparedRead:
    """`current_user`'s read of the account, its SQL built once per process (hub/prepared.py): every
    connect and every re-check reads it, and building it cost more than PostgreSQL took to answer."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return PreparedRead(
        get_user_model(), lambda user_id: users.filter(pk=user_id, is_active=True)[:1], user_id=int
    )


def handshake_user(scope):
    """The user Channels' auth middleware read for this very handshake (an active account whose session
    hash matched) and TotpPendingGuard let through (hub/mfa.py), or None; a user put in the scope by
    other means is read again. Reading user, session and 2FA again a moment later, as `current_user`
    does, reads the same rows: four queries of every connect (bench/chat_load.py's reconnects). Only for
    the first check on connect: the one after joining the groups reads everything afresh, so nothing
    changed in between goes unseen."""
    user = scope.get("user")
    if not isinstance(user, LazyObject):  # not the middleware's (put there by hand): read as usual
        return current_user(scope)
    return user._wrapped if user.is_authenticated else None  # resolved by the middleware by now


class Refused(Exception):
    def __init__(self, code: int, reason: str = ""):
        super().__init__(code)
        self.code, self.reason = code, reason


class GuardedConsumer(AsyncJsonWebsocketConsumer):
    """A consumer whose access is one function (`check_access`), asked on connect and again before each
    event it forwards. Subclasses call `await self.allowed()` before sending an event and implement:

    - `check_access(user)`: raise Http404 (may not see) or PermissionDenied (may not take part); runs in a
      worker thread with a freshly read user, and may keep what it read (ids, flags) on self;
    - `groups_to_join()`: the groups besides the user's access group;
    - `accepted()`: what to send right after accepting (e.g. a hello).
    """

    ended = False
    joined: list[str] = []

    async def connect(self):
        try:  # first with the user the handshake has just read; afresh once the groups are joined
            await in_worker(self._authorize)(fresh=False)
        except Refused as refused:
            await self.close(code=refused.code)
            return
        self.marker = session_marker(getattr(self.scope.get("session"), "session_key", None))
        self.joined = [access_group(self.user.pk), *self.groups_to_join()]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        try:  # again, now that the groups are joined: an announcement in between was not heard
            await in_worker(self._authorize_and_prepare)()
        except Refused as refused:
            await self._leave_groups()
            await self.close(code=refused.code)
            return
        await self.accept()
        socket_revocations.watch(self)
        await self.accepted()

    async def disconnect(self, code):
        socket_revocations.forget(self)
        await self._leave_groups()

    def _authorize(self, *, fresh: bool = True) -> None:
        user = current_user(self.scope) if fresh else handshake_user(self.scope)
        if user is None:
            raise Refused(SIGNED_OUT)
        try:
            self.check_access(user)
        except Http404 as exc:
            raise Refused(MAY_NOT_SEE) from exc
        except PermissionDenied as exc:
            raise Refused(MAY_NOT_TAKE_PART, str(exc)) from exc  # the access function may say why
        self.user, self.checked_at, self.stale = user, time.monotonic(), False

    def _authorize_and_prepare(self) -> None:
        self._authorize()
        self.prepare()

    async def allowed(self, *, reason: str | None = None) -> bool:
        """Before an event goes out: the cached verdict while it is fresh, else the access function again.
        When access has ended the socket leaves its groups and closes; nothing more is sent."""
        if self.ended:
            return False
        if not self.stale and time.monotonic() - self.checked_at < RECHECK_SECONDS:
            return True
        try:
            await in_worker(self._authorize)()
        except Refused as refused:
            await self.end(refused.code, reason or refused.reason or _DEFAULT_REASON[refused.code])
            return False
        return True

    async def access_revoked(self, message):
        heard = self.__dict__.setdefault("heard", set())
        if message.get("number") is not None:  # over the channel layer and from the record: once is enough
            if message["number"] in heard:
                return
            heard.add(message["number"])
        if message.get("session") and constant_time_compare(message["session"], self.marker):
            await self.end(SIGNED_OUT, "logout")
            return
        self.stale = True
        await self.allowed(reason=message.get("reason"))

    def revoked_elsewhere(self, message) -> None:
        """An announcement read from the record (hub/socket_revocations.py): handled as if it had come over
        the channel layer, in a task of its own (the poller serves every socket of the process)."""
        task = asyncio.ensure_future(self.access_revoked(message))
        tasks = self.__dict__.setdefault("rechecks", set())
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def end(self, code: int, reason: str) -> None:
        if self.ended:  # two checks at once (an event and an announcement) both found access gone
            return
        socket_revocations.forget(self)
        self.ended = True
        await self._leave_groups()
        await self.close(code=code, reason=reason)

    async def _leave_groups(self) -> None:
        joined, self.joined = self.joined, []
        for group in joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def send_json(self, content, close=False):
        """A close can cross an event on its way out: the client left, or the server closed the socket (a
        keepalive ping went unanswered) before the consumer heard. uvicorn then refuses the send; the send
        is dropped, so that the websocket.disconnect queued behind it still runs `disconnect` (presence
        "left", the process's beat, the revocation watch). An exception here would end the consumer
        without it, and the other side would hear "here" from a socket that is gone. (Every consumer here
        sends through this method.)"""
        if self.__dict__.get("connection_closed"):
            return
        try:
            await super().send_json(content, close=close)
        except ClientDisconnected:
            self.connection_closed = True
        except RuntimeError as exc:
            if "after sending 'websocket.close'" not in str(exc):
                raise
            self.connection_closed = True

    async def dispatch(self, message):
        """As Channels' own, without its `aclose_old_connections()` before every message: that is a hop to
        the one shared sync thread for each frame a client sends and each event a socket forwards, and
        under load every socket of the process queued behind it (bench/chat_load.py). These consumers use
        the database only through `in_worker`, which closes stale connections around each call itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive_json(self, content, **kwargs):
        # What the client asks is checked like what it is sent.
        if await self.allowed():
            await self.received(content)

    async def received(self, content) -> None:
        """A message from the client, once access is confirmed."""

    def check_access(self, user) -> None:
        raise NotImplementedError

    def groups_to_join(self) -> list[str]:
        return []

    def prepare(self) -> None:
        """What `accepted` will send (a hello), read in the worker call of the check after joining the
        groups, so it is as fresh as that check: one thread hop fewer on every connect."""

    async def accepted(self) -> None:
        """Called once the socket is open."""


# Signal receivers (connected in hub/apps.py). Signals because these changes have many doors — allauth's
# and the idle timeout's logout, Wagtail's user editor, the shell — and an open socket must hear of each.


def sockets_after_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        session = getattr(request, "session", None)
        access_revoked(
            user_ids=[user.pk], reason="logout", ended_session=session.session_key if session else None
        )


def sockets_after_user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        access_revoked(user_ids=[instance.pk], reason="revoked")
