"""Writes for accounts, roles and invitations. Views call these; nothing here reads a request."""

from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.utils import timezone

from hub.models import StaffInvitation, User
from hub.roles import STAFF_ROLES, Role

INVITATION_SALT = "hub.staff-invitation"


def role_grant(*, user: User, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_role_names", None)


def role_revoke(*, user: User, role: Role) -> None:
    from hub.sockets import access_revoked

    user.groups.remove(*Group.objects.filter(name=role))
    user.__dict__.pop("_role_names", None)
    access_revoked(user_ids=[user.pk], reason="revoked")  # their open sockets check their access again


def staff_roles_of(user: User) -> set[str]:
    return set(user.groups.filter(name__in=list(STAFF_ROLES)).values_list("name", flat=True))


@transaction.atomic
def staff_roles_set(*, user: User, roles: list[str], actor: User) -> None:
    """A coordinator changes a staff member's roles; what was added and removed goes into the audit log."""
    wanted, held = set(roles) & set(STAFF_ROLES), staff_roles_of(user)
    for role in sorted(wanted - held):
        role_grant(user=user, role=Role(role))
    for role in sorted(held - wanted):
        role_revoke(user=user, role=Role(role))
    roles_change_audit(actor=actor, user=user, before=held, after=wanted)


def roles_change_audit(*, actor: User, user: User, before: set[str], after: set[str]) -> None:
    """One audit entry for a change of roles (groups), wherever staff made it: "+added -removed"."""
    from hub.audit import AuditAction, audit_record

    if before != after:
        added, removed = sorted(after - before), sorted(before - after)
        change = " ".join([f"+{r}" for r in added] + [f"-{r}" for r in removed])
        audit_record(
            actor=actor, action=AuditAction.ROLE_CHANGED, target_type="user", target_id=user.pk, detail=change
        )


def account_change_audit(*, actor: User, user_id: int, action: str, fields=()) -> None:
    """A staff change to an account other than its roles: which fields changed, never their values."""
    from hub.audit import audit_record

    audit_record(actor=actor, action=action, target_type="user", target_id=user_id, detail=" ".join(fields))


@transaction.atomic
def totp_reset(*, user: User, actor: User) -> None:
    """For a lost phone: the staff member's authenticators go, they set up TOTP again at the next sign-in
    (the staff-area middleware sends them there). Audited."""
    from allauth.mfa.models import Authenticator

    from hub.audit import AuditAction, audit_record
    from hub.sockets import access_revoked

    Authenticator.objects.filter(user=user).delete()
    audit_record(actor=actor, action=AuditAction.TOTP_RESET, target_type="user", target_id=user.pk)
    # Open sockets were opened with 2FA: they close now, not at the next page load.
    access_revoked(user_ids=[user.pk], reason="revoked")


def youth_role_grant(*, user: User) -> None:
    role_grant(user=user, role=Role.YOUTH)


def invitation_create(
    *,
    email: str,
    roles: list[str],
    display_name: str = "",
    invited_by: User,
    language: str,
    setup: dict | None = None,
    base_url: str = "",
) -> StaffInvitation:
    """`setup` (sites, counseling languages and topics; counseling/staffing.py) is applied on acceptance;
    `base_url` is the address the inviter used, so that the link in the mail leads back to it."""
    unknown = set(roles) - set(STAFF_ROLES)
    if unknown or not roles:
        raise ValueError(f"not staff roles: {sorted(unknown)}")
    invitation = StaffInvitation.objects.create(
        email=email.strip().lower(),
        display_name=display_name,
        roles=sorted(roles),
        setup=setup or {},
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.STAFF_INVITATION_DAYS),
    )
    from hub.tasks import send_staff_invitation

    transaction.on_commit(lambda: send_staff_invitation.delay(invitation.pk, language, base_url))
    return invitation


def invitation_token(invitation: StaffInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> StaffInvitation | None:
    """The open invitation a token stands for, or None if it is forged, used or expired."""
    try:
        pk = signing.loads(
            token, salt=INVITATION_SALT, max_age=timedelta(days=settings.STAFF_INVITATION_DAYS)
        )
    except signing.BadSignature:
        return None
    invitation = StaffInvitation.objects.filter(pk=pk).first()
    if invitation is None or not invitation.is_open():
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: StaffInvitation, username: str, password: str, display_name: str
) -> User:
    # Lock the row so that two tabs cannot both accept the same invitation.
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open():
        raise ValueError("invitation is no longer open")
    user = User.objects.create_user(
        username=username, password=password, email=invitation.email, display_name=display_name, is_staff=True
    )
    for role in invitation.roles:
        role_grant(user=user, role=Role(role))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def user_sessions_end(*, user: User) -> int:
    """Signs a person out on every device: their session rows go (the user id is inside each row)."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def account_delete(*, user: User) -> None:
    """Remove a young person's account and everything of theirs at once (hub/data_export.py)."""
    from hub.data_export import account_erase

    account_erase(user=user)


def user_notify(*, user_id: int, event: dict) -> None:
    """Send an event to every open tab of a user, after the surrounding transaction commits."""
    group_send_after_commit(user_group(user_id), {"type": "user.event", "event": event})


def group_send_after_commit(group: str, message: dict) -> None:
    """Channel-layer events follow the database: nothing is announced that could still roll back.

    Robust: an event is at-most-once anyway (clients resume from the database), so a channel layer that
    is down (a Redis restart) is logged and must not turn a saved change into an error page — a chat
    started while Redis restarted would stay in the queue with no one there (issue 19)."""
    transaction.on_commit(lambda: async_to_sync(get_channel_layer().group_send)(group, message), robust=True)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"
