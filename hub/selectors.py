from hub.models import StaffInvitation


def invitations_recent(*, invited_by=None, limit: int = 50):
    """All recent invitations, or (for a site lead) those they sent."""
    invitations = StaffInvitation.objects.select_related("invited_by", "accepted_by")
    if invited_by is not None:
        invitations = invitations.filter(invited_by=invited_by)
    return invitations[:limit]


def notice_address_of(user):
    """The address a person gave for notices (at most one, ACCOUNT_MAX_EMAIL_ADDRESSES), confirmed or not.

    Notices go to `user.email`, which allauth fills only once the address is confirmed."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user).order_by("-verified", "-primary", "pk").first()
