"""From abroad to the local JMD (issue 20, part 2): the country of residence on the ask form, "I have
arrived in Germany" with a postcode, the nearest site with address and hours, explicit consent, the
handover to that site's team queue with a note, the former counselor told, "your local JMD" on the case
page with the whole history kept; denials; the counselors' filter and the statistics."""

import uuid
from datetime import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counseling import arrival
from counseling.models import Case, CaseEvent, InternalNote
from counseling.tests.factories import QUESTION, counselor_with_profile, make_case
from hub.models import StatEvent
from hub.roles import Role
from hub.statistics import StatKind, stat_table
from hub.tests.factories import UserFactory, staff_with_totp
from sites.models import HoursKind, OpeningHours
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
INBOX = "/de/staff/cases/"


@pytest.fixture
def neukoelln():
    site = SiteFactory(
        slug="awo-berlin-neukoelln", name="JMD der AWO Berlin-Neukölln", street="Karl-Marx-Straße 117",
        postcode="12043", town="Berlin", latitude="52.478600", longitude="13.439500",
    )  # fmt: skip
    for kind in (HoursKind.ON_SITE, HoursKind.APPOINTMENTS):
        OpeningHours.objects.create(site=site, kind=kind, weekday=1, opens=time(10), closes=time(12, 30))
    return site


@pytest.fixture
def sites(neukoelln):
    """Neukölln, a second Berlin site and Essen: the postcode, not the town, decides."""
    mitte = SiteFactory(slug="berlin-mitte", name="JMD Berlin-Mitte", postcode="10115")
    essen = SiteFactory(
        slug="essen", name="JMD Essen", postcode="45127", town="Essen", federal_state="NW",
        latitude="51.455600", longitude="7.011600",
    )  # fmt: skip
    return {"neukoelln": neukoelln, "mitte": mitte, "essen": essen}


@pytest.fixture
def olga(sites):
    """The online counselor who answered from Essen; not in Neukölln's team."""
    user = counselor_with_profile("olga", ["tr", "de"], site=sites["essen"])
    user.email = "olga@jmd.example"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def nils(sites):
    """Neukölln's team: speaks Turkish, but has no room right now."""
    return counselor_with_profile("nils", ["tr", "de"], site=sites["neukoelln"], capacity=0)


@pytest.fixture
def abroad(youth, olga, nils, sites):
    """Asked from Turkey, answered by Olga in Essen."""
    case = make_case(youth=youth, language="tr", site=sites["essen"], country="TR")
    assert case.counselor == olga
    return case


def arrival_url(case, language="de"):
    return f"/{language}/cases/{case.public_id}/arrival/"


def case_url(case, language="de"):
    return f"/{language}/cases/{case.public_id}/"


def find(client, case, postcode, language="de"):
    return client.post(arrival_url(case, language), {"step": "find", "postcode": postcode})


def consent(client, case, postcode, site, *, agree=True, language="de"):
    data = {"step": "consent", "postcode": postcode, "site": site.slug}
    if agree:
        data["consent"] = "on"
    return client.post(arrival_url(case, language), data)


def state(case):
    """Everything that would move: where the case is, who has it, its events, notes and mails."""
    case = Case.objects.get(pk=case.pk)
    events = list(case.events.values_list("kind", flat=True))
    return (case.site_id, case.counselor_id, case.team_only, case.postcode, events, case.notes.count())


# --- the ask form ------------------------------------------------------------------------------------------


def ask(language, **extra):
    return {
        "topic": "work",
        "language": language,
        "body": "Merhaba, bir sorum var.",
        "idempotency_key": str(uuid.uuid4()),
        **extra,
    }


@pytest.mark.parametrize(
    ("language", "germany", "turkey"),
    [("de", "Deutschland", "Türkei"), ("tr", "Almanya", "Türkiye"), ("uk", "Німеччина", "Туреччина")],
)
def test_the_ask_form_names_the_countries_in_the_readers_language_germany_first(
    client, youth, language, germany, turkey
):
    client.force_login(youth)
    html = client.get(f"/{language}/ask/").content.decode()
    select = html[html.index('name="country"') : html.index("</select>", html.index('name="country"'))]
    options = select.split("<option")[1:]
    assert 'value=""' in options[0]  # "prefer not to say" is the default
    assert 'value="DE"' in options[1] and germany in options[1]
    assert f">{turkey}</option>" in select


def test_the_country_is_stored_on_the_case_and_prefer_not_to_say_stores_nothing(client, youth):
    client.force_login(youth)
    client.post("/de/ask/", ask("tr", country="TR"))
    client.post("/de/ask/", ask("de", country=""))
    assert sorted(Case.objects.values_list("country_of_residence", flat=True)) == ["", "TR"]


def test_an_unknown_country_is_a_form_error_and_the_question_is_kept(client, youth):
    client.force_login(youth)
    response = client.post("/de/ask/", ask("tr", country="XX"))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Merhaba, bir sorum var." in response.content.decode()


# --- the acceptance point ----------------------------------------------------------------------------------


def test_arrived_in_12043_with_consent_the_case_is_in_neukoellns_team_queue_with_the_note(
    client, youth, abroad, olga, nils, sites, django_capture_on_commit_callbacks
):
    client.force_login(youth)
    page = client.get(case_url(abroad)).content.decode()
    assert arrival_url(abroad) in page  # "I have arrived in Germany"

    shown = find(client, abroad, "12043").content.decode()
    assert "JMD der AWO Berlin-Neukölln" in shown and "Karl-Marx-Straße 117" in shown
    assert "JMD Berlin-Mitte" not in shown and "JMD Essen" not in shown
    assert "10:00" in shown  # the on-site hours
    assert Case.objects.get(pk=abroad.pk).site == sites["essen"]  # shown, not yet moved

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = consent(client, abroad, "12043", sites["neukoelln"])
    assert response.status_code == 302 and response["Location"].endswith("#local-jmd")

    case = Case.objects.get(pk=abroad.pk)
    assert case.site == sites["neukoelln"] and case.counselor is None and case.team_only
    assert case.postcode == "12043" and case.country_of_residence == "TR"
    note = case.notes.get()
    note.case = case
    from counseling import services

    assert "12043" in services.note_body(note) and "Berlin-Neukölln" in services.note_body(note)
    assert case.events.filter(kind=CaseEvent.Kind.ARRIVED, site=sites["neukoelln"]).exists()
    assert case.events.filter(kind=CaseEvent.Kind.HANDOVER, site=sites["neukoelln"]).exists()

    # In the team's queue of Neukölln: Nils sees it there, Olga (who had it) does not, nor can she open it.
    client.force_login(nils)
    assert case.public_id.hex[:8] in client.get(f"{INBOX}?box=queue").content.decode()
    client.force_login(olga)
    assert case.public_id.hex[:8] not in client.get(f"{INBOX}?box=queue").content.decode()
    assert client.get(f"{INBOX}{case.public_id}/").status_code in (404, 410)

    # Olga is told: a mail with the site, without content.
    assert [m.to for m in mail.outbox] == [["olga@jmd.example"]]
    assert "JMD der AWO Berlin-Neukölln" in mail.outbox[0].body and QUESTION not in mail.outbox[0].body

    # The young person keeps the whole thread and sees their local JMD with hours and booking.
    client.force_login(youth)
    page = client.get(case_url(case)).content.decode()
    assert QUESTION in page
    assert 'id="local-jmd"' in page and "Karl-Marx-Straße 117" in page
    assert f"/de/sites/{sites['neukoelln'].slug}/book/" in page
    assert arrival_url(case) not in page  # the step is done


def test_with_room_in_the_local_team_the_case_is_routed_to_it(client, youth, abroad, nils, sites):
    nils.counselor_profile.capacity = 5
    nils.counselor_profile.save(update_fields=["capacity"])
    client.force_login(youth)
    consent(client, abroad, "12043", sites["neukoelln"])
    assert Case.objects.get(pk=abroad.pk).counselor == nils


def test_without_consent_nothing_moves(client, youth, abroad, sites, django_capture_on_commit_callbacks):
    before = state(abroad)
    client.force_login(youth)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = consent(client, abroad, "12043", sites["neukoelln"], agree=False)
    assert response.status_code == 200
    assert "Nichts wurde weitergegeben" in response.content.decode() or "Nothing has been passed on" in (
        response.content.decode()
    )
    assert state(abroad) == before
    assert not StatEvent.objects.filter(kind=StatKind.ARRIVAL).exists() and not mail.outbox


@pytest.mark.parametrize("postcode", ["1204", "12o43", "", "00000"])
def test_a_bad_postcode_gets_a_message_keeps_what_was_typed_and_moves_nothing(
    client, youth, abroad, sites, postcode
):
    before = state(abroad)
    client.force_login(youth)
    response = find(client, abroad, postcode, language="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "German postcode" in html or "could not find a JMD near this postcode" in html
    assert f'value="{postcode}"' in html or not postcode
    assert 'name="consent"' not in html
    assert consent(client, abroad, postcode, sites["neukoelln"]).status_code == 200
    assert state(abroad) == before


# --- who sees the step, who may take it -------------------------------------------------------------------


@pytest.mark.parametrize("country", ["DE", ""])
def test_a_case_from_germany_or_without_a_country_never_shows_the_step(client, youth, olga, sites, country):
    case = make_case(youth=youth, language="tr", country=country)
    client.force_login(youth)
    page = client.get(case_url(case)).content.decode()
    assert arrival_url(case) not in page and 'id="local-jmd"' not in page
    assert client.get(arrival_url(case)).status_code == 302
    before = state(case)
    consent(client, case, "12043", sites["neukoelln"])
    assert state(case) == before


def test_a_closed_case_is_not_offered_the_step(client, youth, abroad, olga):
    from counseling import services

    services.case_set_status(case=abroad, status="closed", actor=olga)
    client.force_login(youth)
    assert arrival_url(abroad) not in client.get(case_url(abroad)).content.decode()
    assert client.get(arrival_url(abroad)).status_code == 302


def test_another_young_person_gets_404(client, other_youth, abroad, sites):
    before = state(abroad)
    client.force_login(other_youth)
    assert client.get(arrival_url(abroad)).status_code == 404
    assert find(client, abroad, "12043").status_code == 404
    assert consent(client, abroad, "12043", sites["neukoelln"]).status_code == 404
    assert state(abroad) == before


@pytest.mark.parametrize("who", ["olga", "nils", "coordinator"])
def test_staff_cannot_consent_for_the_young_person(client, abroad, sites, olga, nils, coordinator, who):
    staff = {"olga": olga, "nils": nils, "coordinator": coordinator}[who]
    before = state(abroad)
    client.force_login(staff)
    assert consent(client, abroad, "12043", sites["neukoelln"]).status_code == 404
    assert state(abroad) == before


def test_a_partner_enquiry_is_never_handed_on_by_arrival(abroad):
    partner = staff_with_totp(username="partner_paul", roles=[Role.NETWORK_PARTNER])
    with pytest.raises(arrival.ArrivalRefused):
        arrival.case_arrive(case=abroad, youth=partner, postcode="12043", site=abroad.site)


def test_signed_out_visitors_go_to_the_login(client, abroad):
    response = client.get(arrival_url(abroad))
    assert response.status_code == 302 and "login" in response["Location"]


def test_arriving_twice_is_one_arrival(client, youth, abroad, sites):
    client.force_login(youth)
    consent(client, abroad, "12043", sites["neukoelln"])
    after_first = state(abroad)
    assert consent(client, abroad, "10115", sites["mitte"]).status_code == 302
    assert state(abroad) == after_first
    assert StatEvent.objects.filter(kind=StatKind.ARRIVAL).count() == 1


# --- counselors: the case page, the inbox filter -----------------------------------------------------------


def test_counselors_see_the_country_of_residence_on_the_case_page(client, abroad, olga):
    client.force_login(olga)
    page = client.get(f"{INBOX}{abroad.public_id}/").content.decode()
    assert "Wohnland" in page or "Country of residence" in page
    assert "Türkei" in page


def test_the_inbox_filters_by_country_and_abroad_with_a_constant_query_count(client, coordinator):
    youth = UserFactory(roles=[Role.YOUTH])
    cases = {
        "TR": [make_case(youth=youth, language="tr", country="TR") for _ in range(3)],
        "UA": [make_case(youth=youth, language="uk", country="UA") for _ in range(2)],
        "DE": [make_case(youth=youth, country="DE")],
        "": [make_case(youth=youth)],
    }

    def shown(query):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"{INBOX}?box=queue&{query}").content.decode()
        found = {country for country, group in cases.items() for c in group if c.public_id.hex[:8] in html}
        return found, len(queries)

    client.force_login(coordinator)
    shown("")  # the session and the per-process caches are read once
    everything, unfiltered = shown("")
    turkey, by_country = shown("country=TR")
    abroad, by_abroad = shown("country=abroad")
    assert everything == {"TR", "UA", "DE", ""}
    assert turkey == {"TR"} and abroad == {"TR", "UA"}
    # A filter shows the filter form afresh, with the site list it then reads (the blank one is kept:
    # counseling/staff_forms.py InboxFilterForm); nothing per row.
    assert by_country == by_abroad == unfiltered + 1


# --- statistics ---------------------------------------------------------------------------------------------


def test_statistics_count_cases_by_country_and_arrivals_suppressed_below_five(youth, sites, nils):
    from django.utils import timezone

    for _ in range(5):
        case = make_case(youth=youth, language="tr", country="TR")
        arrival.case_arrive(case=case, youth=youth, postcode="12043", site=sites["neukoelln"])
    for country in ("UA", "AL"):  # two small cells: no secondary suppression needed in this column
        case = make_case(youth=youth, language="uk", country=country)
        arrival.case_arrive(case=case, youth=youth, postcode="12043", site=sites["neukoelln"])
    make_case(youth=youth, country="DE")

    table = stat_table(year=timezone.localdate().year, by="country")
    rows = {row.label: row.cells for row in table.rows}
    assert rows["Türkei"]["enquiry"].shown == "5" and rows["Türkei"]["arrival"].shown == "5"
    assert rows["Ukraine"]["arrival"].shown == "< 5" and rows["Albanien"]["arrival"].shown == "< 5"
    assert rows["Deutschland"]["enquiry"].shown == "< 5" and rows["Deutschland"]["arrival"].value == 0
    assert table.total.cells["arrival"].value == 7
    by_site = stat_table(year=timezone.localdate().year, by="site")
    arrivals = {row.label: row.cells["arrival"].shown for row in by_site.rows}
    assert arrivals["JMD der AWO Berlin-Neukölln (Berlin)"] == "7"
    filtered = stat_table(year=timezone.localdate().year, by="site", filters={"country": "TR"})
    assert filtered.total.cells["arrival"].value == 5
    assert not InternalNote.objects.filter(case__youth=None).exists()  # nothing but the cases' own notes
