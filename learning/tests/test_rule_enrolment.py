"""Rule enrolment: staff are enrolled when they join a role or a site, through the hub and sites
services (which know nothing of learning), and by the nightly resync."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub import services as hub_services
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from learning import services, tasks
from learning.models import Enrolment, EnrolmentRule, EnrolmentSource
from learning.tests.factories import CourseFactory
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_a():
    return SiteFactory(name="JMD Site A")


@pytest.fixture
def site_b():
    return SiteFactory(name="JMD Site B")


@pytest.fixture
def required_at_a(site_a):
    course = CourseFactory(title="Datenschutz und Krisenintervention", due_days=14)
    EnrolmentRule.objects.create(course=course, site=site_a, role=Role.COUNSELOR)
    return course


def test_a_new_counselor_at_site_a_is_enrolled_in_site_as_required_course(required_at_a, site_a):
    counselor = UserFactory(username="new_counselor", is_staff=True, roles=[Role.COUNSELOR])
    assert not Enrolment.objects.filter(user=counselor).exists()  # a counselor, but not at site A yet
    site_services.site_counselor_grant(user=counselor, site=site_a)
    enrolment = Enrolment.objects.get(user=counselor)
    assert enrolment.course == required_at_a
    assert enrolment.source == EnrolmentSource.RULE
    assert enrolment.due_at - enrolment.enrolled_at == timedelta(days=14)


def test_the_role_granted_after_the_site_also_enrols(required_at_a, site_a):
    user = UserFactory(username="later_counselor", is_staff=True)
    site_services.site_counselor_grant(user=user, site=site_a)
    assert not Enrolment.objects.filter(user=user).exists()  # no role yet
    hub_services.role_grant(user=user, role=Role.COUNSELOR)
    assert Enrolment.objects.filter(user=user, course=required_at_a).exists()


def test_a_counselor_at_site_b_or_a_youth_is_not_enrolled(required_at_a, site_b):
    other = staff_with_totp(username="counselor_b", roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=other, site=site_b)
    UserFactory(username="youth_x", roles=[Role.YOUTH])
    assert not Enrolment.objects.exists()


def test_a_role_rule_enrols_everyone_with_the_role_wherever_they_work():
    course = CourseFactory()
    EnrolmentRule.objects.create(course=course, role=Role.TRAINEE_COUNSELOR)
    trainee = UserFactory(username="trainee", is_staff=True, roles=[Role.TRAINEE_COUNSELOR])
    assert Enrolment.objects.filter(user=trainee, course=course).count() == 1
    hub_services.role_grant(user=trainee, role=Role.TRAINEE_COUNSELOR)  # again: still one enrolment
    assert Enrolment.objects.filter(user=trainee, course=course).count() == 1


def test_a_new_rule_enrols_existing_staff_and_the_nightly_resync_catches_up(site_a):
    anna = staff_with_totp(username="anna", roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=anna, site=site_a)
    course = CourseFactory(due_date=(timezone.now() + timedelta(days=30)).date())
    EnrolmentRule.objects.create(course=course, site=site_a)
    assert services.course_sync_rules(course=course) == 1
    assert tasks.sync_rule_enrolments() == 0  # already enrolled: nothing twice
    enrolment = Enrolment.objects.get(user=anna)
    assert enrolment.due_at.date() == course.due_date


def test_a_completed_course_is_not_enrolled_again_by_the_rule(required_at_a, site_a):
    counselor = UserFactory(username="done_counselor", is_staff=True, roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=counselor, site=site_a)
    Enrolment.objects.filter(user=counselor).update(completed_at=timezone.now())
    assert tasks.sync_rule_enrolments() == 0
    assert Enrolment.objects.filter(user=counselor).count() == 1
