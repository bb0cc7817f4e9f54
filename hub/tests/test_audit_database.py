"""The audit log is append-only in PostgreSQL itself (migration hub 0006), as the application's database
user: no UPDATE, no DELETE of entries the retention purge would not delete, no back- or forward-dated
INSERT. These run the statements the application could run, through the ORM and as raw SQL."""

import importlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hub import retention
from hub.audit import audit_record
from hub.models import AuditEntry
from hub.tests.factories import audit_entry_backdated

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger"),
]

guard = importlib.import_module("hub.migrations.0006_audit_append_only_delete_and_insert")


def refused(statement, params=()):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def entry(counselor):
    return audit_record(actor=counselor, action="case.open", target_type="case", target_id="x")


def test_update_is_refused(entry):
    refused("UPDATE hub_auditentry SET action = 'nothing' WHERE id = %s", [entry.pk])
    refused("UPDATE hub_auditentry SET at = now() - interval '3 years' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(detail="changed")
    assert AuditEntry.objects.get(pk=entry.pk).action == "case.open"


def test_delete_is_refused_for_entries_the_purge_would_keep(entry, counselor):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    refused("DELETE FROM hub_auditentry")
    year_old = audit_entry_backdated(
        actor=counselor,
        action="case.open",
        target_type="case",
        target_id="y",
        at=timezone.now() - timedelta(days=400),
    )
    refused("DELETE FROM hub_auditentry WHERE id = %s", [year_old.pk])  # the period in force is 730 days
    assert AuditEntry.objects.count() == 2


def test_lowering_the_period_behind_the_applications_back_cannot_go_below_a_year(counselor):
    half_year_old = audit_entry_backdated(
        actor=counselor,
        action="case.open",
        target_type="case",
        target_id="y",
        at=timezone.now() - timedelta(days=200),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO hub_retentionpolicy (key, value, changed_at) VALUES ('audit_entries', 30, now())"
        )
    refused("DELETE FROM hub_auditentry WHERE id = %s", [half_year_old.pk])


@pytest.mark.parametrize("offset", [timedelta(days=-1), timedelta(minutes=-10), timedelta(days=1)])
def test_a_back_or_forward_dated_insert_is_refused(counselor, offset):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.create(
            actor=counselor, action="case.open", target_type="case", target_id="x", at=timezone.now() + offset
        )
    refused(
        "INSERT INTO hub_auditentry (action, target_type, target_id, detail, at)"
        " VALUES ('a', 'b', 'c', '', %s)",
        [timezone.now() + offset],
    )
    assert not AuditEntry.objects.exists()


def test_the_retention_purge_deletes_what_is_due_and_only_that(counselor, coordinator):
    old = audit_entry_backdated(
        actor=counselor,
        action="case.open",
        target_type="case",
        target_id="old",
        at=timezone.now() - timedelta(days=800),
    )
    kept = audit_entry_backdated(
        actor=counselor,
        action="case.open",
        target_type="case",
        target_id="kept",
        at=timezone.now() - timedelta(days=500),
    )
    assert retention.retention_run(trigger="test", keys=["audit_entries"]).counts["audit_entries"] == 1
    assert (
        not AuditEntry.objects.filter(pk=old.pk).exists() and AuditEntry.objects.filter(pk=kept.pk).exists()
    )
    # The coordinator's shorter period (within the bounds) is the database's too.
    retention.retention_policy_set(key="audit_entries", value=365, actor=coordinator)
    assert retention.retention_run(trigger="test", keys=["audit_entries"]).counts["audit_entries"] == 1
    assert not AuditEntry.objects.filter(pk=kept.pk).exists()


def test_deleting_a_user_still_clears_the_actor(entry, counselor):
    counselor.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor is None


def test_the_database_rule_agrees_with_the_retention_policy():
    policy = retention.POLICIES["audit_entries"]
    assert (policy.minimum, policy.default) == (guard.AUDIT_MINIMUM_DAYS, guard.AUDIT_DEFAULT_DAYS)
