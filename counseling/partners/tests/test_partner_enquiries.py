"""Network partners ask for their clients abroad (issue 16, "Network partners").

The acceptance points: a partner's enquiry reaches the counselor as a partner enquiry with the
organisation; another organisation cannot see it (404); the counselor answers and the partner reads the
answer; the counselor refers the client to the youth channel. Around them: the form's refusals, the
organisation scope (colleagues share, a moved account loses it), partners never reach the staff area,
the coordinators' organisation page (audited), retention and the partner list's query count."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.urls import reverse

from counseling import services
from counseling.models import Case, Message
from counseling.partners import services as partner_services
from counseling.partners.models import PartnerEnquiry, PartnerMembership, PartnerOrganisation
from counseling.partners.tests.factories import (
    enquiry_post,
    organisation_create,
    partner_account,
    partner_enquiry,
)
from counseling.retention import cases_remove
from counseling.tests.factories import counselor_with_profile, make_case
from hub.models import AuditEntry
from hub.services import user_group
from hub.tests.test_staff_area import staff_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def goethe():
    return organisation_create("Goethe-Institut Almaty", "KZ")


@pytest.fixture
def diakonie():
    return organisation_create("Diakonie Baden", "AL")


@pytest.fixture
def partner(goethe):
    return partner_account("partner_aigerim", goethe)


@pytest.fixture
def russian_counselor():
    return counselor_with_profile("counselor_olga", ["ru", "de"])


async def _events_while(action, user_ids):
    """The live notices (hub.services.user_notify) each user's tabs receive while `action` runs: the
    real channel layer, listened to as the user's notification socket listens."""
    layer = get_channel_layer()
    channels = {user_id: await layer.new_channel() for user_id in user_ids}
    for user_id, channel in channels.items():
        await layer.group_add(user_group(user_id), channel)
    await sync_to_async(action)()
    events = {}
    for user_id, channel in channels.items():
        events[user_id] = (await asyncio.wait_for(layer.receive(channel), 5))["event"]
        await layer.group_discard(user_group(user_id), channel)
    return events


def _ask(client, partner, **fields) -> Case:
    client.force_login(partner)
    response = client.post("/de/partner/ask/", enquiry_post(**fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get()


# --- acceptance -----------------------------------------------------------------------------------------


def test_a_partner_enquiry_shows_as_one_with_the_organisation_to_the_counselor(
    client, partner, goethe, russian_counselor
):
    case = _ask(client, partner)
    assert (case.youth, case.opened_by, case.language) == (None, partner, "ru")
    assert (case.partner_enquiry.organisation, case.partner_enquiry.client_country) == (goethe, "KZ")
    assert case.counselor == russian_counselor  # routed like a young person's case: Russian speaker
    message = Message.objects.get(case=case)
    assert "диплом".encode() not in bytes(message.body_sealed)  # sealed like every case message

    client.force_login(russian_counselor)
    inbox = client.get("/en/staff/cases/?box=mine").content.decode()
    assert 'Partner enquiry · <bdi dir="auto">Goethe-Institut Almaty</bdi>' in inbox
    page = client.get(f"/en/staff/cases/{case.public_id}/").content.decode()
    assert 'id="partner-enquiry"' in page and "Goethe-Institut Almaty" in page and "Kazakhstan" in page
    assert (
        'Network partner · <bdi dir="auto">Goethe-Institut Almaty</bdi>' in page
    )  # who asked: not "young person"
    assert "признают диплом" in page


def test_a_young_persons_case_is_not_shown_as_a_partner_enquiry(client, youth, russian_counselor):
    case = make_case(youth=youth, language="ru")
    client.force_login(russian_counselor)
    assert "Partner enquiry" not in client.get("/en/staff/cases/?box=mine").content.decode()
    page = client.get(f"/en/staff/cases/{case.public_id}/").content.decode()
    assert 'id="partner-enquiry"' not in page and "Young person" in page


def test_another_organisation_cannot_see_the_enquiry(client, partner, diakonie, russian_counselor):
    case = _ask(client, partner)
    other = partner_account("partner_besa", diakonie)
    client.force_login(other)
    url = f"/de/partner/enquiries/{case.public_id}/"
    assert client.get(url).status_code == 404
    post = client.post(url, {"body": "Hallo", "idempotency_key": str(uuid.uuid4())})
    assert post.status_code == 404 and Message.objects.filter(case=case).count() == 1
    assert client.get(f"/de/cases/{case.public_id}/").status_code == 404
    assert "диплом" not in client.get("/de/partner/").content.decode()
    assert str(case.public_id) not in client.get("/de/partner/").content.decode()


def test_colleagues_of_the_organisation_share_its_enquiries(client, partner, goethe, russian_counselor):
    case = _ask(client, partner)
    colleague = partner_account("partner_dana", goethe)
    client.force_login(colleague)
    assert str(case.public_id) in client.get("/de/partner/").content.decode()
    url = f"/de/partner/enquiries/{case.public_id}/"
    assert "признают диплом" in client.get(url).content.decode()
    client.post(url, {"body": "Noch eine Frage dazu", "idempotency_key": str(uuid.uuid4())})
    reply = Message.objects.filter(case=case).last()
    assert (reply.author, reply.from_staff) == (colleague, False)  # the client's side, not staff


def test_a_partner_moved_to_another_organisation_no_longer_sees_the_old_one(
    client, partner, diakonie, coordinator, russian_counselor
):
    case = _ask(client, partner)
    client.force_login(coordinator)
    client.post(f"/de/staff/partners/{diakonie.pk}/", {"account": partner.pk})
    assert PartnerMembership.objects.get(user=partner).organisation == diakonie
    client.force_login(partner)
    assert client.get(f"/de/partner/enquiries/{case.public_id}/").status_code == 404


def test_a_partner_without_an_organisation_sees_nothing_and_cannot_ask(client, partner, russian_counselor):
    case = _ask(client, partner)
    loner = partner_account("partner_loner")
    client.force_login(loner)
    assert client.get(f"/de/partner/enquiries/{case.public_id}/").status_code == 404
    response = client.get("/en/partner/ask/")
    assert response.status_code == 403
    assert "does not belong to a partner organisation yet" in response.content.decode()


def test_young_people_and_counselors_do_not_get_the_partner_pages(client, youth, partner, russian_counselor):
    case = _ask(client, partner)
    for user in (youth, russian_counselor):
        client.force_login(user)
        assert client.get("/de/partner/").status_code == 403
        assert client.get("/de/partner/ask/").status_code == 403
        assert client.get(f"/de/partner/enquiries/{case.public_id}/").status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get("/de/partner/").headers["Location"]


def test_the_counselor_answers_and_the_partner_reads_it_with_a_live_notice(
    client, partner, goethe, russian_counselor, django_capture_on_commit_callbacks
):
    case = _ask(client, partner)
    colleague = partner_account("partner_dana", goethe)
    client.force_login(russian_counselor)

    def answer():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/de/staff/cases/{case.public_id}/reply/",
                {"body": "Нужна процедура признания через ZAB.", "idempotency_key": str(uuid.uuid4())},
            )
        assert response.status_code == 302

    events = async_to_sync(_events_while)(answer, [partner.pk, colleague.pk])
    notice = {"kind": "reply", "case": str(case.public_id)}
    assert events == {partner.pk: notice, colleague.pk: notice}

    client.force_login(partner)
    page = client.get(f"/en/partner/enquiries/{case.public_id}/").content.decode()
    assert "Нужна процедура признания через ZAB." in page and "answered" in page
    # The reply notice links to the youth case page: for a partner it leads to the partner's page.
    response = client.get(f"/de/cases/{case.public_id}/")
    assert response.status_code == 302 and response["Location"] == f"/de/partner/enquiries/{case.public_id}/"


def test_referral_sends_the_youth_links_in_the_clients_language_and_marks_the_enquiry(
    client, partner, russian_counselor
):
    case = _ask(client, partner)
    client.force_login(russian_counselor)
    response = client.post(f"/de/staff/partners/enquiries/{case.public_id}/refer/")
    assert response.status_code == 302
    enquiry = PartnerEnquiry.objects.get(case=case)
    assert enquiry.referred_at is not None and enquiry.referred_by == russian_counselor
    answer = services.message_body(Message.objects.filter(case=case, from_staff=True).get())
    links = {"ask_url": "http://testserver/ru/ask/", "finder_url": "http://testserver/ru/sites/"}
    assert answer == partner_services.referral_text(language="ru", **links)  # the client's language
    page = client.get(f"/de/staff/cases/{case.public_id}/").content.decode()
    assert 'id="partner-enquiry"' in page and f"/enquiries/{case.public_id}/refer/" not in page

    client.force_login(partner)
    page = client.get(f"/en/partner/enquiries/{case.public_id}/").content.decode()
    assert 'href="http://testserver/ru/ask/"' in page and "referred to the youth channel" in page


def test_referral_is_refused_to_other_staff_and_for_a_young_persons_case(
    client, youth, partner, russian_counselor
):
    case = _ask(client, partner)
    stranger = counselor_with_profile("counselor_fremd", ["tr"])
    client.force_login(stranger)
    assert client.post(f"/de/staff/partners/enquiries/{case.public_id}/refer/").status_code == 404
    youth_case = make_case(youth=youth, language="ru")
    client.force_login(russian_counselor)
    assert client.post(f"/de/staff/partners/enquiries/{youth_case.public_id}/refer/").status_code == 404
    client.force_login(partner)
    assert client.post(f"/de/staff/partners/enquiries/{case.public_id}/refer/").status_code == 403
    assert not PartnerEnquiry.objects.filter(referred_at__isnull=False).exists()


# --- the form -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"no_name": None}, "Please confirm that the question does not name your client."),
        ({"body": "Kontakt: aigerim.k@mail.kz, Frage zur Anerkennung"}, "Please take the e-mail address out"),
        ({"body": "Name: Aigerim Karimova\nFrage zur Anerkennung"}, "take your client&#x27;s name out"),
        ({"client_country": ""}, "This field is required."),
    ],
)
def test_the_form_refuses_names_and_contact_details_and_keeps_the_text(client, partner, fields, error):
    client.force_login(partner)
    response = client.post("/en/partner/ask/", enquiry_post(**fields))
    body = response.content.decode()
    assert response.status_code == 200 and error in body
    assert (fields.get("body") or "признают диплом").split("\n")[-1] in body
    assert not Case.objects.exists()


def test_the_form_says_that_no_client_name_is_needed(client, partner):
    client.force_login(partner)
    page = client.get("/en/partner/ask/").content.decode()
    assert "Please do not write your client's name or contact details." in page
    assert 'From: <bdi dir="auto">Goethe-Institut Almaty</bdi>' in page
    assert 'name="client_name"' not in page


def test_a_partner_is_sent_from_the_youth_form_to_the_partner_form(client, partner):
    client.force_login(partner)
    assert client.get("/de/ask/")["Location"] == "/de/partner/ask/"


# --- staff area, two-factor ------------------------------------------------------------------------------


def test_partners_never_reach_a_staff_page(client, partner):
    client.force_login(partner)
    for path in staff_paths():
        assert client.get(path).status_code == 403, path


def test_a_partner_needs_two_factor_authentication_for_the_partner_pages(client, goethe):
    from hub.roles import Role
    from hub.tests.factories import UserFactory

    partner = UserFactory(username="partner_no_totp", roles=[Role.NETWORK_PARTNER])
    PartnerMembership.objects.create(user=partner, organisation=goethe)
    client.force_login(partner)
    response = client.get("/de/partner/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


# --- coordinators' organisation page ---------------------------------------------------------------------


def test_a_coordinator_creates_an_organisation_and_attaches_a_partner_audited(client, coordinator):
    account = partner_account("partner_neu")
    client.force_login(coordinator)
    response = client.post("/de/staff/partners/", {"name": "Alevitische Gemeinde", "country": "TR"})
    organisation = PartnerOrganisation.objects.get()
    assert response["Location"] == f"/de/staff/partners/{organisation.pk}/"
    client.post(f"/de/staff/partners/{organisation.pk}/", {"account": account.pk})
    assert PartnerMembership.objects.get(user=account).organisation == organisation
    client.post(f"/de/staff/partners/{organisation.pk}/members/{account.pk}/detach/")
    assert not PartnerMembership.objects.exists()
    entries = AuditEntry.objects.filter(action="partner.changed", target_id=str(organisation.pk))
    assert [entry.detail for entry in entries.order_by("pk")] == [
        "created Alevitische Gemeinde",
        f"attached account {account.pk}",
        f"detached account {account.pk}",
    ]
    assert {entry.actor for entry in entries} == {coordinator}


def test_the_organisation_page_refuses_bad_input_clearly(client, coordinator, goethe, counselor):
    client.force_login(coordinator)
    response = client.post("/en/staff/partners/", {"name": "Goethe-Institut Almaty", "country": "KZ"})
    assert response.status_code == 400 and "already exists" in response.content.decode()
    # Only partner accounts can be attached: a counselor is not among the choices.
    response = client.post(f"/en/staff/partners/{goethe.pk}/", {"account": counselor.pk})
    assert response.status_code == 400 and not PartnerMembership.objects.exists()


def test_only_coordinators_keep_partner_organisations(client, counselor, goethe):
    client.force_login(counselor)
    assert client.get("/de/staff/partners/").status_code == 403
    assert client.post("/de/staff/partners/", {"name": "X", "country": "KZ"}).status_code == 403
    assert client.get(f"/de/staff/partners/{goethe.pk}/").status_code == 403
    assert PartnerOrganisation.objects.count() == 1


# --- retention, query counts ------------------------------------------------------------------------------


def test_the_retention_purge_takes_the_partner_enquiry_with_its_case(partner):
    case = partner_enquiry(partner)
    assert cases_remove([case.pk]) == 1
    assert not PartnerEnquiry.objects.exists() and not Case.objects.exists()


def test_the_partner_list_costs_the_same_queries_for_many_enquiries(
    client, partner, goethe, django_assert_max_num_queries
):
    colleague = partner_account("partner_dana", goethe)
    for number in range(12):
        partner_enquiry(partner if number % 2 else colleague, body=f"Frage {number}")
    client.force_login(partner)
    with django_assert_max_num_queries(12):
        response = client.get("/de/partner/")
    assert response.content.decode().count('href="/de/partner/enquiries/') == 12


def test_partners_read_the_public_knowledge_base_only(client, partner, counselor):
    from knowledge.models import Audience
    from knowledge.tests.factories import article_create

    internal = article_create(title_de="Interne Arbeitshilfe", audience=Audience.INTERNAL)
    url = f"/de/knowledge/{internal.pk}/{internal.slug}/"
    client.force_login(counselor)
    assert client.get(url).status_code == 200
    client.force_login(partner)
    assert client.get(url).status_code == 404


def test_a_partner_signs_in_to_the_partner_pages(client, partner):
    from hub.tests.factories import PASSWORD, totp_now

    response = client.post("/de/accounts/login/", {"login": partner.username, "password": PASSWORD})
    response = client.post(response["Location"], {"code": totp_now(partner.totp_secret)})
    assert response["Location"] == "/de/partner/"
    assert client.get("/de/home/")["Location"] == "/de/partner/"
