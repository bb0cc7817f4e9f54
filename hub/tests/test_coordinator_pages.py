"""The coordinators' pages of issue 8 besides statistics: retention periods, the audit log's filters and
actions, staff accounts (role changes, two-factor reset)."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from counseling.models import Case
from hub.audit import audit_record
from hub.models import AuditEntry, RetentionPolicy
from hub.roles import Role
from hub.services import staff_roles_of
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db


def test_a_coordinator_sets_a_retention_period_and_sees_the_preview(client, coordinator, youth):
    from hub.tests.test_retention import closed_case

    closed_case(youth, days_ago=100)
    client.force_login(coordinator)
    page = client.get("/en/staff/retention/").content.decode()
    assert "The next purge would delete" in page and 'value="180"' in page
    response = client.post("/en/staff/retention/", _all_defaults() | {"closed_cases": "90"}, follow=True)
    assert "The retention periods have been saved" in response.content.decode()
    assert RetentionPolicy.objects.get(key="closed_cases").value == 90
    assert AuditEntry.objects.filter(action="retention.changed", target_id="closed_cases").count() == 1
    assert RetentionPolicy.objects.count() == 1  # unchanged fields keep the default
    preview = client.get("/en/staff/retention/").content.decode()
    assert "<td>Closed and inactive cases</td><td>1</td>" in preview
    assert Case.objects.count() == 1  # the preview deletes nothing


def _all_defaults() -> dict:
    from hub.retention import POLICIES, policy_default

    return {key: str(policy_default(policy)) for key, policy in POLICIES.items()}


def test_a_period_outside_the_bounds_is_refused_and_the_form_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/en/staff/retention/", _all_defaults() | {"closed_cases": "5", "audit_entries": "800"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 30." in page
    assert 'value="5"' in page and 'value="800"' in page
    assert not RetentionPolicy.objects.exists()


def test_only_coordinators_set_retention_periods(client, counselor, youth):
    for user in (counselor, youth):
        client.force_login(user)
        assert client.get("/en/staff/retention/").status_code == 403
        assert (
            client.post("/en/staff/retention/", _all_defaults() | {"closed_cases": "30"}).status_code == 403
        )
    assert not RetentionPolicy.objects.exists()


def test_the_audit_log_filters_by_action_person_and_date(client, coordinator, counselor):
    audit_record(actor=counselor, action="case.open", target_type="case", target_id="c-1")
    audit_record(actor=counselor, action="attachment.open", target_type="case", target_id="c-2")
    audit_record(actor=coordinator, action="export.made", target_type="statistics", target_id="2026")
    client.force_login(coordinator)
    page = client.get("/en/staff/audit/?action=attachment.open").content.decode()
    assert "downloaded an attachment" in page and "c-2" in page and "c-1" not in page
    page = client.get(f"/en/staff/audit/?actor={coordinator.username}").content.decode()
    assert "made an export" in page and "c-1" not in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "No entries." in client.get(f"/en/staff/audit/?since={tomorrow}").content.decode()
    wrong = client.get(f"/en/staff/audit/?since={tomorrow}&until=2020-01-01").content.decode()
    assert "The end date is before the start date." in wrong


def test_a_role_change_is_audited(client, coordinator, counselor):
    client.force_login(coordinator)
    response = client.post(
        f"/en/staff/accounts/{counselor.pk}/",
        {"roles": ["counselor", "mentor"], "languages": ["de"], "capacity": 25, "chat_seats": 2},
        follow=True,
    )
    assert "The changes have been saved." in response.content.decode()
    assert staff_roles_of(counselor) == {"counselor", "mentor"}
    entry = AuditEntry.objects.get(action="role.changed")
    assert (entry.actor, entry.target_id, entry.detail) == (coordinator, str(counselor.pk), "+mentor")
    assert "changed a role" in client.get("/en/staff/audit/").content.decode()


def test_a_two_factor_reset_removes_the_authenticator_and_is_audited(client, coordinator, counselor):
    assert Authenticator.objects.filter(user=counselor).exists()
    client.force_login(coordinator)
    client.post(f"/en/staff/accounts/{counselor.pk}/reset-2fa/", {"confirm": "on"})
    assert not Authenticator.objects.filter(user=counselor).exists()
    assert AuditEntry.objects.get(action="totp.reset").target_id == str(counselor.pk)


def test_who_may_not_manage_staff_accounts(client, coordinator, counselor, youth):
    other = staff_with_totp(username="counselor_ben", roles=[Role.COUNSELOR])
    client.force_login(counselor)
    assert client.get("/en/staff/accounts/").status_code == 403
    assert client.post(f"/en/staff/accounts/{other.pk}/reset-2fa/").status_code == 403
    client.force_login(coordinator)
    assert client.post(f"/en/staff/accounts/{coordinator.pk}/reset-2fa/").status_code == 403  # not oneself
    assert client.get(f"/en/staff/accounts/{youth.pk}/").status_code == 404  # not a staff account
    assert Authenticator.objects.filter(user__in=[other, coordinator]).count() == 2
    assert not AuditEntry.objects.exists()


def test_the_staff_accounts_list_costs_the_same_queries_for_many_accounts(
    client, coordinator, django_assert_max_num_queries
):
    for n in range(25):
        staff_with_totp(username=f"counselor_{n}", roles=[Role.COUNSELOR, Role.MENTOR])
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):  # the filter form's site list is one of them
        page = client.get("/en/staff/accounts/").content.decode()
    assert page.count("counselor_") >= 25
