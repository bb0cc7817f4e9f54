from functools import cache

from hub.models import StaffInvitation
from hub.prepared import PreparedRead


def invitations_recent(*, invited_by=None, limit: int = 50):
    """All recent invitations, or (for a site lead) those they sent."""
    invitations = StaffInvitation.objects.select_related("invited_by", "accepted_by")
    if invited_by is not None:
        invitations = invitations.filter(invited_by=invited_by)
    return invitations[:limit]


def _notice_address(user_id: int):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user_id).order_by("-verified", "-primary", "pk")[:1]


@cache
def _notice_address_read() -> PreparedRead:
    # Made on first use: allauth's model is not loaded when this module is imported.
    from allauth.account.models import EmailAddress

    return PreparedRead(EmailAddress, _notice_address, user_id=int)


def notice_address_of(user):
    """The address a person gave for notices (at most one, ACCOUNT_MAX_EMAIL_ADDRESSES), confirmed or not.

    Notices go to `user.email`, which allauth fills only once the address is confirmed. Read on every
    view of the account page: its SQL is built once per process (hub/prepared.py)."""
    return next(iter(_notice_address_read().objects(user_id=user.pk)), None)
