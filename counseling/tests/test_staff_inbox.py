"""The staff inbox: boxes, filters, pagination, no content, and a query count that does not grow with
the number of cases."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counseling import sealing
from counseling.models import Case, CaseRead, CaseStatus, Label, Message, MessageStatus
from counseling.tests.factories import (
    QUESTION,
    assign_to,
    counselor_with_profile,
    make_case,
    mentor_with_profile,
)
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
INBOX = "/en/staff/cases/"


def short(case) -> str:
    return case.public_id.hex[:8]


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{INBOX}?{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def essen():
    return SiteFactory(slug="essen", name="JMD Essen")


@pytest.fixture
def anna(essen):
    return counselor_with_profile("anna", ["de", "tr"], site=essen, capacity=200)


def test_my_box_lists_my_cases_with_their_data_but_never_their_content(client, anna, essen):
    label = Label.objects.create(name="Visum")
    case = make_case(language="tr", topic="housing", site=essen)
    case.labels.add(label)
    other = make_case(language="de")
    assign_to(other, counselor_with_profile("bert", ["ru"]))
    html = page(client, anna)
    assert case.counselor == anna
    assert short(case) in html and short(other) not in html
    assert "Housing" in html and "Turkish" in html and "JMD Essen" in html and "Anna" in html
    assert "Visum" in html
    assert QUESTION not in html
    assert f'href="/en/staff/cases/{case.public_id}/"' in html


def test_the_team_box_shows_my_sites_cases_and_the_queue_my_languages(client, anna, essen):
    colleague = counselor_with_profile("carla", ["ar"], site=essen)
    colleagues_case = make_case(language="ar", site=essen)
    elsewhere = make_case(language="ar", site=SiteFactory())
    assert colleagues_case.counselor == colleague
    assert short(colleagues_case) not in page(client, anna, "box=mine")
    team = page(client, anna, "box=team")
    assert short(colleagues_case) in team and short(elsewhere) not in team

    # Anna is away: Turkish and Russian enquiries wait in the queue; she sees only the Turkish one.
    anna.counselor_profile.is_absent = True
    anna.counselor_profile.save()
    turkish, russian = make_case(language="tr"), make_case(language="ru")
    queue = page(client, anna, "box=queue")
    assert short(turkish) in queue and short(russian) not in queue
    assert f"/en/staff/cases/{turkish.public_id}/take/" in queue
    assert QUESTION not in queue


def test_the_escalated_box_is_for_coordinators_and_leads_of_the_site_only(client, anna, essen, coordinator):
    escalated = make_case(language="de", site=essen)
    elsewhere = make_case(language="tr", site=SiteFactory())
    calm = make_case(language="de", site=essen)
    Case.objects.filter(pk__in=[escalated.pk, elsewhere.pk]).update(
        escalated_at=timezone.now(), answer_due_at=timezone.now() - timedelta(hours=1)
    )
    html = page(client, coordinator, "box=escalated")
    assert short(escalated) in html and short(elsewhere) in html and short(calm) not in html
    assert "escalated" in html and "overdue" in html
    assert QUESTION not in html
    # The coordinator may not open the case, only hand it over (a page without content).
    assert f"/en/staff/cases/{escalated.public_id}/handover/" in html
    assert f'href="/en/staff/cases/{escalated.public_id}/"' not in html

    lead = staff_with_totp(username="lead_lena", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=essen)
    html = page(client, lead, "box=escalated")
    assert short(escalated) in html and short(elsewhere) not in html

    client.force_login(anna)
    assert client.get(f"{INBOX}?box=escalated").status_code == 403
    assert "box=escalated" not in page(client, anna)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=tr", {"tr_work"}),
        ("topic=housing", {"de_housing"}),
        ("status=waiting", {"de_waiting"}),
        ("status=closed", {"de_closed"}),
        ("due=overdue", {"de_overdue"}),
        ("due=today", {"de_overdue"}),
        ("site=essen", {"de_housing"}),
        ("language=de&topic=work", {"de_overdue", "de_waiting"}),
        ("", {"tr_work", "de_housing", "de_waiting", "de_overdue"}),
    ],
)
def test_filters(client, anna, essen, query, expected):
    cases = {
        "tr_work": make_case(language="tr", topic="work"),
        "de_housing": make_case(language="de", topic="housing", site=essen),
        "de_waiting": make_case(language="de", topic="work"),
        "de_closed": make_case(language="de", topic="family"),
        "de_overdue": make_case(language="de", topic="work"),
    }
    Case.objects.filter(pk=cases["de_waiting"].pk).update(status=CaseStatus.WAITING)
    Case.objects.filter(pk=cases["de_closed"].pk).update(status=CaseStatus.CLOSED)
    Case.objects.filter(pk=cases["de_overdue"].pk).update(answer_due_at=timezone.now() - timedelta(minutes=5))
    html = page(client, anna, f"box=mine&{query}")
    shown = {name for name, case in cases.items() if short(case) in html}
    assert shown == expected


def test_a_filter_value_that_does_not_fit_is_explained_and_the_others_still_apply(client, anna):
    turkish, german = make_case(language="tr"), make_case(language="de")
    html = page(client, anna, "language=tr&due=yesterday")
    assert "Select a valid choice" in html
    assert short(turkish) in html and short(german) not in html


def test_cases_are_sorted_by_answer_due_time_and_overdue_ones_are_highlighted(client, anna):
    later, sooner = make_case(language="de"), make_case(language="de")
    Case.objects.filter(pk=sooner.pk).update(answer_due_at=timezone.now() - timedelta(hours=2))
    html = page(client, anna)
    assert html.index(short(sooner)) < html.index(short(later))
    assert html.count('class="error">overdue') == 1


def test_fifty_cases_per_page_and_the_filters_stay_on_the_next_page(client, anna):
    for _ in range(53):
        make_case(language="de")
    html = page(client, anna, "language=de")
    assert html.count("/take/") == 0
    assert html.count('href="/en/staff/cases/') - html.count('href="/en/staff/cases/approvals') >= 50
    assert "Page 1 of 2" in html and "53 cases" in html
    assert "?language=de&amp;page=2" in html
    second = page(client, anna, "language=de&page=2")
    assert "Page 2 of 2" in second


def test_mentors_get_a_link_to_the_approvals(client, anna):
    mentor = mentor_with_profile("marta", ["ru"])
    assert "/en/staff/cases/approvals/" in page(client, mentor)
    assert "/en/staff/cases/approvals/" not in page(client, anna)


def _add_cases(count, *, sites, labels, language, reader):
    """Cases whose rows differ in every fact a row shows: read or not, answered or not, a reply waiting."""
    for index in range(count):
        case = make_case(language=language, site=sites[index % len(sites)], topic="work")
        case.labels.set(labels)
        if index % 3 == 0:
            CaseRead.objects.create(case=case, user=reader, read_at=timezone.now())
        if index % 4 in (1, 2):  # on both sites: the team box shows one of them
            body = sealing.seal(case, "Entwurf", purpose="message")
            Message.objects.create(
                case=case, author=reader, from_staff=True, body_sealed=body, status=MessageStatus.PENDING
            )


@pytest.mark.parametrize("box", ["mine", "team", "queue", "escalated"])
def test_the_query_count_does_not_grow_with_the_number_of_cases(
    client, django_assert_max_num_queries, coordinator, box
):
    essen, koeln = SiteFactory(), SiteFactory()
    anna = counselor_with_profile("anna", ["de"], site=essen, capacity=500)
    counselor_with_profile("bert", ["de"], site=essen, capacity=500)  # rows show different counselors
    waiting = counselor_with_profile(
        "wera", ["uk"], site=essen, is_absent=True
    )  # Ukrainian waits in the queue
    labels = [Label.objects.create(name=name) for name in ("Visum", "Schule", "dringend")]
    language = "uk" if box == "queue" else "de"
    user = {"queue": waiting, "escalated": coordinator}.get(box, anna)

    def add(count):
        _add_cases(count, sites=[essen, koeln], labels=labels, language=language, reader=user)
        Case.objects.update(escalated_at=timezone.now())

    url = f"{INBOX}?box={box}"
    client.force_login(user)
    add(3)
    client.get(url)  # the first request after signing in also writes the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    add(57)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    html = response.content.decode()
    rows = html.count('<tr id="case-')
    assert rows >= 25  # enough rows that one query per row would show
    assert html.count("badge-unread") >= 10 and html.count("reply waits for approval") >= 10


def test_the_unfiltered_filter_form_is_kept_but_shows_a_new_or_renamed_site_at_once(client, anna, essen):
    """The unfiltered form is a shared fragment (the same for every staff member); the site list under it
    draws a new version on every change, and a filtered form is rendered afresh with its values."""
    assert '<option value="essen">JMD Essen</option>' in page(client, anna)
    SiteFactory(slug="bonn", name="JMD Bonn")
    essen.name = "JMD Essen-Mitte"
    essen.save()
    html = page(client, anna)
    assert '<option value="bonn">JMD Bonn</option>' in html and ">JMD Essen-Mitte</option>" in html
    assert '<option value="bonn" selected>JMD Bonn</option>' in page(client, anna, "site=bonn")
