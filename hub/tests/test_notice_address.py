"""Notices that silently never come (issue 15.3): /me/ says whether the address for notices is confirmed
and that nothing goes out before; the confirmation can be sent again; a notice's link opens the page in
the language the person last used."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from counseling.tasks import notify_participant
from counseling.tests.factories import make_case
from hub.models import User

pytestmark = pytest.mark.django_db
ADDRESS = "inbox-7@example.org"


def _add_address(client, youth, language="en"):
    client.force_login(youth)
    response = client.post(f"/{language}/accounts/email/", {"action_add": "", "email": ADDRESS})
    assert response.status_code == 302
    return EmailAddress.objects.get(user=youth)


def test_an_unconfirmed_address_is_shown_as_such_with_the_consequence_and_a_resend(client, youth):
    _add_address(client, youth)
    page = client.get("/en/me/").content.decode()
    assert ADDRESS in page
    assert "not confirmed yet" in page
    assert "No notices go to this address until you confirm it." in page
    assert 'name="action_send"' in page and f'value="{ADDRESS}"' in page
    # …and indeed none goes out: the address is not the account's notice address before confirming.
    youth.refresh_from_db()
    assert youth.email == ""
    mail.outbox.clear()
    assert notify_participant(make_case(youth=youth).pk) is False
    assert mail.outbox == []


def test_the_confirmation_can_be_sent_again_from_the_page(client, youth):
    _add_address(client, youth)
    mail.outbox.clear()
    cache.clear()  # allauth allows one confirmation mail per address every few minutes: time has passed
    response = client.post("/en/accounts/email/", {"action_send": "", "email": ADDRESS})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[ADDRESS]]


def test_after_confirming_the_page_says_so_and_notices_go_out(client, youth):
    _add_address(client, youth)
    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+", confirmation.body).group(0)
    client.post(link.split("testserver", 1)[1])
    youth.refresh_from_db()
    assert youth.email == ADDRESS
    page = client.get("/en/me/").content.decode()
    assert "not confirmed yet" not in page and "No notices go to this address" not in page
    assert ">confirmed<" in page
    mail.outbox.clear()
    assert notify_participant(make_case(youth=youth).pk) is True
    assert [message.to for message in mail.outbox] == [[ADDRESS]]


def test_without_an_address_the_page_explains_that_it_must_be_confirmed(client, youth):
    client.force_login(youth)
    page = client.get("/en/me/").content.decode()
    assert "Add an e-mail address for reply notices (optional)" in page
    assert "notices start once you have opened it" in page


def test_a_reply_notice_opens_the_case_in_the_language_the_person_last_used(client, youth):
    youth.email = ADDRESS
    youth.save(update_fields=["email"])
    client.force_login(youth)
    client.get("/ru/me/")  # a Russian reader; the case itself is in German
    youth.refresh_from_db()
    assert youth.language == "ru"
    case = make_case(youth=youth, language="de")
    mail.outbox.clear()
    notify_participant(case.pk)
    (notice,) = mail.outbox
    link = re.search(r"https?://\S+", notice.body).group(0)
    assert link == f"{settings.SITE_URL}/ru/cases/{case.public_id}/"
    assert notice.from_email == settings.NEUTRAL_FROM_EMAIL
    with translation.override("ru"):
        assert notice.subject == gettext("You have a new message")


def test_the_language_is_written_only_when_it_changes(client, youth):
    client.force_login(youth)
    client.get("/uk/me/")
    assert User.objects.get(pk=youth.pk).language == "uk"
    with CaptureQueriesContext(connection) as captured:
        client.get("/uk/me/")
    assert not [q for q in captured.captured_queries if q["sql"].startswith('UPDATE "hub_user"')]
    client.get("/fr/me/")
    assert User.objects.get(pk=youth.pk).language == "fr"
