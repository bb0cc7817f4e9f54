"""Which accounts staff may manage — here, in the CMS user editor and anywhere else staff manage accounts.

Only staff accounts, never a young person's (DESIGN: no one manages youth accounts): a youth account or a
chat guest is not even listed, and every view refuses it with 404. A coordinator never manages their own
account here (no one removes their own coordinator role or two-factor authentication by accident)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from hub.models import User
from hub.roles import STAFF_ROLES, Role

_HOLDS_STAFF_RIGHTS = Q(groups__name__in=list(STAFF_ROLES)) | Q(is_staff=True) | Q(is_superuser=True)


def manageable_accounts():
    """Accounts with a staff role or Django's staff/superuser flag — minus every youth account and chat
    guest, even one that also holds such a right. Subqueries, so callers may order, search and join."""
    youth = User.groups.through.objects.filter(group__name=Role.YOUTH).values("user_id")
    staff = User.objects.filter(_HOLDS_STAFF_RIGHTS).values("pk")
    return User.objects.filter(pk__in=staff, is_guest=False).exclude(pk__in=youth)


def staff_accounts():
    with_role = User.groups.through.objects.filter(group__name__in=list(STAFF_ROLES)).values("user_id")
    return (
        manageable_accounts()
        .filter(pk__in=with_role, is_active=True)
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
