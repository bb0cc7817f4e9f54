"""A young person's username gives nothing away and does not pass for the team's: e-mail addresses,
phone numbers, social-media handles and reserved words are refused with a translated hint on every path
that sets one (sign-up, the ask form's inline sign-up, a chat guest keeping the chat)."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from counseling import chat, guests
from hub.models import User
from hub.validators import refuse_handle_like, refuse_reserved_name, youth_username_validators

pytestmark = pytest.mark.django_db
PASSWORD = "kaffee-mit-milch-7"
HANDLE_HINT = {"en": "This looks like a social-media handle", "de": "Das sieht aus wie ein Social-Media-Name"}
RESERVED_HINT = {
    "en": "This name is kept for the counseling team",
    "de": "Dieser Name ist für das Beratungsteam",
}

HANDLES = ["@kim_2009", "@kim", "insta.kim", "snap_lena", "kim-tiktok", "telegram.ali"]
RESERVED = [
    "admin", "Admin_1", "ADMINISTRATOR", "support", "jmd", "JMD-Team", "jmd.support", "berater", "Beraterin2",
    "ad.min", "team_kim", "moderator", "Modérateur", "root", "staff", "gast", "guest-42", "Danışman",
    "yönetici", "админ", "Модератор", "підтримка", "مشرف", "الإدارة",
]  # fmt: skip
FINE = [
    "mia_2009",
    "teamgeist",
    "rootbeer",
    "adminah",
    "sonnenblume",
    "kim.b",
    "Ліна",
    "نور_22",
    "snapdragon",
]


def _messages(validators, value):
    errors = []
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            errors.append(error.code)
    return errors


@pytest.mark.parametrize("name", HANDLES)
def test_handles_are_refused(name):
    with pytest.raises(ValidationError) as refused:
        refuse_handle_like(name)
    assert refused.value.code == "handle_like"


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_words_are_refused_in_any_case_with_separators_and_digits(name):
    with pytest.raises(ValidationError) as refused:
        refuse_reserved_name(name)
    assert refused.value.code == "reserved"


@pytest.mark.parametrize("name", FINE)
def test_ordinary_nicknames_pass_every_youth_rule(name):
    assert _messages(youth_username_validators, name) == []


def test_an_email_address_gets_the_email_hint_not_the_handle_hint():
    assert _messages(youth_username_validators, "kim@example.com")[:1] == ["email_like"]


@pytest.mark.parametrize(("language", "name"), [("de", "@kim_2009"), ("en", "insta.kim")])
def test_signup_refuses_a_handle_and_keeps_what_was_typed(client, language, name):
    with translation.override(language):
        url = reverse("account_signup")
    response = client.post(url, {"username": name, "password1": PASSWORD, "password2": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200 and HANDLE_HINT[language] in page
    assert f'value="{name}"' in page
    assert not User.objects.filter(username=name).exists()


@pytest.mark.parametrize(("language", "name"), [("de", "Admin_1"), ("en", "berater"), ("en", "support")])
def test_signup_refuses_a_reserved_word(client, language, name):
    with translation.override(language):
        url = reverse("account_signup")
    response = client.post(url, {"username": name, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200 and RESERVED_HINT[language] in response.content.decode()
    assert not User.objects.filter(username__iexact=name).exists()


@pytest.mark.parametrize(("name", "hint"), [("@kim_2009", HANDLE_HINT), ("jmd", RESERVED_HINT)])
def test_the_ask_forms_inline_signup_refuses_and_keeps_the_question(client, name, hint):
    data = {
        "topic": "work",
        "language": "de",
        "body": "Wie finde ich eine Ausbildung?",
        "idempotency_key": str(uuid.uuid4()),
        "account-username": name,
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    response = client.post("/de/ask/", data)
    page = response.content.decode()
    assert response.status_code == 200 and hint["de"] in page
    assert "Wie finde ich eine Ausbildung?" in page and f'value="{name}"' in page
    assert not User.objects.filter(username__iexact=name).exists()


@pytest.mark.parametrize(("name", "hint"), [("@kim_2009", HANDLE_HINT), ("Support", RESERVED_HINT)])
def test_a_guest_keeping_the_chat_is_refused_a_handle_or_reserved_word(client, name, hint):
    guest = guests.guest_create()
    live = chat.chat_start(youth=guest, language="de", topic="work")
    chat.chat_end(chat=live, by=guest)
    client.force_login(guest)
    url = reverse("counseling:guest_keep", args=[live.case.public_id]).replace("/de/", "/en/")
    response = client.post(url, {"username": name, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400 and hint["en"] in response.content.decode()
    guest.refresh_from_db()
    assert guest.is_guest and guest.username != name


def test_staff_accepting_an_invitation_may_be_called_berater_but_not_a_handle():
    from hub.forms import InvitationAcceptForm

    data = {"display_name": "Herr O.", "password1": "lang-und-sicher-42", "password2": "lang-und-sicher-42"}
    assert InvitationAcceptForm({**data, "username": "berater_omar"}).is_valid()
    refused = InvitationAcceptForm({**data, "username": "@omar"})
    assert not refused.is_valid() and "username" in refused.errors
