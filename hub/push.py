"""Push notices on a young person's device: switching on and off, and sending "you have a new message".

Opt-in only, one row per browser (hub.models.PushSubscription), sealed. What is sent carries no content
(hub/web_push.py payload_for); the service worker shows a generic text in the language of the subscription.
Counselors do not get push: they work in the staff area in office hours, where the inbox and their mail
notices already tell them; a push to a private phone would reach them off duty.
"""

import http.client
import json
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hub import sealed, web_push
from hub.models import PushSubscription
from hub.roles import is_network_partner, is_staff_member

ENDPOINT, KEYS = "push-endpoint", "push-keys"
# The p256dh key is a 65-byte point, auth 16 bytes: base64url without padding.
P256DH_LENGTH, AUTH_LENGTH = 87, 22


@dataclass(frozen=True)
class Subscription:
    """What the browser's PushSubscription.toJSON() gives, checked."""

    endpoint: str
    p256dh: str
    auth: str

    @classmethod
    def from_json(cls, data) -> "Subscription | None":
        try:
            endpoint, keys = data["endpoint"], data["keys"]
            subscription = cls(str(endpoint), str(keys["p256dh"]), str(keys["auth"]))
            point = web_push.b64url_decode(subscription.p256dh)
            secret = web_push.b64url_decode(subscription.auth)
        except (KeyError, TypeError, ValueError):
            return None
        if len(point) != 65 or point[0] != 4 or len(secret) != 16:
            return None
        return subscription if web_push.endpoint_allowed(subscription.endpoint) else None


def push_available() -> bool:
    return web_push.vapid_keys() is not None


def may_use_push(user) -> bool:
    """Young people with an account; not staff, network partners or chat guests (a guest's account is
    deleted with the chat)."""
    if not user.is_authenticated or getattr(user, "is_guest", False):
        return False
    return not (is_staff_member(user) or is_network_partner(user))


def _open(row: PushSubscription) -> Subscription:
    keys = json.loads(sealed.unseal(row, row.keys_sealed, purpose=KEYS))
    return Subscription(
        sealed.unseal(row, row.endpoint_sealed, purpose=ENDPOINT), keys["p256dh"], keys["auth"]
    )


def _rows_for(user, endpoint: str) -> list[PushSubscription]:
    # A person has a handful of browsers at most: opening each beats keeping a lookup hash of the endpoint.
    return [row for row in PushSubscription.objects.filter(user=user) if _open(row).endpoint == endpoint]


@transaction.atomic
def push_subscribe(*, user, subscription: Subscription, language: str) -> PushSubscription:
    """Switch on for this browser (again): one row per endpoint, its 90 days start again."""
    for row in _rows_for(user, subscription.endpoint):
        row.delete()
    row = PushSubscription(
        user=user, public_id=uuid.uuid4(), wrapped_key=sealed.new_wrapped_key(), language=language
    )
    row.endpoint_sealed = sealed.seal(row, subscription.endpoint, purpose=ENDPOINT)
    keys = json.dumps({"p256dh": subscription.p256dh, "auth": subscription.auth})
    row.keys_sealed = sealed.seal(row, keys, purpose=KEYS)
    row.save()
    return row


def push_unsubscribe(*, user, endpoint: str) -> int:
    """Switch off for this browser: the row is gone, nothing more is sent to it."""
    rows = _rows_for(user, endpoint)
    for row in rows:
        row.delete()
    return len(rows)


def push_new_message(*, user_id: int) -> dict:
    """Tell every browser of the person that there is something new. 404/410 from the push service: the
    browser dropped the subscription, so do we. Returns counts only (nothing identifying to log)."""
    keys = web_push.vapid_keys()
    counts = {"sent": 0, "gone": 0, "failed": 0}
    if keys is None:
        return counts
    for row in PushSubscription.objects.filter(user_id=user_id):
        subscription = _open(row)
        try:
            result = web_push.push_send(
                endpoint=subscription.endpoint,
                p256dh=subscription.p256dh,
                auth=subscription.auth,
                keys=keys,
                payload=web_push.payload_for(row.language),
            )
        except (OSError, http.client.HTTPException):
            counts["failed"] += 1  # unreachable now; the next new message tries again
            continue
        if result.gone:
            row.delete()
            counts["gone"] += 1
        elif result.delivered:
            PushSubscription.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
            counts["sent"] += 1
        else:
            counts["failed"] += 1
    return counts
