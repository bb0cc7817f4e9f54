"""Routing: language, topic, presence, capacity, site preference; the queue, oldest first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from counseling import routing, services
from counseling.models import Case, CaseEvent, CounselorProfile
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def counselor(username, languages, *, capacity=5, absent=False, topics=(), site=None):
    user = staff_with_totp(username=username, roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(
        user=user, languages=list(languages), capacity=capacity, is_absent=absent, topics=list(topics)
    )
    if site is not None:
        site_services.site_counselor_grant(user=user, site=site)
    return user


def ask(language="tr", topic="work", site=None, youth=None):
    return services.enquiry_create(
        youth=youth or UserFactory(roles=[Role.YOUTH]),
        topic=topic,
        language=language,
        site=site,
        body="Merhaba",
    )


def test_a_turkish_enquiry_goes_to_a_present_turkish_speaker_with_capacity():
    counselor("ru_speaker", ["ru", "de"])
    counselor("tr_absent", ["tr"], absent=True)
    full = counselor("tr_full", ["tr"], capacity=1)
    assert ask(language="tr").counselor == full  # now full
    chosen = counselor("tr_present", ["tr", "de"])
    case = ask(language="tr")
    assert case.counselor == chosen
    assert case.events.filter(kind=CaseEvent.Kind.ASSIGNED, counselor=chosen).exists()


def test_with_nobody_eligible_it_waits_in_the_queue():
    counselor("ru_speaker", ["ru"])
    counselor("tr_absent", ["tr"], absent=True)
    case = ask(language="tr")
    assert case.counselor is None
    assert case.events.filter(kind=CaseEvent.Kind.QUEUED).exists()
    assert list(routing.queued_cases()) == [case]


def test_an_absent_counselor_gets_no_case_even_as_the_only_speaker():
    absent = counselor("tr_absent", ["tr"], absent=True)
    for _ in range(3):
        ask(language="tr")
    assert not Case.objects.filter(counselor=absent).exists()


def test_absence_that_has_ended_counts_as_present():
    user = counselor("tr_back", ["tr"], absent=True)
    CounselorProfile.objects.filter(user=user).update(absent_until=timezone.localdate() - timedelta(days=1))
    assert ask(language="tr").counselor == user


def test_topics_are_respected_and_empty_means_all():
    housing_only = counselor("housing", ["ar"], topics=["housing"])
    everything = counselor("all", ["ar"])
    assert ask(language="ar", topic="housing").counselor in {housing_only, everything}
    assert ask(language="ar", topic="work").counselor == everything


def test_the_chosen_sites_team_is_preferred():
    essen = SiteFactory(slug="essen")
    counselor("elsewhere", ["ar"])
    local = counselor("local", ["ar"], site=essen)
    assert ask(language="ar", site=essen).counselor == local


def test_the_least_loaded_counselor_gets_the_next_case():
    first = counselor("first", ["uk"], capacity=10)
    second = counselor("second", ["uk"], capacity=10)
    owners = [ask(language="uk").counselor for _ in range(4)]
    assert owners.count(first) == owners.count(second) == 2


def test_capacity_is_never_exceeded():
    only = counselor("only", ["sq"], capacity=2)
    cases = [ask(language="sq") for _ in range(3)]
    assert [case.counselor for case in cases] == [only, only, None]


def test_queue_is_handed_out_longest_waiting_first_when_capacity_frees():
    only = counselor("only", ["fr"], capacity=1)
    first = ask(language="fr")
    waiting_long = ask(language="fr")
    waiting_short = ask(language="fr")
    Case.objects.filter(pk=waiting_short.pk).update(created_at=timezone.now() + timedelta(minutes=5))
    assert (first.counselor, waiting_long.counselor) == (only, None)
    services.case_set_status(case=first, status="closed", actor=only)  # route_queue runs after commit
    routing.route_queue()
    waiting_long.refresh_from_db()
    waiting_short.refresh_from_db()
    assert (waiting_long.counselor, waiting_short.counselor) == (only, None)


def test_a_counselor_who_is_not_a_counselor_any_more_gets_nothing():
    user = counselor("former", ["tr"])
    user.groups.clear()
    assert ask(language="tr").counselor is None
