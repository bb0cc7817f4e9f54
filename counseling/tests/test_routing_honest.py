"""Routing that is honest for every language (issue 16): the fallback and coordinators' queues for a
language nobody present speaks (and the ask page saying so before sending), assigning any case by hand,
the postcode's nearest site, handover to another site's team queue, and the one absence rule in routing,
the chat desk and the young person's notice."""

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from counseling import chat, presence, routing, services
from counseling.models import Case, CaseEvent, CounselorProfile
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub import availability
from hub.models import AuditEntry, StatMonth
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
INBOX = "/en/staff/cases/"


def queue_of(client, user) -> str:
    client.force_login(user)
    response = client.get(f"{INBOX}?box=queue")
    assert response.status_code == 200
    return response.content.decode()


def short(case) -> str:
    return case.public_id.hex[:8]


def ask_form(language, *, postcode="", topic="work"):
    return {
        "topic": topic,
        "language": language,
        "postcode": postcode,
        "body": "Bonjour, j'ai une question sur mon diplôme.",
        "idempotency_key": str(uuid.uuid4()),
    }


def routing_reason(case) -> dict:
    event = case.events.filter(kind__in=[CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.QUEUED]).last()
    return event.reason


@pytest.fixture
def essen():
    return SiteFactory(
        slug="essen", name="JMD Essen", postcode="45127", town="Essen", federal_state="NW",
        latitude="51.455600", longitude="7.011600",
    )  # fmt: skip


@pytest.fixture
def berlin():
    return SiteFactory(slug="berlin", name="JMD Berlin", postcode="10115", town="Berlin")


# --- a language nobody present speaks --------------------------------------------------------------------


def test_the_ask_page_tells_the_youth_before_sending_and_the_french_case_lands_in_the_fallback_queue(
    client, youth
):
    counselor_with_profile("russian", ["ru", "de"])
    counselor_with_profile("away_french", ["fr"], is_absent=True)  # speaks French, but is away
    helper = counselor_with_profile("helper", ["de"], is_fallback=True)
    client.force_login(youth)

    page = client.get("/en/ask/?language=fr").content.decode()
    assert "No counselor speaks French right now" in page
    assert 'data-language="fr" role="status">' in page  # shown without JavaScript for the chosen language
    assert 'data-language="ru"' not in page and 'data-language="de"' not in page  # spoken: no notice
    german = client.get("/de/ask/?language=fr").content.decode()
    assert "Französisch" in german  # the language named in the reader's language

    response = client.post("/en/ask/", ask_form("fr"))
    assert response.status_code == 302
    case = Case.objects.get(language="fr")
    assert case.counselor is None
    assert routing_reason(case) == {"rule": "fallback", "language": "fr", "topic": "work"}
    assert short(case) in queue_of(client, helper)  # at once, not after the 40-hour escalation

    # It is the fallback counselor's to take; a counselor of other languages neither sees nor takes it.
    other = counselor_with_profile("other", ["ar"])
    assert short(case) not in queue_of(client, other)
    assert client.post(f"{INBOX}{case.public_id}/take/").status_code == 404
    client.force_login(helper)
    assert client.post(f"{INBOX}{case.public_id}/take/").status_code == 302
    assert Case.objects.get(pk=case.pk).counselor == helper


def test_without_a_fallback_counselor_the_case_waits_in_the_coordinators_queue(client, coordinator):
    counselor_with_profile("russian", ["ru"])
    case = make_case(language="fr")
    assert routing_reason(case)["rule"] == "coordinators"
    assert short(case) in queue_of(client, coordinator)
    client.force_login(coordinator)
    reason = client.get(f"{INBOX}{case.public_id}/handover/").content.decode()
    assert "No counselor speaks French right now and no fallback counselor is present" in reason


def test_a_language_spoken_by_someone_without_room_waits_in_the_normal_queue():
    counselor_with_profile("full", ["fr"], capacity=0)
    counselor_with_profile("helper", ["de"], is_fallback=True)
    assert routing_reason(make_case(language="fr"))["rule"] == "queued"


def test_the_notice_is_not_shown_when_someone_present_speaks_the_language(client, youth):
    counselor_with_profile("french", ["fr"])
    client.force_login(youth)
    page = client.get("/en/ask/?language=fr").content.decode()
    assert 'data-language="fr"' not in page
    assert 'role="status">No counselor speaks' not in page  # the other languages' notices stay hidden


def test_the_ask_page_reads_who_speaks_what_once_and_then_from_the_cache(client, youth):
    for index in range(20):
        counselor_with_profile(f"c{index}", ["de", "ru"])
    client.force_login(youth)
    from counseling import absence  # here, so that the other tests of this module run without it

    client.get("/en/ask/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/en/ask/?language=fr")
    absence.spoken_languages_changed()
    with CaptureQueriesContext(connection) as fresh:
        client.get("/en/ask/?language=fr")
    assert len(fresh.captured_queries) == len(cached.captured_queries) + 1  # the one cached query


def test_coordinators_set_the_fallback_counselors_on_their_page_and_it_is_audited(client, coordinator):
    helper = counselor_with_profile("helper", ["de"])
    client.force_login(coordinator)
    assert client.get("/en/staff/cases/fallback/").status_code == 200
    assert client.post("/en/staff/cases/fallback/", {"counselors": [helper.pk]}).status_code == 302
    assert CounselorProfile.objects.get(user=helper).is_fallback
    assert AuditEntry.objects.filter(actor=coordinator, action="fallback.changed").exists()
    client.post("/en/staff/cases/fallback/", {})
    assert not CounselorProfile.objects.get(user=helper).is_fallback


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.SITE_LEAD, Role.MENTOR])
def test_only_coordinators_set_the_fallback_counselors(client, role):
    client.force_login(staff_with_totp(username="someone", roles=[role]))
    assert client.get("/en/staff/cases/fallback/").status_code == 403
    assert client.post("/en/staff/cases/fallback/", {}).status_code == 403


# --- assigning by hand ----------------------------------------------------------------------------------


def test_a_coordinator_assigns_any_case_to_any_counselor_audited(client, coordinator):
    russian = counselor_with_profile("russian", ["ru"])
    case = make_case(language="fr")  # queued, in a language Russian does not speak
    client.force_login(coordinator)
    page = client.get(f"{INBOX}{case.public_id}/handover/").content.decode()
    assert 'name="counselor"' in page and "/assign/" in page
    response = client.post(f"{INBOX}{case.public_id}/assign/", {"counselor": russian.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.counselor == russian
    assert case.events.filter(kind=CaseEvent.Kind.ASSIGNED, actor=coordinator, counselor=russian).exists()
    assert routing_reason(case)["rule"] == "manual"
    assert AuditEntry.objects.filter(actor=coordinator, action="case.assign", target_id=str(case.public_id))
    # …and an assigned case to another counselor as well.
    other = counselor_with_profile("other", ["ar"])
    client.post(f"{INBOX}{case.public_id}/assign/", {"counselor": other.pk})
    assert Case.objects.get(pk=case.pk).counselor == other


def test_a_site_lead_assigns_cases_of_their_site_to_its_counselors_only(client, essen, berlin):
    lead = staff_with_totp(username="lead", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=essen)
    at_essen = counselor_with_profile("at_essen", ["de"], site=essen, capacity=0)
    at_berlin = counselor_with_profile("at_berlin", ["de"], site=berlin, capacity=0)
    case = make_case(language="de", site=essen)
    client.force_login(lead)

    refused = client.post(f"{INBOX}{case.public_id}/assign/", {"counselor": at_berlin.pk}, follow=True)
    assert "This counselor cannot be assigned this case" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).counselor is None
    client.post(f"{INBOX}{case.public_id}/assign/", {"counselor": at_essen.pk})
    assert Case.objects.get(pk=case.pk).counselor == at_essen

    elsewhere = make_case(language="de", site=berlin)
    response = client.post(f"{INBOX}{elsewhere.public_id}/assign/", {"counselor": at_berlin.pk})
    assert response.status_code == 404
    assert Case.objects.get(pk=elsewhere.pk).counselor is None


def test_counselors_may_not_assign(client, essen):
    anna = counselor_with_profile("anna", ["de"], site=essen, capacity=0)
    bert = counselor_with_profile("bert", ["de"], site=essen, capacity=0)
    case = assign_to(make_case(language="de", site=essen), anna)
    client.force_login(anna)  # even the case's own counselor: she hands over, she does not assign
    assert client.post(f"{INBOX}{case.public_id}/assign/", {"counselor": bert.pk}).status_code == 403
    outsider = counselor_with_profile("outsider", ["de"], capacity=0)
    client.force_login(outsider)
    assert client.post(f"{INBOX}{case.public_id}/assign/", {"counselor": outsider.pk}).status_code == 404
    assert Case.objects.get(pk=case.pk).counselor == anna


# --- the postcode ---------------------------------------------------------------------------------------


def test_the_postcode_routes_to_the_nearest_sites_team_and_the_case_page_says_why(client, essen, berlin):
    in_berlin = counselor_with_profile("in_berlin", ["ru"], site=berlin)
    in_essen = counselor_with_profile("in_essen", ["ru"], site=essen)
    near_essen = services.enquiry_create(
        youth=UserFactory(roles=[Role.YOUTH]), topic="work", language="ru", postcode="45127", body="Привет"
    )
    near_berlin = services.enquiry_create(
        youth=UserFactory(roles=[Role.YOUTH]), topic="work", language="ru", postcode="10117", body="Привет"
    )
    assert (near_essen.counselor, near_essen.site) == (in_essen, essen)
    assert (near_berlin.counselor, near_berlin.site) == (in_berlin, berlin)
    assert routing_reason(near_essen) == {
        "rule": "matched", "language": "ru", "topic": "work",
        "site": essen.pk, "site_name": "JMD Essen", "team": True, "nearest": "45127",
    }  # fmt: skip

    client.force_login(in_essen)
    page = client.get(f"{INBOX}{near_essen.public_id}/").content.decode()
    assert "45127" in page
    why = "Routed to you: speaks Russian, covers Training and work, team of JMD Essen (nearest to 45127)"
    assert why in page


# --- handover to another site ---------------------------------------------------------------------------


def test_a_handover_to_another_site_goes_to_that_sites_team_queue_not_back(client, essen, berlin):
    anna = counselor_with_profile("anna", ["de"], site=berlin)
    bert = counselor_with_profile("bert", ["de"], site=essen, capacity=0)  # Essen's team is full
    carl = counselor_with_profile("carl", ["de"], site=berlin)  # another site: not Essen's team
    case = assign_to(make_case(language="de", site=berlin), anna)

    client.force_login(anna)
    response = client.post(f"{INBOX}{case.public_id}/handover/", {"site": essen.pk, "note": ""}, follow=True)
    assert "The case waits in the queue of the team of JMD Essen." in response.content.decode()
    case.refresh_from_db()
    assert case.site == essen and case.counselor is None  # not straight back to Anna (nor to Carl)
    assert routing_reason(case)["rule"] == "team_queue"
    routing.route_queue()
    assert Case.objects.get(pk=case.pk).counselor is None

    assert short(case) in queue_of(client, bert)  # Essen's team sees it queued
    client.force_login(bert)
    assert short(case) in client.get(f"{INBOX}?box=team").content.decode()
    assert short(case) not in queue_of(client, anna) and short(case) not in queue_of(client, carl)
    client.force_login(carl)
    assert client.post(f"{INBOX}{case.public_id}/take/").status_code in (403, 404)

    CounselorProfile.objects.filter(user=bert).update(capacity=5)  # room at Essen: routed among its team
    routing.route_queue()
    assert Case.objects.get(pk=case.pk).counselor == bert


def test_a_handover_excludes_the_old_counselor_even_when_they_are_in_the_new_team(essen, berlin):
    anna = counselor_with_profile("anna", ["de"], site=berlin)
    site_services.site_counselor_grant(user=anna, site=essen)
    bert = counselor_with_profile("bert", ["de"], site=essen)
    for _ in range(2):  # Bert is busier: by load alone, Anna would get the case back
        assign_to(make_case(language="de", site=essen), bert)
    case = assign_to(make_case(language="de", site=berlin), anna)
    services.case_handover(case=case, actor=anna, site=essen)
    assert Case.objects.get(pk=case.pk).counselor == bert


# --- absence: one rule -----------------------------------------------------------------------------------


def berlin_midnight(day):
    return datetime.combine(day, time(0), tzinfo=availability.BERLIN)


def test_absence_ends_at_midnight_after_the_last_day_in_german_time_for_every_reader():
    from counseling import absence

    user = counselor_with_profile("away", ["de"])
    last = timezone.localdate() + timedelta(days=2)
    back = last + timedelta(days=1)
    profile = services.absence_set(user=user, is_absent=True, until=last)
    for at, present in [
        (berlin_midnight(back) - timedelta(seconds=1), False),
        (berlin_midnight(back), True),
        (berlin_midnight(back) + timedelta(days=2), True),
        (timezone.now(), False),
    ]:
        assert absence.is_present(profile, at) is present
        in_query = CounselorProfile.objects.filter(absence.present_filter(at), pk=profile.pk).exists()
        assert in_query is present  # the query form says the same
    open_ended = services.absence_set(user=user, is_absent=True)
    assert not absence.is_present(open_ended, timezone.now() + timedelta(days=400))


def test_routing_honours_the_end_of_an_absence():
    user = counselor_with_profile("back_today", ["tr"])
    yesterday = timezone.localdate() - timedelta(days=1)
    services.absence_set(user=user, is_absent=True, until=timezone.localdate())  # away through today
    assert make_case(language="tr").counselor is None
    services.absence_set(user=user, is_absent=True, until=yesterday)  # was away until yesterday
    assert make_case(language="tr").counselor == user


def test_the_chat_desk_honours_the_end_of_an_absence():
    now = timezone.now()
    user = counselor_with_profile("back_today", ["tr"])
    presence.go_online(user.pk, now=now)
    services.absence_set(user=user, is_absent=True, until=timezone.localdate() - timedelta(days=1))
    assert chat.free_counselor_ids("tr", now=now) == {user.pk}  # the absence ended yesterday
    services.absence_set(user=user, is_absent=True, until=timezone.localdate())
    assert chat.free_counselor_ids("tr", now=now) == set()


def test_the_absence_notice_is_in_the_readers_language_on_a_turkish_page(client, youth):
    counselor = counselor_with_profile("away", ["tr", "de"])
    case = assign_to(make_case(youth=youth, language="tr"), counselor)
    back = timezone.localdate() + timedelta(days=5)
    with translation.override("de"):  # the counselor writes in the German staff area
        services.absence_set(user=counselor, is_absent=True, message="Ich bin im Urlaub.", until=back)
    client.force_login(youth)

    turkish = client.get(f"/tr/cases/{case.public_id}/").content.decode()
    with translation.override("tr"):
        assert translation.gettext("Your counselor is away.") != "Your counselor is away."
        assert translation.gettext("Your counselor is away.") in turkish
    assert "Ich bin im Urlaub." not in turkish  # German words on a Turkish page: never
    with translation.override("tr"):
        assert date_format(back, "SHORT_DATE_FORMAT") in turkish  # the last day, as Turkish writes it

    german = client.get(f"/de/cases/{case.public_id}/").content.decode()
    assert "Ich bin im Urlaub." in german  # in the language it was written in, the counselor's own words


def test_the_absence_notice_disappears_once_the_absence_has_ended(client, youth):
    counselor = counselor_with_profile("away", ["tr"])
    case = assign_to(make_case(youth=youth, language="tr"), counselor)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.absence_set(user=counselor, is_absent=True, message="x", until=yesterday)
    client.force_login(youth)
    assert 'class="absence"' not in client.get(f"/en/cases/{case.public_id}/").content.decode()


def test_an_absence_runs_at_most_two_years_and_a_far_stored_day_breaks_no_page(client):
    """Found by the input fuzzing of the staff account page: a last day in the year 9999 was stored and
    then every page that asked the absence rule failed. Both absence forms refuse it now (one check,
    counseling/absence.last_day_validate), and a day already stored that far counts as open-ended."""
    from datetime import date

    from counseling.staff_forms import AbsenceForm

    anna = counselor_with_profile("anna", ["de"])
    profile = CounselorProfile.objects.get(user=anna)
    profile.is_absent, profile.absent_until = True, date(9999, 12, 31)
    profile.save()
    assert not routing.present(profile)
    coordinator = staff_with_totp(username="cora", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    assert client.get(f"/en/staff/accounts/{anna.pk}/").status_code == 200

    far = timezone.localdate() + timedelta(days=800)
    with translation.override("en"):
        form = AbsenceForm({"is_absent": "on", "absent_until": far.isoformat()})
        assert not form.is_valid() and "at most two years" in str(form.errors)
        page = client.post(
            f"/en/staff/accounts/{anna.pk}/",
            {
                "roles": [Role.COUNSELOR],
                "languages": ["de"],
                "capacity": 25,
                "chat_seats": 2,
                "is_absent": "on",
                "absent_until": far.isoformat(),
            },
        )
    assert page.status_code in (200, 400) and "at most two years" in page.content.decode()


# --- what routing a new enquiry costs ----------------------------------------------------------------


def test_a_new_enquiry_reads_the_sites_team_once_and_opens_no_savepoint_inside_its_own(essen, youth):
    """The enquiry, its message, its three statistics events and the routing are one transaction: the
    routing reads the site's team once (it was read twice: by route_case and again by candidates), and
    neither the routing nor a statistics event opens a savepoint of its own (six statements each way).
    The enquiry is routed to the site's counselor all the same, with the monthly figures counted."""
    counselor = counselor_with_profile("counselor_essen", ["de"], site=essen)
    with CaptureQueriesContext(connection) as queries:
        case = services.enquiry_create(youth=youth, topic="work", language="de", site=essen, body="Hallo")
    statements = [query["sql"] for query in queries.captured_queries]
    assert sum("guardian_userobjectpermission" in sql for sql in statements) == 1
    # The test's own transaction makes enquiry_create's atomic a savepoint: that one pair, and no other.
    assert sum(sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for sql in statements) == 2
    assert case.counselor == counselor and routing_reason(case)["rule"] == "matched"
    assert StatMonth.objects.filter(dimension="", kind="enquiry", n=1).exists()
