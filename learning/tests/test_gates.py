"""Activity gates: without the required certificate a staff member is refused; with it allowed; after
expiry refused again. Counseling asks the gate before taking a case, accepting a chat or a callback,
and routing assigns nobody who is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from counseling import routing
from counseling import services as counseling_services
from counseling.models import Case, CounselorProfile
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from learning.gates import Activity, activity_refusal, users_refused
from learning.models import ActivityRequirement
from learning.tests.factories import CertificateFactory, CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated_course():
    course = CourseFactory(title="Datenschutz und Krisenintervention", slug="datenschutz")
    for activity in (Activity.CASES, Activity.LIVE_CHAT):
        requirement = ActivityRequirement(activity=activity)
        requirement.courses = [course]  # a parental M2M: stored on save, as the Wagtail editor does
        requirement.save()
    return course


def test_no_requirement_configured_allows_everyone(counselor):
    assert activity_refusal(counselor, Activity.CASES) is None
    assert users_refused(Activity.CASES, [counselor.pk]) == set()


def test_refused_without_allowed_with_and_refused_again_after_expiry(counselor, gated_course):
    refusal = activity_refusal(counselor, Activity.CASES)
    assert refusal is not None
    assert reverse("learning_staff:course", args=["datenschutz"]) in refusal
    assert "Datenschutz und Krisenintervention" in refusal

    CertificateFactory(user=counselor, course=gated_course, valid_until=timezone.now() + timedelta(days=365))
    assert activity_refusal(counselor, Activity.CASES) is None
    assert users_refused(Activity.CASES, [counselor.pk]) == set()

    later = timezone.now() + timedelta(days=366)
    assert activity_refusal(counselor, Activity.CASES, now=later) is not None
    assert users_refused(Activity.CASES, [counselor.pk], now=later) == {counselor.pk}


def test_a_revoked_certificate_does_not_count(counselor, gated_course):
    CertificateFactory(user=counselor, course=gated_course, revoked_at=timezone.now())
    assert activity_refusal(counselor, Activity.CASES) is not None


def _queued_case():
    youth = UserFactory(roles=[Role.YOUTH])
    return counseling_services.enquiry_create(youth=youth, topic="school", language="de", body="Frage")


def test_taking_a_case_from_the_queue_is_refused_with_a_link_to_the_course(client, counselor, gated_course):
    CounselorProfile.objects.create(user=counselor, languages=["de"], capacity=10)
    case = _queued_case()
    assert case.counselor is None  # the gate keeps routing from assigning it
    client.force_login(counselor)
    response = client.post(f"/en/staff/cases/{case.public_id}/take/", follow=True)
    case.refresh_from_db()
    assert case.counselor is None
    page = response.content.decode()
    assert "needs a valid certificate" in page
    assert 'href="/en/staff/learning/courses/datenschutz/"' in page


def test_with_a_certificate_the_case_is_taken_and_routed(client, counselor, gated_course):
    CounselorProfile.objects.create(user=counselor, languages=["de"], capacity=10)
    CertificateFactory(user=counselor, course=gated_course)
    case = _queued_case()
    assert case.counselor == counselor  # routing assigns the certified counselor
    other = _queued_case()
    Case.objects.filter(pk=other.pk).update(counselor=None)
    client.force_login(counselor)
    client.post(f"/en/staff/cases/{other.public_id}/take/")
    other.refresh_from_db()
    assert other.counselor == counselor


def test_routing_skips_a_refused_counselor_for_a_certified_colleague(gated_course):
    refused = staff_with_totp(username="uncertified", roles=[Role.COUNSELOR])
    certified = staff_with_totp(username="certified", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=refused, languages=["de"], capacity=10)
    CounselorProfile.objects.create(user=certified, languages=["de"], capacity=10)
    CertificateFactory(user=certified, course=gated_course)
    case = _queued_case()
    assert [p.user for p in routing.candidates(case)] == [certified]


def test_going_online_for_live_chat_is_refused_without_the_certificate(client, counselor, gated_course):
    client.force_login(counselor)
    response = client.post("/en/staff/cases/chats/presence/", {"online": "1"}, follow=True)
    assert "needs a valid certificate" in response.content.decode()
    from counseling import presence

    assert not presence.is_online(counselor.pk, now=timezone.now())


def test_the_handover_form_offers_no_colleague_who_may_not_take_cases(gated_course):
    from counseling.staff_forms import HandoverForm

    refused = staff_with_totp(username="uncertified", roles=[Role.COUNSELOR])
    certified = staff_with_totp(username="certified", roles=[Role.COUNSELOR])
    for user in (refused, certified):
        CounselorProfile.objects.create(user=user, languages=["de"], capacity=10)
    CertificateFactory(user=certified, course=gated_course)
    case = _queued_case()
    assert list(HandoverForm(case=case).fields["counselor"].queryset) == []  # certified already has it
    Case.objects.filter(pk=case.pk).update(counselor=None)
    case.refresh_from_db()
    assert list(HandoverForm(case=case).fields["counselor"].queryset) == [certified]


def test_accepting_a_live_chat_is_refused_without_the_certificate(client, counselor, gated_course):
    from counseling import chat

    youth = UserFactory(roles=[Role.YOUTH])
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    live = chat.chat_start(youth=youth, language="de", topic="school")
    client.force_login(counselor)
    response = client.post(f"/en/staff/cases/chats/{live.case.public_id}/accept/", follow=True)
    live.refresh_from_db()
    assert live.status == "waiting"
    assert "needs a valid certificate" in response.content.decode()


def test_a_refused_counselor_may_enrol_in_the_required_course_from_the_link(client, counselor, gated_course):
    from learning.models import Enrolment

    assert not gated_course.self_enrolment
    client.force_login(counselor)
    page = client.get("/en/staff/learning/courses/datenschutz/").content.decode()
    assert "Enrol in this course" in page
    client.post("/en/staff/learning/courses/datenschutz/enrol/")
    assert Enrolment.objects.filter(user=counselor, course=gated_course).exists()
