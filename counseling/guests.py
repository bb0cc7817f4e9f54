"""Chat guests: a visitor may chat without an account, under a generated pseudonym.

A guest is an ordinary youth account without a usable password, flagged `is_guest`, so every access
rule for youth applies unchanged. At the end of the chat the guest may keep it by choosing a username and
password; otherwise the account and its cases are deleted GUEST_CHAT_KEEP_HOURS after the chat ended
(crypto-shredding first, as for any deleted case).
"""

import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from counseling.models import Chat, ChatStatus
from hub.models import User
from hub.services import youth_role_grant

# Letters that cannot be confused on a small screen (no 0/o, 1/l/i).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def guest_create() -> User:
    while True:
        username = "guest-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not User.objects.filter(username=username).exists():
            break
    user = User(username=username, is_guest=True)
    user.set_unusable_password()
    user.save()
    youth_role_grant(user=user)
    return user


@transaction.atomic
def guest_keep(*, user: User, username: str, password: str) -> User:
    """The guest becomes an ordinary anonymous account; their chat stays in "My questions"."""
    user.username, user.is_guest = username, False
    user.set_password(password)
    user.save(update_fields=["username", "is_guest", "password"])
    return user


def guests_due_for_deletion(*, now: datetime):
    """Guests with no chat running whose last chat ended (or who arrived) long enough ago."""
    from hub.retention import policy_cutoff

    cutoff = policy_cutoff("guest_chats", now=now)
    running = Chat.objects.filter(case__youth=OuterRef("pk")).exclude(status=ChatStatus.ENDED)
    recent = Chat.objects.filter(case__youth=OuterRef("pk"), ended_at__gt=cutoff)
    return (
        User.objects.filter(is_guest=True)
        .filter(Q(date_joined__lte=cutoff))
        .exclude(Exists(running))
        .exclude(Exists(recent))
    )


def purge_guests(*, now: datetime) -> int:
    """The guest purge of the retention mechanism (hub/retention.py), batched like every purge."""
    from counseling.retention import GUEST_CHATS
    from hub.retention import purge_batches

    return purge_batches(GUEST_CHATS, now=now)
