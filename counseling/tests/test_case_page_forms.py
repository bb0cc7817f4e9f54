"""The staff case page keeps its blank forms (note, status, labels, handover, the reply's voice,
attachments and canned responses) as shared fragments (counseling/case_page.py): each case still shows
its own choices and ticks, a change (a new label, a renamed colleague or site, a new canned response)
shows on the very next page, a form with errors is never the kept blank one, the forms read in the
page's language, and the page reads nothing twice."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from counseling.inbox import case_mark_read
from counseling.models import CannedResponse, Case, CaseRead, CaseStatus, Label
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.models import User
from sites.models import Site
from sites.services import site_counselor_grant
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
CASES = "/en/staff/cases/"


@pytest.fixture
def essen():
    return SiteFactory(slug="essen", name="JMD Essen")


@pytest.fixture
def koeln():
    return SiteFactory(slug="koeln", name="JMD Köln")


@pytest.fixture
def anna(essen, koeln):
    anna = counselor_with_profile("anna", ["de"], site=essen, capacity=50)
    site_counselor_grant(user=anna, site=koeln)
    return anna


@pytest.fixture
def bert(essen):
    return counselor_with_profile("bert", ["de"], site=essen, capacity=50)


def form_of(html: str, action: str) -> str:
    """The form on the page whose action ends in `action` ("status/", "labels/", "handover/")."""
    return re.search(rf'<form method="post" action="[^"]*/{action}".*?</form>', html, flags=re.S)[0]


def page(client, case, language="en") -> str:
    response = client.get(f"/{language}/staff/cases/{case.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def option(html: str, value) -> str | None:
    found = re.search(rf'<option value="{value}"( selected)?>([^<]*)</option>', html)
    return found[0] if found else None


def test_each_case_shows_its_own_status_labels_and_handover_sites(client, anna, bert, essen, koeln):
    visum = Label.objects.create(name="Visum")
    first = assign_to(make_case(site=essen), anna)
    second = assign_to(make_case(site=koeln), anna)
    first.labels.add(visum)
    Case.objects.filter(pk=first.pk).update(status=CaseStatus.OPEN)
    Case.objects.filter(pk=second.pk).update(status=CaseStatus.WAITING)
    client.force_login(anna)
    for _ in range(2):  # built, then kept: the second round comes from the fragments
        one, two = page(client, first), page(client, second)
        assert 'value="open" selected' in form_of(one, "status/")
        assert 'value="waiting" selected' in form_of(two, "status/")
        assert re.search(rf'value="{visum.pk}"[^>]*checked', form_of(one, "labels/"))
        assert not re.search(rf'value="{visum.pk}"[^>]*checked', form_of(two, "labels/"))
        handover_one, handover_two = form_of(one, "handover/"), form_of(two, "handover/")
        assert option(handover_one, koeln.pk) and not option(handover_one, essen.pk)
        assert option(handover_two, essen.pk) and not option(handover_two, koeln.pk)
        assert "Bert" in handover_one and "Anna" not in handover_one  # a colleague, not herself


def test_a_change_shows_on_the_very_next_page(client, anna, bert, essen, koeln):
    case = assign_to(make_case(site=essen), anna)
    client.force_login(anna)
    before = page(client, case)
    assert "There are no labels yet" in before
    assert 'name="canned"' not in before

    schule = Label.objects.create(name="Schule")
    CannedResponse.objects.create(language="de", shortcut="termin", title="Terminvorschlag", body="…")
    User.objects.filter(pk=bert.pk).update(display_name="Bert B.")
    koeln.name = "JMD Köln-Mülheim"
    koeln.save()
    after = page(client, case)
    assert f'value="{schule.pk}"' in form_of(after, "labels/")
    assert "There are no labels yet" not in after
    assert "/termin – Terminvorschlag" in after
    handover = form_of(after, "handover/")
    assert "Bert B." in handover
    assert "JMD Köln-Mülheim" in handover and "JMD Köln<" not in handover

    bert.counselor_profile.languages = ["tr"]  # no longer speaks the case's language
    bert.counselor_profile.save()
    assert "Bert B." not in form_of(page(client, case), "handover/")


def test_a_form_with_errors_is_never_the_kept_blank_one(client, anna, essen):
    case = assign_to(make_case(site=essen), anna)
    client.force_login(anna)
    page(client, case)  # the blank forms are kept
    response = client.post(f"{CASES}{case.public_id}/note/", {"body": ""})
    assert response.status_code == 200
    assert "Please write the note." in response.content.decode()
    response = client.post(f"{CASES}{case.public_id}/status/", {"status": "nonsense"})
    assert "nonsense is not one of the available choices" in response.content.decode()
    blank = page(client, case)
    assert "Please write the note." not in blank and "available choices" not in blank


def test_the_kept_forms_read_in_the_pages_language(client, anna, essen):
    case = assign_to(make_case(site=essen), anna)
    client.force_login(anna)
    for language in ("de", "ar", "en"):
        html = page(client, case, language)
        with translation.override(language):
            words = [gettext("Only staff see internal notes – never the young person."), gettext("Status")]
            words += [gettext("Voice message (optional)"), gettext("Handover note (internal)")]
        for word in words:
            assert word in html, (language, word)


def test_opening_a_case_marks_it_read_in_one_statement(anna, essen, django_assert_num_queries):
    case = assign_to(make_case(site=essen), anna)
    with django_assert_num_queries(1):
        case_mark_read(case=case, user=anna)
    first = CaseRead.objects.get(case=case, user=anna).read_at
    with django_assert_num_queries(1):
        case_mark_read(case=case, user=anna)
    assert CaseRead.objects.get(case=case, user=anna).read_at > first
    assert CaseRead.objects.count() == 1


def test_the_case_page_reads_nothing_twice_and_not_the_kept_forms_choices(
    client, anna, bert, essen, django_assert_max_num_queries
):
    """Labels once (badges, choices, ticks, "no labels yet"), no site list or colleague rows for the kept
    handover form, and a ceiling for the whole page (its counselor: conversation, reply, note, status,
    labels and handover)."""
    Label.objects.create(name="Visum")
    case = assign_to(make_case(site=essen), anna)
    client.force_login(anna)
    page(client, case)
    with CaptureQueriesContext(connection) as captured:
        page(client, case)
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) == len(set(statements)), "a query repeated"
    labels = [sql for sql in statements if 'FROM "counseling_label"' in sql]
    assert len(labels) == 1
    assert not [sql for sql in statements if sql.startswith('SELECT "sites_site"')]
    assert not [sql for sql in statements if sql.startswith('SELECT "hub_user"."id"') and "IN (" in sql]
    with django_assert_max_num_queries(25):
        page(client, case)
    assert Site.objects.count() == 2  # the fixtures' sites: the handover list was not read for it
