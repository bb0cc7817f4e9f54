"""Which accounts staff may manage — here, in the CMS user editor and anywhere else staff manage accounts.

Only staff accounts, never a young person's (DESIGN: no one manages youth accounts): a youth account or a
chat guest is not even listed, and every view refuses it with 404. A coordinator never manages their own
account here (no one removes their own coordinator role or two-factor authentication by accident).

Staff administration (/staff/accounts/): a coordinator manages all staff; a site lead the staff of the
sites they lead (django-guardian's "lead_site" on the site) and may give only counseling roles and their
own sites. `StaffScope` is that rule; counseling/staffing.py enforces it on every write."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from hub.models import User
from hub.roles import STAFF_ROLES, Role, user_roles

_HOLDS_STAFF_RIGHTS = Q(groups__name__in=list(STAFF_ROLES)) | Q(is_staff=True) | Q(is_superuser=True)

# What a site lead may give and take: counseling roles at their own sites, nothing else.
SITE_LEAD_GRANTABLE = frozenset({Role.COUNSELOR, Role.TRAINEE_COUNSELOR})
# What a site lead may still manage an account with (a mentor of the team is the team's, too).
SITE_LEAD_MANAGES = SITE_LEAD_GRANTABLE | {Role.MENTOR}
SITE_PERMS = ("counsel_at_site", "lead_site")


def manageable_accounts():
    """Accounts with a staff role or Django's staff/superuser flag — minus every youth account and chat
    guest, even one that also holds such a right. Subqueries, so callers may order, search and join."""
    youth = User.groups.through.objects.filter(group__name=Role.YOUTH).values("user_id")
    staff = User.objects.filter(_HOLDS_STAFF_RIGHTS).values("pk")
    return User.objects.filter(pk__in=staff, is_guest=False).exclude(pk__in=youth)


def staff_accounts(*, include_deactivated: bool = False):
    with_role = User.groups.through.objects.filter(group__name__in=list(STAFF_ROLES)).values("user_id")
    accounts = manageable_accounts().filter(pk__in=with_role)
    if not include_deactivated:
        accounts = accounts.filter(is_active=True)
    return accounts.prefetch_related("groups").order_by("username")


@dataclass(frozen=True)
class StaffScope:
    """What one manager may see and change. `site_ids` None: every site (a coordinator)."""

    user_id: int
    site_ids: frozenset[int] | None
    grantable_roles: frozenset[str]

    @property
    def everything(self) -> bool:
        return self.site_ids is None

    def covers_sites(self, site_ids) -> bool:
        return self.everything or set(site_ids) <= self.site_ids


def staff_scope(user) -> StaffScope | None:
    """None: the user manages no staff at all."""
    if user.has_perm("hub.change_user"):
        return StaffScope(user_id=user.pk, site_ids=None, grantable_roles=frozenset(STAFF_ROLES))
    if Role.SITE_LEAD not in user_roles(user):
        return None
    led = get_objects_for_user(
        user, "sites.lead_site", klass=apps.get_model("sites", "Site"), accept_global_perms=False
    )
    return StaffScope(
        user_id=user.pk,
        site_ids=frozenset(led.values_list("pk", flat=True)),
        grantable_roles=SITE_LEAD_GRANTABLE,
    )


def staff_scope_required(user) -> StaffScope:
    scope = staff_scope(user)
    if scope is None:
        raise PermissionDenied
    return scope


def site_permission_rows(*, site_ids=None, user_ids=None):
    """Guardian's rows "counsels at / leads site X" (the user's own, not through a group)."""
    rows = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(apps.get_model("sites", "Site")),
        permission__codename__in=SITE_PERMS,
    )
    if site_ids is not None:
        rows = rows.filter(object_pk__in=[str(pk) for pk in site_ids])
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return rows


def staff_visible_to(scope: StaffScope, *, include_deactivated: bool = True):
    accounts = staff_accounts(include_deactivated=include_deactivated)
    if not scope.everything:
        accounts = accounts.filter(pk__in=site_permission_rows(site_ids=scope.site_ids).values("user_id"))
    return accounts


def account_site_ids(account) -> dict[str, set[int]]:
    """{"counsel_at_site": {site ids}, "lead_site": {…}} of one account."""
    held = {codename: set() for codename in SITE_PERMS}
    for codename, object_pk in site_permission_rows(user_ids=[account.pk]).values_list(
        "permission__codename", "object_pk"
    ):
        held[codename].add(int(object_pk))
    return held


def access_staff_account(user, user_id, *, for_write: bool = False) -> User:
    """404 for an account outside the manager's scope (or not staff); 403 for their own account, and for
    a site lead writing to an account that holds more than a team's roles or works at other sites too."""
    scope = staff_scope_required(user)
    account = staff_visible_to(scope).filter(pk=user_id).first()
    if account is None:
        raise Http404
    if account.pk == user.pk:
        raise PermissionDenied
    if for_write and not scope.everything and not user_roles_held(account) <= SITE_LEAD_MANAGES:
        raise PermissionDenied
    return account


def user_roles_held(account) -> set[str]:
    """Staff roles of an account, active or not (user_roles() is empty for a deactivated account)."""
    return {group.name for group in account.groups.all()} & set(STAFF_ROLES)
