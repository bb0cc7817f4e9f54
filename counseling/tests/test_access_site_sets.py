"""The sites a staff member counsels at or leads (counseling.access.staff_site_ids / lead_site_ids, and the
queue's counseling.routing.counsel_site_ids) are read in one query for all three, and are exactly what
guardian's get_objects_for_user gave before: the user's own object permissions and their groups',
"counsel_at_site" or "lead_site" only, sites that still exist only (guardian leaves a deleted site's rows
behind), nobody else's."""

import pytest
from django.contrib.auth.models import Group
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user

from counseling import access, routing
from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.models import Site
from sites.services import site_counselor_grant, site_lead_grant
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def guardian_sets(user) -> tuple[set[int], set[int]]:
    """What counseling/access.py asked guardian for until it read both sets itself."""
    staff = get_objects_for_user(
        user, ["sites.counsel_at_site", "sites.lead_site"], klass=Site, any_perm=True, with_superuser=False
    )
    lead = get_objects_for_user(user, "sites.lead_site", klass=Site, with_superuser=False)
    return set(staff.values_list("pk", flat=True)), set(lead.values_list("pk", flat=True))


def fresh(user):
    """The same person as a new request sees them (the sets are kept on the request's user object)."""
    return type(user).objects.get(pk=user.pk)


def test_own_group_and_foreign_permissions_give_what_guardian_gave(django_assert_max_num_queries):
    counsels, leads, through_group, changes_only, foreign, deleted = (SiteFactory() for _ in range(6))
    user = UserFactory(roles=[Role.COUNSELOR])
    other = UserFactory(roles=[Role.COUNSELOR])
    site_counselor_grant(user=user, site=counsels)
    site_lead_grant(user=user, site=leads)
    team = Group.objects.create(name="Team Köln")
    user.groups.add(team)
    assign_perm("sites.counsel_at_site", team, through_group)
    assign_perm("sites.lead_site", team, leads)  # held twice: once alone, once through the group
    assign_perm("sites.change_site", user, changes_only)  # not a "counsels at" nor a "leads"
    site_lead_grant(user=other, site=foreign)
    site_lead_grant(user=user, site=deleted)
    deleted_pk = deleted.pk
    deleted.delete()
    assert UserObjectPermission.objects.filter(object_pk=str(deleted_pk)).exists()  # left behind

    user = fresh(user)
    with django_assert_max_num_queries(1):
        staff, lead = access.staff_site_ids(user), access.lead_site_ids(user)
        counsels_at = routing.counsel_site_ids(user)  # the queue's "sites I counsel at", the same query
    assert staff == {counsels.pk, leads.pk, through_group.pk}
    assert lead == {leads.pk}
    assert (
        counsels_at
        == {counsels.pk, through_group.pk}
        == set(
            get_objects_for_user(
                fresh(user), "sites.counsel_at_site", klass=Site, with_superuser=False
            ).values_list("pk", flat=True)
        )
    )
    assert (staff, lead) == guardian_sets(fresh(user))
    assert (access.staff_site_ids(fresh(other)), access.lead_site_ids(fresh(other))) == guardian_sets(other)
    nobody = UserFactory(roles=[Role.COUNSELOR])
    assert access.staff_site_ids(nobody) == access.lead_site_ids(nobody) == set()


def test_a_group_lead_leads_and_a_superuser_gets_no_site_for_free():
    site = SiteFactory()
    user = UserFactory(roles=[Role.COUNSELOR])
    leads = Group.objects.create(name="Leitungen")
    user.groups.add(leads)
    assign_perm("sites.lead_site", leads, site)
    assert access.lead_site_ids(fresh(user)) == {site.pk} == access.staff_site_ids(fresh(user))
    admin = UserFactory(is_superuser=True)
    assert access.staff_site_ids(admin) == set() == guardian_sets(admin)[0]
