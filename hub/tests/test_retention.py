"""Retention: coordinators' periods within bounds, and the one batched, resumable purge mechanism."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counseling import services
from counseling.models import (
    Attachment,
    CallbackRequest,
    Case,
    CaseEvent,
    CaseStatus,
    InternalNote,
    Message,
)
from counseling.tests.factories import make_case
from counseling.uploads import CleanFile
from hub import retention
from hub.models import AuditEntry, PurgeRun, RetentionPolicy, StatEvent, User
from hub.roles import Role
from hub.schedule import BEAT_SCHEDULE
from hub.tests.factories import UserFactory, audit_entry_backdated

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


def inactive_case(youth, *, status: str, days_ago: float) -> Case:
    """A case in this status whose last message and last event were `days_ago` days ago."""
    case = make_case(youth=youth, body=SECRET)
    when = timezone.now() - timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(
        status=status,
        created_at=when,
        last_message_at=when,
        closed_at=when if status == CaseStatus.CLOSED else None,
    )
    CaseEvent.objects.filter(case=case).update(created_at=when)
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("status", CaseStatus.values)
def test_a_case_400_days_inactive_goes_whatever_its_status_and_one_10_days_inactive_stays(
    youth, other_youth, status
):
    old = inactive_case(youth, status=status, days_ago=400)
    recent = inactive_case(other_youth, status=status, days_ago=10)

    run = retention.retention_run(trigger="test")

    assert rows_of(old.pk) == dict.fromkeys(rows_of(old.pk), 0)
    kept = rows_of(recent.pk)
    assert (kept["case"], kept["messages"]) == (1, 1) and Case.objects.get(pk=recent.pk).wrapped_key != b""
    assert run.counts["closed_cases"] + run.counts["inactive_cases"] == 1


def test_any_event_or_message_keeps_an_old_case(youth, other_youth, counselor):
    by_event = inactive_case(youth, status=CaseStatus.NEW, days_ago=400)
    by_message = inactive_case(other_youth, status=CaseStatus.NEW, days_ago=400)
    services.case_set_status(case=by_event, status=CaseStatus.OPEN, actor=counselor)
    services.message_send(case=by_message, author=other_youth, body="Noch da?", files=[])
    retention.retention_run(trigger="test")
    assert Case.objects.filter(pk__in=[by_event.pk, by_message.pk]).count() == 2


def test_the_inactive_case_period_is_the_coordinators_within_bounds(youth, coordinator):
    case = inactive_case(youth, status=CaseStatus.OPEN, days_ago=100)
    assert retention.retention_run(trigger="test").counts["inactive_cases"] == 0
    for value in (89, 731):
        with pytest.raises(ValueError):
            retention.retention_policy_set(key="inactive_cases", value=value, actor=coordinator)
    retention.retention_policy_set(key="inactive_cases", value=90, actor=coordinator)
    assert retention.retention_run(trigger="test").counts["inactive_cases"] == 1
    assert not Case.objects.filter(pk=case.pk).exists()


def test_the_preview_counts_what_the_next_run_deletes(youth, other_youth):
    closed_case(youth, days_ago=181)
    closed_case(other_youth, days_ago=10)
    preview = {purge.key: count for purge, count in retention.retention_preview()}
    assert preview["closed_cases"] == 1
    assert Case.objects.count() == 2


def test_the_preview_is_one_statement_and_counts_as_each_purge_would(youth, other_youth, coordinator):
    """The retention page's preview: every purge's count in one query (it was one per purge and one per
    period), each equal to what that purge selects, with a period changed by a coordinator in force."""
    closed_case(youth, days_ago=181)
    closed_case(other_youth, days_ago=100)
    retention.retention_policy_set(key="closed_cases", value=90, actor=coordinator)
    retention.policy_values("closed_cases")  # the periods are read once per change, not per preview
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        preview = retention.retention_preview(now=now)
    assert len(queries) == 1
    assert [(purge.key, count) for purge, count in preview] == [
        (purge.key, purge.due(now).count()) for purge in retention.purges()
    ]
    assert dict((purge.key, count) for purge, count in preview)["closed_cases"] == 2


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

    audit_entry_backdated(
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


def _deletion_day(last_activity, days: int, language: str) -> str:
    """The day of the first nightly run (03:40 Berlin) at or after the case is due, as the page shows it."""
    from datetime import time

    from hub.dates import format_when

    due = timezone.localtime(last_activity + timedelta(days=days))
    day = due.date() if due.time() <= time(3, 40) else due.date() + timedelta(days=1)
    return format_when(day, "date_long", language=language)


def _deletion_sentence(client, url: str) -> str:
    return client.get(url).content.decode().split('id="deletion"')[1].split("</p>")[0]


def test_the_case_page_says_when_the_case_will_be_deleted_and_new_activity_moves_it(
    client, youth, coordinator
):
    case = inactive_case(youth, status=CaseStatus.OPEN, days_ago=100)
    client.force_login(youth)
    last_activity = case.last_message_at
    page_de = _deletion_sentence(client, f"/de/cases/{case.public_id}/")
    assert _deletion_day(last_activity, 365, "de") in page_de

    services.message_send(case=case, author=youth, body="Noch eine Frage", files=[])
    after = _deletion_day(Case.objects.get(pk=case.pk).last_message_at, 365, "en")
    assert after != _deletion_day(last_activity, 365, "en")
    sentence = _deletion_sentence(client, f"/en/cases/{case.public_id}/")
    assert f"will be deleted on {after}" in sentence and "moves this date" in sentence

    # A closed case goes after the (shorter) closed-case period; the page follows the coordinator's value.
    services.case_set_status(case=case, status=CaseStatus.CLOSED, actor=None)
    retention.retention_policy_set(key="closed_cases", value=30, actor=coordinator)
    closed = Case.objects.get(pk=case.pk)
    expected = _deletion_day(closed.closed_at, 30, "en")
    assert expected in _deletion_sentence(client, f"/en/cases/{case.public_id}/")


def test_the_staff_case_page_tells_the_counselor_too(client, youth, counselor):
    from counseling.models import CounselorProfile

    case = inactive_case(youth, status=CaseStatus.NEW, days_ago=300)
    CounselorProfile.objects.get_or_create(user=counselor, defaults={"languages": ["de"]})
    Case.objects.filter(pk=case.pk).update(counselor=counselor)
    client.force_login(counselor)
    assert "will be deleted on" in _deletion_sentence(client, f"/en/staff/cases/{case.public_id}/")
