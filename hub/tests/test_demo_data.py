"""`manage.py demo_data` (`make run`'s second step): what it builds for each part of the portal.

Running it costs seconds of CPU, and five tests in four apps each ran it once or twice. The tests that
read what it built share one run here (`demo_world`: run twice, so each of them also sees that a second
run changes nothing), kept in a transaction for this module (tests/shared_rows.py): whatever a test
writes on top of it is rolled back after that test."""

import contextlib
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test.utils import override_settings

from hub.models import User
from hub.roles import Role, user_roles
from sites.models import ProviderGroup, Site
from tests import shared_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_world_once(django_db_setup, django_db_blocker):
    """demo_data run twice into a transaction kept for this module; yields what the runs printed."""
    with shared_rows.rows_kept(django_db_blocker) as kept:
        with django_db_blocker.unblock(), override_settings(DEBUG=True):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                call_command("demo_data", stdout=printed)
                call_command("demo_data", stdout=printed)
        kept.keep_cache()
        yield printed.getvalue(), kept


@pytest.fixture
def demo_world(demo_world_once, db, settings):
    printed, kept = demo_world_once
    kept.restore_cache()
    settings.DEBUG = True
    return printed


def test_demo_data_is_idempotent_and_complete(demo_world):
    assert Site.objects.filter(is_model_site=True).count() == 24
    per_group = dict(ProviderGroup.objects.annotate(n=Count("sites")).values_list("short_name", "n"))
    assert per_group == {"AWO": 6, "BAG KJS": 6, "IB": 6, "BAG EJSA": 6}
    demo_users = User.objects.filter(username__startswith="demo_")
    assert demo_users.count() == len(Role)
    assert set().union(*(user_roles(user) for user in demo_users)) == set(Role)
    # Logins are printed, staff with a TOTP secret.
    assert "demo_coordinator" in demo_world
    assert "TOTP secret" in demo_world


def test_demo_staff_can_pass_two_factor_with_the_printed_secret(demo_world, capsys):
    call_command("totp_code", "demo_counselor")
    code = capsys.readouterr().out.strip().splitlines()[-1]
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.get(user__username="demo_counselor", type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(code)


# --- what the demo gives the other apps ------------------------------------------------------------


def test_demo_knowledge_base_and_campaign(demo_world, client):
    from campaigns.models import CampaignPage, Channel, PlannedPost, ReachCount
    from knowledge.models import ArticlePage, Audience

    articles = ArticlePage.objects.all()
    assert articles.count() == 7
    assert articles.filter(audience=Audience.INTERNAL).count() == 1
    codes = {code for code, _name in settings.LANGUAGES}
    assert all(set(article.translation_state) == codes for article in articles)
    assert all(article.live for article in articles)
    campaign = CampaignPage.objects.get()
    assert Channel.objects.filter(campaign=campaign).count() == 5
    assert PlannedPost.objects.count() == 3 and ReachCount.objects.exists()
    page = client.get("/de/knowledge/", {"q": "anerkannt"}).content.decode()
    assert "Anerkennung ausländischer Abschlüsse" in page
    assert client.get(campaign.landing_url("ar")).status_code == 200


def test_the_demo_makes_the_acceptance_point_true(demo_world):
    """`make run`: demo_youth asks from Turkey; arrived in 12043, the case goes to Berlin-Neukölln's team."""
    from counseling import access, arrival, routing

    youth = User.objects.get(username="demo_youth")
    case = youth.cases.get()
    neukoelln = Site.objects.get(slug="awo-berlin-neukoelln")
    assert case.country_of_residence == "TR" and arrival.may_arrive(case)
    assert arrival.local_site("12043") == neukoelln

    arrival.case_arrive(case=case, youth=youth, postcode="12043", site=neukoelln)
    case.refresh_from_db()
    assert case.site == neukoelln and case.notes.count() == 1
    assert case.counselor is None or case.counselor_id in routing.site_team_ids(neukoelln)
    assert access.cases_for_staff(User.objects.get(username="demo_sitelead")).filter(pk=case.pk).exists()


def test_the_demo_counselor_is_enrolled_in_the_required_course_and_not_gated(demo_world):
    from learning.gates import Activity, activity_refusal
    from learning.models import Enrolment

    enrolment = Enrolment.objects.get(user__username="demo_counselor")
    assert enrolment.course.title == "Datenschutz und Krisenintervention"
    assert activity_refusal(enrolment.user, Activity.CASES) is None
