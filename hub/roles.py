"""Roles of the portal and the permissions each one carries.

Roles are Django groups (a user may hold several staff roles); what a role may do is written here, in
code, instead of being synchronised into permission rows. Object-level scope (which site a site lead
leads, which sites a counselor works for) is stored with django-guardian on the site itself.
"""

from functools import cache

from django.contrib.auth.backends import BaseBackend
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.prepared import PreparedRead


class Role(models.TextChoices):
    YOUTH = "youth", _("Young person")
    COUNSELOR = "counselor", _("Counselor")
    TRAINEE_COUNSELOR = "trainee_counselor", _("Trainee counselor")
    MENTOR = "mentor", _("Mentor")
    SITE_LEAD = "site_lead", _("Site lead")
    COORDINATOR = "coordinator", _("Coordinator")
    NETWORK_PARTNER = "network_partner", _("Network partner")
    EDITOR = "editor", _("Editor")
    ONLINE_MENTOR = "online_mentor", _("Online mentor")


STAFF_ROLES = frozenset(Role) - {Role.YOUTH}
# Network partners hold a staff account (set up by coordinators, with two-factor authentication, as they
# read counseling answers) but work only on their own partner pages (counseling/partners/), never in the
# staff area.
STAFF_AREA_ROLES = STAFF_ROLES - {Role.NETWORK_PARTNER}

# Model-level permissions per role. Object-level ones (e.g. "change this site") are granted per object.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.YOUTH: frozenset(),
    Role.COUNSELOR: frozenset(),
    Role.TRAINEE_COUNSELOR: frozenset(),
    Role.MENTOR: frozenset(),
    Role.SITE_LEAD: frozenset(),
    Role.NETWORK_PARTNER: frozenset(),
    Role.EDITOR: frozenset({"wagtailadmin.access_admin"}),
    Role.ONLINE_MENTOR: frozenset(),
    Role.COORDINATOR: frozenset(
        {
            "wagtailadmin.access_admin",
            "hub.add_staffinvitation",
            "hub.view_staffinvitation",
            "sites.change_site",
            "sites.view_site",
            "hub.view_auditentry",
            "counseling.add_cannedresponse",
            "counseling.change_cannedresponse",
            "counseling.delete_cannedresponse",
            "counseling.change_counselorprofile",  # the fallback counselors (counseling/routing_views.py)
            # Retention, statistics and staff accounts (issue 8).
            "hub.view_statevent",
            "hub.change_retentionpolicy",
            "hub.change_user",
            # learning: courses, required training and quality standards in the CMS; enrolment; reports
            *(
                f"learning.{action}_{model}"
                for action in ("add", "change", "delete", "view")
                for model in ("course", "activityrequirement", "qualitystandard")
            ),
            "learning.add_enrolment",
            "learning.view_enrolment",
        }
    ),
}

# Knowledge base and campaigns (issue 6): coordinators see campaign reach and manage channels (short
# links, QR codes); coordinators and editors plan digital-streetwork posts.
ROLE_PERMISSIONS[Role.COORDINATOR] |= {
    "campaigns.view_reachcount",
    "campaigns.add_channel",
    "campaigns.change_plannedpost",
}
ROLE_PERMISSIONS[Role.EDITOR] |= {"campaigns.change_plannedpost"}


@cache
def _group_names() -> PreparedRead:
    """The names of a user's groups (`user.groups`), the SQL built once per process (hub/prepared.py):
    every page and every socket's connect asks, and building it cost more than PostgreSQL took to answer."""
    from django.contrib.auth.models import Group

    return PreparedRead(
        Group, lambda user_id: Group.objects.filter(user__id=user_id).values("name"), user_id=int
    )


def user_roles(user) -> frozenset[str]:
    """The role names a user holds, read once per request-bound user object."""
    if not user.is_authenticated or not user.is_active or user.pk is None:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(row["name"] for row in _group_names().rows(user_id=user.pk)) & set(Role.values)
        user._role_names = cached
    return cached


def is_staff_member(user) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def may_enter_staff_area(user) -> bool:
    return bool(user_roles(user) & STAFF_AREA_ROLES)


def is_network_partner(user) -> bool:
    """A partner account and nothing else of staff: it goes to the partner pages, not the staff area."""
    return has_role(user, Role.NETWORK_PARTNER) and not may_enter_staff_area(user)


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


class RoleBackend(BaseBackend):
    """Grants the model-level permissions of ROLE_PERMISSIONS; never authenticates anyone."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        perms: set[str] = set()
        for role in user_roles(user_obj):
            perms |= ROLE_PERMISSIONS.get(role, frozenset())
        return perms

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)


# Forum (counseling/forum/): counselors of any site and mentors moderate; trainees and other roles do not.
FORUM_MODERATE = "forum.moderate"
ROLE_PERMISSIONS[Role.COUNSELOR] |= {FORUM_MODERATE}
ROLE_PERMISSIONS[Role.MENTOR] |= {FORUM_MODERATE}

# Staff administration (hub/access.py StaffScope): a site lead manages the staff of the sites they lead.
ROLE_PERMISSIONS[Role.SITE_LEAD] |= {"hub.manage_site_staff"}
# Case labels (issue 16): coordinators keep the list on a staff page (counseling/label_views.py), and
# import sites from the Servicebüro's register as a page (sites/import_views.py).
ROLE_PERMISSIONS[Role.COORDINATOR] |= {
    "counseling.add_label",
    "counseling.change_label",
    "counseling.delete_label",
    "sites.add_site",
}
# Network partners (counseling/partners/): coordinators keep the partner organisations and attach partner
# accounts to them.
PARTNERS_MANAGE = "partners.change_partnerorganisation"
ROLE_PERMISSIONS[Role.COORDINATOR] |= {PARTNERS_MANAGE}
# BITV 2.0 (issue 17): coordinators read and answer accessibility feedback and keep the sign-language videos.
ROLE_PERMISSIONS[Role.COORDINATOR] |= {
    "legal.view_accessibilityfeedback",
    "legal.change_accessibilityfeedback",
    *(f"legal.{action}_signlanguagevideo" for action in ("add", "change", "delete", "view")),
}
# Feedback after counseling (issue 21, counseling/feedback.py): coordinators read every site's results,
# site leads those of the sites they lead; counselors none.
ROLE_PERMISSIONS[Role.COORDINATOR] |= {"counseling.view_casefeedback"}
ROLE_PERMISSIONS[Role.SITE_LEAD] |= {"counseling.view_site_casefeedback"}
# Online mentors (issue 20, digital streetwork in the origin countries): the post planner, campaign reach
# and the social-space analysis (campaigns/social_spaces.py), and they hold the staff's social-media office
# hour (campaigns/office_hours.py). No counseling role, no site: no case, chat, callback or statistics of
# persons reaches them (counseling/access.py grants by assignment, site and mentee only; the counseling
# desks ask routing.counsels). Coordinators read every online mentor's spaces and the overview.
SOCIAL_SPACES_RECORD = "campaigns.add_socialspace"
SOCIAL_SPACES_OVERVIEW = "campaigns.view_socialspace"
OFFICE_HOURS_HOLD = "campaigns.add_officehours"
ROLE_PERMISSIONS[Role.ONLINE_MENTOR] |= {
    "campaigns.view_reachcount",
    "campaigns.change_plannedpost",
    SOCIAL_SPACES_RECORD,
    OFFICE_HOURS_HOLD,
}
ROLE_PERMISSIONS[Role.COORDINATOR] |= {SOCIAL_SPACES_RECORD, SOCIAL_SPACES_OVERVIEW}
# Staff-area roles that have nothing to do with cases: their holders get no case inbox (403), not an
# empty one, unless they also hold a role that works with cases.
CASELESS_ROLES = frozenset({Role.ONLINE_MENTOR})


def works_with_cases(user) -> bool:
    return bool(user_roles(user) & (STAFF_AREA_ROLES - CASELESS_ROLES))
