"""Staff need two-factor authentication before they reach anything: the one place that decides it.

A staff account without a confirmed TOTP device (newly invited, or after a coordinator reset it) is
"pending": it may set up TOTP, reauthenticate for that, and sign out. Everywhere else it is treated as
an anonymous visitor — over HTTP (``TotpPendingMiddleware`` in hub.middleware) and on every websocket
route (``TotpPendingGuard`` below, in hub.asgi) — whatever the URL. It is decided from what the account
holds (a staff role, or Django's staff/superuser flags), never from a URL prefix.
"""

from functools import cache

from allauth.mfa.models import Authenticator
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier

from hub.prepared import PreparedRead
from hub.roles import is_staff_member

# URL names a pending staff member may reach as themselves: TOTP setup and what it needs, and signing out
# (the quick exit signs out too).
TOTP_SETUP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "quick_exit",
    }
)


def user_has_totp(user) -> bool:
    return user.pk is not None and bool(_totp_read().rows(user_id=user.pk))


@cache
def _totp_read() -> PreparedRead:
    # Its SQL built once per process (hub/prepared.py): every staff socket's connect and check asks.
    def build(user_id):
        return Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).values("pk")[:1]

    return PreparedRead(Authenticator, build, user_id=int)


def holds_staff_rights(user) -> bool:
    """A staff role, or Django's own staff/superuser flags (the Wagtail admin honours the latter)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_staff_member(user) or user.is_staff or user.is_superuser


def totp_pending(user) -> bool:
    """Whether this signed-in account holds staff rights but has not (or no longer) set up TOTP.

    Cached on the request-bound user object: the middleware and the views of one request ask once."""
    cached = getattr(user, "_totp_pending", None)
    if cached is None:
        cached = holds_staff_rights(user) and not user_has_totp(user)
        if user.is_authenticated:
            user._totp_pending = cached
    return cached


class TotpPendingGuard:
    """ASGI middleware inside Channels' auth stack: a pending staff account opens no websocket at all.

    It sits around the URL router, so every route — today's and any added later — is covered without a
    consumer having to remember it."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is not None and await database_sync_to_async(totp_pending)(user):
            denier = WebsocketDenier.as_asgi()
            return await denier(scope, receive, send)
        return await self.inner(scope, receive, send)
