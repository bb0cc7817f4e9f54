"""Which accounts a coordinator may manage: staff accounts, never their own (no one removes their own
coordinator role or two-factor authentication by accident)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.models import User
from hub.roles import STAFF_ROLES


def staff_accounts():
    return (
        User.objects.filter(groups__name__in=list(STAFF_ROLES), is_active=True)
        .distinct()
        .prefetch_related("groups")
        .order_by("username")
    )


def access_staff_account(user, user_id, *, for_write: bool = False) -> User:
    account = staff_accounts().filter(pk=user_id).first()
    if account is None:
        raise Http404
    if account.pk == user.pk:
        raise PermissionDenied
    return account
