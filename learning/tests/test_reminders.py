"""Reminders before the due date (to the learner) and overdue notices (to the site leads): once each,
and through the real Celery worker and SMTP."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.roles import Role
from hub.schedule import BEAT_SCHEDULE
from hub.tests.factories import staff_with_totp
from learning import tasks
from learning.models import Enrolment, EnrolmentSource
from learning.tests.factories import CourseFactory
from sites import services as site_services
from sites.tests.factories import SiteFactory


@pytest.fixture
def team(db):
    site = SiteFactory(name="JMD Bonn")
    learner = staff_with_totp(
        username="learner", display_name="Lea Lernt", email="lea@example.org", roles=[Role.COUNSELOR]
    )
    lead = staff_with_totp(username="lead", email="lead@example.org", roles=[Role.SITE_LEAD])
    other_lead = staff_with_totp(username="other_lead", email="other@example.org", roles=[Role.SITE_LEAD])
    site_services.site_counselor_grant(user=learner, site=site)
    site_services.site_lead_grant(user=lead, site=site)
    site_services.site_lead_grant(user=other_lead, site=SiteFactory(name="JMD Köln"))
    course = CourseFactory(title="Datenschutz und Krisenintervention")
    return {"learner": learner, "course": course}


def _enrol(team, due_in):
    return Enrolment.objects.create(
        user=team["learner"],
        course=team["course"],
        source=EnrolmentSource.COORDINATOR,
        due_at=timezone.now() + due_in,
    )


@pytest.mark.django_db
def test_a_reminder_goes_a_week_before_the_due_date_once(team, mailoutbox):
    _enrol(team, timedelta(days=5))
    assert tasks.remind_due_enrolments() == 1
    assert tasks.remind_due_enrolments() == 0
    assert [m.to for m in mailoutbox] == [["lea@example.org"]]
    assert "Datenschutz und Krisenintervention" in mailoutbox[0].body


@pytest.mark.django_db
def test_no_reminder_far_from_the_due_date_or_when_completed(team, mailoutbox):
    _enrol(team, timedelta(days=20))
    assert tasks.remind_due_enrolments() == 0
    Enrolment.objects.update(due_at=timezone.now() + timedelta(days=2), completed_at=timezone.now())
    assert tasks.remind_due_enrolments() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_site_lead_hears_of_an_overdue_course_once(team, mailoutbox):
    _enrol(team, -timedelta(hours=1))
    assert tasks.notify_overdue_enrolments() == 1
    assert tasks.notify_overdue_enrolments() == 0
    assert [m.to for m in mailoutbox] == [["lead@example.org"]]  # not the lead of another site
    assert "Lea Lernt" in mailoutbox[0].body


def test_the_learning_jobs_are_scheduled():
    tasks_scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {
        "learning.remind_due_enrolments",
        "learning.notify_overdue_enrolments",
        "learning.open_renewals",
        "learning.sync_rule_enrolments",
    } <= tasks_scheduled


@pytest.mark.services
@pytest.mark.slow
def test_the_real_worker_sends_the_overdue_notice_over_smtp(celery_worker, smtp_sink, team):
    _enrol(team, -timedelta(hours=1))
    tasks.notify_overdue_enrolments.delay()
    deadline = time.monotonic() + 20
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [message["to"] for message in smtp_sink.messages] == [["lead@example.org"]]
    assert "Lea Lernt" in smtp_sink.messages[0]["data"]
