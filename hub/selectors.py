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


_NOTICE_ADDRESS = None  # a PreparedRead, made on first use (allauth's model is not loaded at import)


def notice_address_of(user):
    """The address a person gave for notices (at most one, ACCOUNT_MAX_EMAIL_ADDRESSES), confirmed or not.

    Notices go to `user.email`, which allauth fills only once the address is confirmed. Read on every
    view of the account page: its SQL is built once per process (hub/prepared.py)."""
    global _NOTICE_ADDRESS
    if _NOTICE_ADDRESS is None:
        from allauth.account.models import EmailAddress

        _NOTICE_ADDRESS = PreparedRead(EmailAddress, _notice_address, user_id=int)
    return next(iter(_NOTICE_ADDRESS.objects(user_id=user.pk)), None)
