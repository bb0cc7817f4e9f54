"""Every staff read of personal data is in the audit log (hub/audit.py), beyond the case pages: the site
agenda (young people's phone numbers), a group offer's participant list, the moderator's chat-round room,
training reports and their CSV export, forum moderation. A denied read leaves no entry; a young person's
own "My data" download is recorded without who made it."""

import pytest
from django.urls import reverse

from counseling.forum.tests.factories import published_reply, published_thread
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_rounds_and_video import open_round
from hub.audit import AuditAction
from hub.models import AuditEntry
from learning.models import Enrolment, EnrolmentSource
from learning.tests.factories import CourseFactory
from sites.tests import test_appointments as appointment_tests
from sites.tests import test_groups as group_tests
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def entries(action):
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("pk")
        .values_list("actor__username", "target_type", "target_id")
    )


def test_opening_the_site_agenda_is_audited_and_a_denied_one_is_not(client, youth, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: appointment_tests.NOW)
    site = SiteFactory(slug="jmd-essen", appointment_capacity=1)
    client.force_login(appointment_tests.team_member(SiteFactory(slug="jmd-dresden"), "counselor_dresden"))
    assert client.get("/de/staff/sites/jmd-essen/agenda/").status_code == 403
    assert entries(AuditAction.AGENDA_OPEN) == []
    client.force_login(appointment_tests.team_member(site))
    assert client.get("/de/staff/sites/jmd-essen/agenda/?from=2026-11-23").status_code == 200
    assert entries(AuditAction.AGENDA_OPEN) == [("counselor_essen", "site", "jmd-essen")]
    assert AuditEntry.objects.get().detail == "2026-11-23 +7"


def test_opening_a_group_offers_participant_list_is_audited(client):
    site = SiteFactory(slug="jmd-essen")
    offer = group_tests.make_offer(site)
    client.force_login(group_tests.lead_of(SiteFactory(slug="jmd-dresden"), username="lead_dresden"))
    assert client.get(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/").status_code == 403
    client.force_login(group_tests.counselor_at(site))
    assert client.get(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/").status_code == 200
    assert entries(AuditAction.GROUP_OPEN) == [("counselor_essen", "group_offer", str(offer.public_id))]


def test_the_moderator_opening_a_chat_round_room_is_audited(client):
    chat_round = open_round()
    url = reverse("counseling_staff:round", args=[chat_round.public_id])
    client.force_login(counselor_with_profile("someone_else", ["de"]))
    assert client.get(url).status_code == 403
    assert entries(AuditAction.ROUND_OPEN) == []
    client.force_login(chat_round.moderator)
    assert client.get(url).status_code == 200
    assert entries(AuditAction.ROUND_OPEN) == [
        (chat_round.moderator.username, "round", str(chat_round.public_id))
    ]


def test_training_reports_their_csv_and_a_persons_progress_are_audited(client, coordinator, counselor):
    course = CourseFactory(slug="datenschutz")
    enrolment = Enrolment.objects.create(course=course, user=counselor, source=EnrolmentSource.COORDINATOR)
    client.force_login(counselor)
    assert client.get("/en/staff/learning/reports/datenschutz/csv/").status_code in (403, 404)
    assert not AuditEntry.objects.exists()
    client.force_login(coordinator)
    assert client.get("/en/staff/learning/reports/datenschutz/csv/").status_code == 200
    assert entries(AuditAction.EXPORT_MADE) == [("coordinator_bea", "training_report", "datenschutz")]
    assert client.get("/en/staff/learning/reports/datenschutz/").status_code == 200
    assert client.get(f"/en/staff/learning/reports/datenschutz/people/{enrolment.pk}/").status_code == 200
    assert entries(AuditAction.TRAINING_REPORT_OPEN) == [
        ("coordinator_bea", "training_report", "datenschutz"),
        ("coordinator_bea", "enrolment", str(enrolment.pk)),
    ]


def test_forum_moderation_reads_are_audited(client, counselor, youth):
    post = published_reply(published_thread(), body="Ruf mich an")
    client.force_login(youth)
    assert client.get(f"/en/staff/forum/posts/{post.pk}/").status_code in (302, 403)
    assert not AuditEntry.objects.exists()
    client.force_login(counselor)
    assert client.get("/en/staff/forum/").status_code == 200
    assert client.get(f"/en/staff/forum/posts/{post.pk}/").status_code == 200
    assert entries(AuditAction.FORUM_POST_OPEN) == [
        ("counselor_anna", "forum_queue", "1"),
        ("counselor_anna", "forum_post", str(post.pk)),
    ]


def test_a_youths_own_export_is_not_listed_under_their_username(client, youth, coordinator):
    client.force_login(youth)
    response = client.post("/de/me/data/")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (None, AuditAction.OWN_DATA_EXPORT, "")
    client.force_login(coordinator)
    log = client.get("/de/staff/audit/").content.decode()
    assert youth.username not in log
    assert client.get(f"/de/staff/audit/?actor={youth.username}").context["entries"].count() == 0
