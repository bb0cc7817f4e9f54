"""Staff set-up by coordinators and site leads: roles, sites, the counselor profile, deactivation, and
accepting an invitation that carries all of these, so that a new counselor is routed cases at once.

Here because it spans the apps below it (hub's roles and audit log, sites' guardian permissions,
counseling's profiles and cases). Every write checks the manager's scope (hub/access.py `StaffScope`)
itself — a view's form only narrows what it offers — and goes into the audit log with field names, never
values that identify or authenticate anyone."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from counseling import absence, routing, services
from counseling.models import OPEN_STATUSES, Case, CaseEvent, CounselorProfile
from hub import services as hub_services
from hub.access import (
    StaffScope,
    account_site_ids,
    site_permission_rows,
    staff_scope_required,
    staff_visible_to,
    user_roles_held,
)
from hub.audit import AuditAction, audit_record
from hub.models import StaffInvitation, User
from hub.roles import Role
from hub.sockets import access_revoked
from sites import services as site_services
from sites.models import Site

COUNSELING_ROLES = frozenset(routing.COUNSELING_ROLES)
PROFILE_FIELDS = ("languages", "topics", "capacity", "chat_seats", "mentor_id")


class LastCoordinator(Exception):
    """The change would leave no active coordinator: nobody could manage staff any more."""


@dataclass
class StaffSetup:
    """What a manager decides about one staff member (or an invitee)."""

    roles: set[str]
    counsel_sites: set[int] = field(default_factory=set)
    lead_sites: set[int] = field(default_factory=set)
    profile: dict = field(default_factory=dict)  # PROFILE_FIELDS that are set


# --- scope ------------------------------------------------------------------------------------------


def _check_grants(scope: StaffScope, *, roles_changed: set, counsel_changed: set, lead_changed: set) -> None:
    """Refuses (403) anything beyond the manager's scope: roles they may not give or take, sites that are
    not theirs; a site lead never changes who leads a site."""
    if roles_changed - scope.grantable_roles:
        raise PermissionDenied
    if not scope.everything and (lead_changed or not scope.covers_sites(counsel_changed)):
        raise PermissionDenied


def _coordinator_remains(account: User) -> None:
    # Lock the coordinators' group: two coordinators removing each other at once must not both succeed.
    Group.objects.select_for_update().filter(name=Role.COORDINATOR).first()
    others = User.objects.filter(is_active=True, groups__name=Role.COORDINATOR).exclude(pk=account.pk)
    if not others.exists():
        raise LastCoordinator


# --- changes ----------------------------------------------------------------------------------------


@transaction.atomic
def staff_setup_apply(*, actor: User, account: User, setup: StaffSetup, absence: dict | None = None) -> None:
    """Roles, sites and counselor profile of a staff member, as a manager sets them on the staff page."""
    scope = staff_scope_required(actor)
    roles_before, sites_before = user_roles_held(account), account_site_ids(account)
    counsel_before, lead_before = sites_before["counsel_at_site"], sites_before["lead_site"]
    _check_grants(
        scope,
        roles_changed=roles_before ^ setup.roles,
        counsel_changed=counsel_before ^ setup.counsel_sites,
        lead_changed=lead_before ^ setup.lead_sites,
    )
    if Role.COORDINATOR in roles_before - setup.roles:
        _coordinator_remains(account)
    _roles_apply(actor=actor, account=account, before=roles_before, after=setup.roles)
    _sites_apply(
        actor=actor,
        account=account,
        counsel=(counsel_before, setup.counsel_sites),
        lead=(lead_before, setup.lead_sites),
    )
    if setup.roles & COUNSELING_ROLES or CounselorProfile.objects.filter(user=account).exists():
        profile_set(actor=actor, account=account, values=setup.profile, absence=absence)
    if roles_before & COUNSELING_ROLES and not setup.roles & COUNSELING_ROLES:
        cases_release(user=account, actor=actor, reason=_release_reason("role"))


def _roles_apply(*, actor: User, account: User, before: set, after: set) -> None:
    for role in sorted(after - before):
        hub_services.role_grant(user=account, role=Role(role))
    for role in sorted(before - after):
        hub_services.role_revoke(user=account, role=Role(role))
    hub_services.roles_change_audit(actor=actor, user=account, before=before, after=after)


def _sites_apply(*, actor: User, account: User, counsel: tuple, lead: tuple) -> None:
    changes = []
    for label, (before, after), grant, revoke in (
        ("counsel", counsel, site_services.site_counselor_grant, site_services.site_counselor_revoke),
        ("lead", lead, site_services.site_lead_grant, site_services.site_lead_revoke),
    ):
        sites = Site.objects.in_bulk(before ^ after)
        for pk in sorted(after - before):
            grant(user=account, site=sites[pk])
            changes.append(f"+{label}:{pk}")
        for pk in sorted(before - after):
            revoke(user=account, site=sites[pk])
            changes.append(f"-{label}:{pk}")
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.SITES_CHANGED,
            target_type="user",
            target_id=account.pk,
            detail=" ".join(changes),
        )


def profile_set(*, actor: User, account: User, values: dict, absence: dict | None = None) -> CounselorProfile:
    """The routing profile: created with the first counseling role; absence goes through the one
    absence service (counseling.services.absence_set), so routing and the chat desk hear of it."""
    profile, created = CounselorProfile.objects.get_or_create(user=account)
    changed = [name for name in PROFILE_FIELDS if name in values and getattr(profile, name) != values[name]]
    for name in changed:
        setattr(profile, name, values[name])
    if changed:
        profile.save(update_fields=changed)
    if absence is not None:
        current = {
            "is_absent": profile.is_absent,
            "until": profile.absent_until,
            "message": profile.absence_message,
        }
        if current != absence:
            services.absence_set(user=account, **absence)
            changed.append("absence")
    if changed or created:
        hub_services.account_change_audit(
            actor=actor,
            user_id=account.pk,
            action=AuditAction.PROFILE_CHANGED,
            fields=[name.removesuffix("_id") for name in changed] or ["created"],
        )
    return profile


@transaction.atomic
def staff_deactivate(*, actor: User, account: User) -> int:
    """Signs them out everywhere and gives their open cases back to the team. Returns how many cases.
    A site lead deactivates only someone who works at none but their sites."""
    scope = staff_scope_required(actor)
    held = account_site_ids(account)
    if not scope.covers_sites(held["counsel_at_site"] | held["lead_site"]):
        raise PermissionDenied
    if Role.COORDINATOR in user_roles_held(account):
        _coordinator_remains(account)
    account.is_active = False
    account.save(update_fields=["is_active"])  # hub/sockets.py: their sockets close after commit
    hub_services.user_sessions_end(user=account)
    released = cases_release(user=account, actor=actor, reason=_release_reason("deactivated"))
    hub_services.account_change_audit(
        actor=actor, user_id=account.pk, action=AuditAction.ACCOUNT_DEACTIVATED, fields=["is_active"]
    )
    return len(released)


@transaction.atomic
def staff_reactivate(*, actor: User, account: User) -> None:
    staff_scope_required(actor)
    account.is_active = True
    account.save(update_fields=["is_active"])
    hub_services.account_change_audit(
        actor=actor, user_id=account.pk, action=AuditAction.ACCOUNT_REACTIVATED, fields=["is_active"]
    )


def _release_reason(why: str) -> str:
    # The note is stored once, for every colleague who opens the case: in the staff's default language.
    with translation.override(settings.LANGUAGE_CODE):
        if why == "deactivated":
            return _("Back in the team queue: the counselor's account was deactivated.")
        return _("Back in the team queue: the counselor no longer has a counseling role.")


@transaction.atomic
def cases_release(*, user: User, actor: User | None, reason: str) -> list[int]:
    """Every open case of `user` goes back to the team: no counselor, an event and an internal note
    saying why, the case's sockets check their access again, and routing hands each mail case to an
    eligible colleague (their site's team first) or leaves it in the queue. Returns the case ids."""
    cases = list(Case.objects.select_for_update().filter(counselor=user, status__in=OPEN_STATUSES))
    for case in cases:
        case.counselor = None
        case.save(update_fields=["counselor"])
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.RELEASED, actor=actor, site=case.site)
        services.note_add(case=case, author=actor, body=reason)
    ids = [case.pk for case in cases]
    access_revoked(case_ids=ids, reason="handover")
    # Chats and callbacks have their own desks; only mail cases are routed here.
    for case in routing.queued_cases().filter(pk__in=ids).select_related("site"):
        routing.route_case(case, actor=actor)
    return ids


# --- invitations ------------------------------------------------------------------------------------


def invitation_create(
    *, actor: User, email: str, display_name: str, setup: StaffSetup, language: str, base_url: str
):
    """An invitation that carries the set-up; the inviter's scope is checked now, as for a change."""
    scope = staff_scope_required(actor)
    _check_grants(
        scope, roles_changed=setup.roles, counsel_changed=setup.counsel_sites, lead_changed=setup.lead_sites
    )
    invitation = hub_services.invitation_create(
        email=email,
        roles=sorted(setup.roles),
        display_name=display_name,
        invited_by=actor,
        language=language,
        setup={
            "counsel_sites": sorted(setup.counsel_sites),
            "lead_sites": sorted(setup.lead_sites),
            "profile": {k: v for k, v in setup.profile.items() if k in ("languages", "topics")},
        },
        base_url=base_url,
    )
    detail = " ".join(
        [f"+{role}" for role in sorted(setup.roles)]
        + [f"+counsel:{pk}" for pk in sorted(setup.counsel_sites)]
        + [f"+lead:{pk}" for pk in sorted(setup.lead_sites)]
    )
    audit_record(
        actor=actor,
        action=AuditAction.INVITATION_SENT,
        target_type="invitation",
        target_id=invitation.pk,
        detail=detail,
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: StaffInvitation, username: str, password: str, display_name: str
) -> User:
    """The account as the invitation describes it: roles, sites, and a counselor profile — ready to be
    routed cases as soon as two-factor authentication is set up."""
    user = hub_services.invitation_accept(
        invitation=invitation, username=username, password=password, display_name=display_name
    )
    setup = invitation.setup or {}
    for site in Site.objects.filter(pk__in=setup.get("counsel_sites", [])):
        site_services.site_counselor_grant(user=user, site=site)
    for site in Site.objects.filter(pk__in=setup.get("lead_sites", [])):
        site_services.site_lead_grant(user=user, site=site)
    if set(invitation.roles) & COUNSELING_ROLES:
        profile = setup.get("profile", {})
        CounselorProfile.objects.get_or_create(
            user=user,
            defaults={"languages": profile.get("languages", []), "topics": profile.get("topics", [])},
        )
    audit_record(
        actor=user,
        action=AuditAction.INVITATION_ACCEPTED,
        target_type="invitation",
        target_id=invitation.pk,
        detail=f"user:{user.pk}",
    )
    return user


# --- reads for the staff pages ------------------------------------------------------------------------


def _absent_now():
    # The one absence rule (counseling/absence.py) as a query on the staff list.
    return Q(counselor_profile__in=CounselorProfile.objects.exclude(absence.present_filter()))


def staff_list(scope: StaffScope, filters: dict):
    """The staff a manager sees, filtered and searched; ordered by username."""
    accounts = staff_visible_to(scope).select_related("counselor_profile")
    status = filters.get("status") or "active"
    if status != "all":
        accounts = accounts.filter(is_active=status == "active")
    if query := filters.get("q"):
        accounts = accounts.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    if role := filters.get("role"):
        accounts = accounts.filter(
            pk__in=User.groups.through.objects.filter(group__name=role).values("user_id")
        )
    if site := filters.get("site"):
        accounts = accounts.filter(pk__in=site_permission_rows(site_ids=[site]).values("user_id"))
    if language := filters.get("language"):
        if connection.features.supports_json_field_contains:
            accounts = accounts.filter(counselor_profile__languages__contains=[language])
        else:  # SQLite (the embedded default): the JSON list as text
            accounts = accounts.filter(counselor_profile__languages__icontains=f'"{language}"')
    if filters.get("absent"):
        accounts = accounts.filter(_absent_now())
    return accounts


@dataclass
class StaffRow:
    account: User
    roles: list
    counsel_sites: list
    lead_sites: list
    profile: CounselorProfile | None
    absent: bool


def staff_rows(accounts) -> list[StaffRow]:
    """Table rows for one page of accounts: sites and absence in two queries, however many rows."""
    accounts = list(accounts)
    perms = list(
        site_permission_rows(user_ids=[a.pk for a in accounts]).values_list(
            "user_id", "permission__codename", "object_pk"
        )
    )
    sites = Site.objects.only("pk", "name", "town").in_bulk({int(pk) for _u, _c, pk in perms})
    rows = []
    for account in accounts:
        mine = [(codename, sites.get(int(pk))) for user_id, codename, pk in perms if user_id == account.pk]
        profile = getattr(account, "counselor_profile", None)
        rows.append(
            StaffRow(
                account=account,
                roles=sorted(user_roles_held(account)),
                counsel_sites=sorted(str(s) for c, s in mine if c == "counsel_at_site" and s),
                lead_sites=sorted(str(s) for c, s in mine if c == "lead_site" and s),
                profile=profile,
                absent=profile is not None and not absence.is_present(profile),
            )
        )
    return rows


def mentor_choices(scope: StaffScope) -> list[tuple[int, str]]:
    """Active mentors the manager sees: a site lead picks from their sites' mentors."""
    mentors = staff_visible_to(scope, include_deactivated=False).filter(groups__name=Role.MENTOR)
    return [(user.pk, f"{user.get_full_name()} ({user.username})") for user in mentors]
