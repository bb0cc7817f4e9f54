"""Retention: coordinators' periods within bounds, and the one batched, resumable purge mechanism."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from counseling import services
from counseling.models import Attachment, CallbackRequest, Case, CaseEvent, InternalNote, Message
from counseling.tests.factories import make_case
from counseling.uploads import CleanFile
from hub import retention
from hub.models import AuditEntry, PurgeRun, RetentionPolicy, StatEvent, User
from hub.roles import Role
from hub.schedule import BEAT_SCHEDULE
from hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Meine geheime Frage zur Duldung"


def closed_case(youth, *, days_ago: float, files=()) -> Case:
    case = make_case(youth=youth, body=SECRET, files=files)
    services.note_add(case=case, author=None, body="Notiz")
    services.case_set_status(case=case, status="closed", actor=None)
    when = timezone.now() - timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(closed_at=when, last_message_at=when)
    return case


def rows_of(case_pk: int) -> dict:
    return {
        "case": Case.objects.filter(pk=case_pk).count(),
        "messages": Message.objects.filter(case_id=case_pk).count(),
        "attachments": Attachment.objects.filter(message__case_id=case_pk).count(),
        "notes": InternalNote.objects.filter(case_id=case_pk).count(),
        "events": CaseEvent.objects.filter(case_id=case_pk).count(),
    }


def attachment_bytes_in_db() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM counseling_attachment")
        return cursor.fetchone()[0]


PDF = CleanFile(name="Zeugnis.pdf", content_type="application/pdf", data=b"%PDF-1.4 sealed test")


def test_a_case_closed_181_days_ago_goes_and_one_closed_179_days_ago_stays(youth, other_youth):
    old = closed_case(youth, days_ago=181, files=[PDF])
    young = closed_case(other_youth, days_ago=179, files=[PDF])
    assert rows_of(old.pk)["attachments"] == 1

    run = retention.retention_run(trigger="test")

    assert rows_of(old.pk) == dict.fromkeys(rows_of(old.pk), 0)
    assert attachment_bytes_in_db() == 1  # the sealed file of the young case only
    assert all(rows_of(young.pk).values())
    assert Case.objects.get(pk=young.pk).wrapped_key != b""
    assert run.status == PurgeRun.Status.DONE and run.counts["closed_cases"] == 1
    # The run record holds counts only, no names or ids of what went.
    assert youth.username not in str(run.counts) and str(old.public_id) not in str(run.counts)


def test_running_the_purge_twice_deletes_nothing_more(youth, other_youth):
    closed_case(youth, days_ago=181)
    closed_case(other_youth, days_ago=100)
    first = retention.retention_run(trigger="test")
    second = retention.retention_run(trigger="test")
    assert first.counts["closed_cases"] == 1
    assert second.total == 0
    assert Case.objects.count() == 1


def test_an_interrupted_purge_is_completed_by_the_next_run():
    youths = UserFactory.create_batch(7, roles=[Role.YOUTH])
    for person in youths:
        closed_case(person, days_ago=365)
    batches = []

    def crash_on_the_third_batch(key, handled):
        batches.append(handled)
        if len(batches) == 3:
            raise ConnectionError("worker killed")

    with pytest.raises(ConnectionError):
        retention.retention_run(
            trigger="test", keys=["closed_cases"], batch_size=2, progress=crash_on_the_third_batch
        )
    crashed = PurgeRun.objects.get()
    # Whole batches were committed: three of them, the rest is still there and untouched.
    assert Case.objects.count() == 1
    assert (crashed.status, crashed.error, crashed.counts) == (
        "failed",
        "ConnectionError",
        {"closed_cases": 6},
    )
    assert Message.objects.count() == 1 and Case.objects.get().wrapped_key != b""

    rerun = retention.retention_run(trigger="test", keys=["closed_cases"], batch_size=2)
    assert rerun.counts == {"closed_cases": 1}
    assert Case.objects.count() == 0 and Message.objects.count() == 0


def test_deleting_cases_keeps_the_statistics(youth):
    closed_case(youth, days_ago=400)
    before = StatEvent.objects.count()
    assert before > 0
    retention.retention_run(trigger="test")
    assert StatEvent.objects.count() == before


def test_open_and_recent_cases_are_never_purged(youth):
    case = make_case(youth=youth)
    Case.objects.filter(pk=case.pk).update(last_message_at=timezone.now() - timedelta(days=900))
    retention.retention_run(trigger="test")
    assert Case.objects.filter(pk=case.pk).exists()  # new and unanswered: still the counselors' work


def test_the_preview_counts_what_the_next_run_deletes(youth, other_youth):
    closed_case(youth, days_ago=181)
    closed_case(other_youth, days_ago=10)
    preview = {purge.key: count for purge, count in retention.retention_preview()}
    assert preview["closed_cases"] == 1
    assert Case.objects.count() == 2


def test_a_coordinator_period_applies_and_its_change_is_audited(youth, coordinator):
    case = closed_case(youth, days_ago=100)
    retention.retention_policy_set(key="closed_cases", value=90, actor=coordinator)
    retention.retention_run(trigger="test")
    assert not Case.objects.filter(pk=case.pk).exists()
    entry = AuditEntry.objects.get(action="retention.changed")
    assert (entry.actor, entry.target_id, entry.detail) == (coordinator, "closed_cases", "180 -> 90 days")


@pytest.mark.parametrize("value", [29, 731])
def test_periods_outside_the_bounds_are_refused(coordinator, value):
    with pytest.raises(ValueError):
        retention.retention_policy_set(key="closed_cases", value=value, actor=coordinator)
    assert not RetentionPolicy.objects.exists()


def test_accounts_that_never_asked_anything_go_after_30_days(youth, other_youth, counselor):
    User.objects.filter(pk__in=[youth.pk, other_youth.pk, counselor.pk]).update(
        date_joined=timezone.now() - timedelta(days=31)
    )
    make_case(youth=other_youth)
    fresh = UserFactory(roles=[Role.YOUTH])
    retention.retention_run(trigger="test")
    assert not User.objects.filter(pk=youth.pk).exists()
    assert User.objects.filter(pk__in=[other_youth.pk, counselor.pk, fresh.pk]).count() == 3


def test_registrations_go_30_days_after_the_date(youth):
    from sites.models import Appointment
    from sites.tests.factories import SiteFactory

    site = SiteFactory()
    now = timezone.now()
    for days, key in (
        (31, "00000000-0000-0000-0000-000000000001"),
        (29, "00000000-0000-0000-0000-000000000002"),
    ):
        Appointment.objects.create(
            site=site,
            youth=youth,
            mode="on_site",
            language="de",
            starts_at=now - timedelta(days=days, hours=1),
            ends_at=now - timedelta(days=days),
            idempotency_key=key,
        )
    run = retention.retention_run(trigger="test")
    assert run.counts["appointments"] == 1 and Appointment.objects.count() == 1


def test_old_audit_entries_go_after_two_years(counselor):
    from hub.audit import audit_record

    old = audit_record(actor=counselor, action="case.open", target_type="case", target_id="x")
    AuditEntry.objects.filter(
        pk=old.pk
    ).delete()  # recreated with an old date below (entries are append-only)
    AuditEntry.objects.create(
        actor=counselor,
        action="case.open",
        target_type="case",
        target_id="x",
        at=timezone.now() - timedelta(days=731),
    )
    audit_record(actor=counselor, action="case.open", target_type="case", target_id="y")
    retention.retention_run(trigger="test")
    assert list(AuditEntry.objects.values_list("target_id", flat=True)) == ["y"]


def test_callback_numbers_follow_the_policy(youth, coordinator):
    from counseling import callbacks

    slot = timezone.now() - timedelta(days=3)
    callback = callbacks.callback_request(
        youth=youth, phone_e164="+491761234567", language="de", topic="money", slots=[slot]
    )
    assert retention.retention_run(trigger="test").counts["callback_numbers"] == 0
    retention.retention_policy_set(key="callback_numbers", value=2, actor=coordinator)
    assert retention.retention_run(trigger="test").counts["callback_numbers"] == 1
    assert CallbackRequest.objects.get(pk=callback.pk).phone_sealed == b""


def test_the_management_command_shows_progress_and_the_beat_runs_it_nightly(youth):
    closed_case(youth, days_ago=181)
    out = StringIO()
    call_command("purge", stdout=out)
    text = out.getvalue()
    assert "closed_cases" in text and "[##############################] 1/1" in text
    assert PurgeRun.objects.get().trigger == "command"
    preview = StringIO()
    call_command("purge", "--preview", stdout=preview)
    assert "closed_cases" in preview.getvalue()
    assert BEAT_SCHEDULE["retention-purge"]["task"] == "hub.retention_purge"


def test_audit_entries_cannot_be_changed(counselor):
    from django.db import DatabaseError, transaction

    from hub.audit import audit_record

    entry = audit_record(actor=counselor, action="case.open", target_type="case", target_id="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing")
    counselor.delete()  # the actor may still be cleared when the user goes
    assert AuditEntry.objects.get(pk=entry.pk).actor is None


@pytest.mark.usefixtures("celery_worker")
def test_the_nightly_job_purges_through_a_real_worker(youth, other_youth):
    from hub.tasks import retention_purge

    old = closed_case(youth, days_ago=181)
    kept = closed_case(other_youth, days_ago=179)
    counts = retention_purge.delay().get(timeout=30)
    assert counts["closed_cases"] == 1
    assert not Case.objects.filter(pk=old.pk).exists() and Case.objects.filter(pk=kept.pk).exists()
    assert PurgeRun.objects.get().trigger == "beat"
