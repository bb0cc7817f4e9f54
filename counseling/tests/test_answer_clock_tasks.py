"""Reminders at 24 h and escalations at 40 h: each sent once, to the right people, without content."""

import time as clock
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from counseling import services
from counseling.models import CaseEvent, CounselorProfile
from counseling.tasks import check_answer_clock
from hub.roles import Role
from hub.schedule import BEAT_SCHEDULE
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_14 = datetime(2026, 11, 17, 14, 0, tzinfo=BERLIN)


@pytest.fixture
def clock_at(monkeypatch):
    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_now(TUESDAY_14)
    return set_now


@pytest.fixture
def people(db):
    site = SiteFactory(slug="essen", federal_state="NW")
    counselor = staff_with_totp(username="counselor_tr", email="deniz@jmd.example", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=counselor, languages=["tr"])
    lead = staff_with_totp(username="lead", email="lead@jmd.example", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=site)
    staff_with_totp(username="coordinator", email="zentrale@jmd.example", roles=[Role.COORDINATOR])
    other_lead = staff_with_totp(username="other_lead", email="other@jmd.example", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=other_lead, site=SiteFactory(slug="dresden"))
    return {"site": site, "counselor": counselor}


def ask(site):
    youth = UserFactory(roles=[Role.YOUTH])
    return services.enquiry_create(
        youth=youth, topic="family", language="tr", site=site, body="Kırmızıbalık soru"
    )


def test_nothing_before_24_hours(clock_at, people):
    ask(people["site"])
    clock_at(TUESDAY_14 + timedelta(hours=23))
    assert check_answer_clock() == {"reminded": 0, "escalated": 0}


def test_the_counselor_is_reminded_once_at_24_hours(clock_at, people):
    case = ask(people["site"])
    mail.outbox.clear()
    clock_at(TUESDAY_14 + timedelta(hours=24))
    assert check_answer_clock()["reminded"] == 1
    assert check_answer_clock()["reminded"] == 0
    assert [m.to for m in mail.outbox] == [["deniz@jmd.example"]]
    assert "Kırmızıbalık" not in mail.outbox[0].body
    assert case.events.filter(kind=CaseEvent.Kind.REMINDED).count() == 1


def test_escalation_at_40_hours_run_twice_sends_one(clock_at, people):
    case = ask(people["site"])
    clock_at(TUESDAY_14 + timedelta(hours=40))
    check_answer_clock()
    mail.outbox.clear()
    assert check_answer_clock()["escalated"] == 0  # already escalated by the first run
    clock_at(TUESDAY_14 + timedelta(hours=41))
    assert check_answer_clock()["escalated"] == 0
    assert case.events.filter(kind=CaseEvent.Kind.ESCALATED).count() == 1
    case.refresh_from_db()
    assert case.escalated_at == TUESDAY_14 + timedelta(hours=40)


def test_escalation_goes_to_the_sites_leads_and_the_coordinators(clock_at, people):
    ask(people["site"])
    mail.outbox.clear()
    clock_at(TUESDAY_14 + timedelta(hours=40))
    check_answer_clock()
    escalation = [m for m in mail.outbox if "Escalation" in m.subject or "Eskalation" in m.subject]
    assert len(escalation) == 1
    assert sorted(escalation[0].to) == ["lead@jmd.example", "zentrale@jmd.example"]
    assert "Kırmızıbalık" not in escalation[0].body


def test_an_answered_case_is_neither_reminded_nor_escalated(clock_at, people):
    case = ask(people["site"])
    services.message_send(case=case, author=people["counselor"], body="Cevap")
    clock_at(TUESDAY_14 + timedelta(hours=45))
    assert check_answer_clock() == {"reminded": 0, "escalated": 0}


def test_a_new_youth_message_restarts_the_clock(clock_at, people):
    case = ask(people["site"])
    services.message_send(case=case, author=people["counselor"], body="Cevap")
    clock_at(TUESDAY_14 + timedelta(days=7))  # the next Tuesday
    services.message_send(case=case, author=case.youth, body="Bir sorum daha var")
    case.refresh_from_db()
    assert case.answer_due_at == TUESDAY_14 + timedelta(days=9)


def test_the_clock_jobs_are_scheduled():
    assert BEAT_SCHEDULE["check-answer-clock"]["task"] == "counseling.check_answer_clock"
    assert BEAT_SCHEDULE["route-queue"]["task"] == "counseling.route_queue"


@pytest.mark.usefixtures("celery_worker")
def test_a_real_worker_sends_the_reply_notice_over_smtp(smtp_sink):
    counselor = staff_with_totp(username="counselor_de", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    youth = UserFactory(roles=[Role.YOUTH], email="lina@example.org")
    case = services.enquiry_create(youth=youth, topic="housing", language="de", body="Wohnung?")
    services.message_send(case=case, author=counselor, body="Geheime Antwort zur Wohnung")
    deadline = clock.monotonic() + 20
    while not smtp_sink.messages and clock.monotonic() < deadline:
        clock.sleep(0.1)
    assert [message["to"] for message in smtp_sink.messages] == [["lina@example.org"]]
    data = smtp_sink.messages[0]["data"]
    assert "Geheime" not in data and "Wohnung" not in data and "/de/cases/" in data
