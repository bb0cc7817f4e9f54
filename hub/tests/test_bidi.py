"""Bidirectional isolation (hub/bidi.py): the filters, the direction of form inputs, and pages rendered in
Arabic where every phone number, postcode, e-mail address and username sits in an isolating element."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from hub import bidi
from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.tests.factories import SiteFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class _TextInContext(HTMLParser):
    """Collects each text run with the elements it sits in (below <html>, which carries the page's dir)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.runs: list[tuple[str, list[tuple[str, dict]]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        self.runs.append((data, list(self.stack)))


def _isolating(element: tuple[str, dict]) -> bool:
    tag, attrs = element
    return tag != "html" and (tag == "bdi" or attrs.get("dir") in {"ltr", "auto"})


def unisolated_occurrences(html: str, value: str) -> list[str]:
    """Each place the value shows as text without an isolating element around it; [] if it is missing
    entirely would hide a broken test, so that case is reported too."""
    parser = _TextInContext()
    parser.feed(html)
    seen = [(data, stack) for data, stack in parser.runs if value in data]
    assert seen, f"{value!r} is not on the page"
    return [
        f"{data.strip()[:60]!r} in {' > '.join(tag for tag, _ in stack)}"
        for data, stack in seen
        if stack and stack[-1][0] not in {"title", "script", "style"} and not any(map(_isolating, stack))
    ]


# --- the filters ------------------------------------------------------------------------------------


def test_ltr_and_isolated_wrap_and_escape():
    assert bidi.ltr("+49 30 1234567") == '<bdi dir="ltr">+49 30 1234567</bdi>'
    assert bidi.isolated("<b>kim</b>") == '<bdi dir="auto">&lt;b&gt;kim&lt;/b&gt;</bdi>'
    assert bidi.ltr("") == "" and bidi.isolated(None) == ""


def test_the_filters_in_a_template_and_in_a_translated_sentence():
    template = Template(
        "{% load i18n bidi %}{{ phone|ltr }} "
        "{% blocktranslate with name=name|isolated %}Hello, {{ name }}!{% endblocktranslate %}"
    )
    with translation.override("en"):
        html = template.render(Context({"phone": "+49 30 1234567", "name": "kim&co"}))
    assert html == '<bdi dir="ltr">+49 30 1234567</bdi> Hello, <bdi dir="auto">kim&amp;co</bdi>!'


# --- form inputs --------------------------------------------------------------------------------------


def test_inputs_for_numbers_codes_and_addresses_are_left_to_right_names_and_text_follow_their_content():
    from django import forms

    class Example(forms.Form):
        phone = forms.CharField()
        postcode = forms.CharField()
        email = forms.EmailField()
        code = forms.CharField()
        number = forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}))
        place = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
        username = forms.CharField()
        body = forms.CharField(widget=forms.Textarea)
        topic = forms.CharField()
        password = forms.CharField(widget=forms.PasswordInput)

    form = Example()
    direction = {name: form[name].build_widget_attrs({}).get("dir") for name in form.fields}
    assert direction == {
        "phone": "ltr",
        "postcode": "ltr",
        "email": "ltr",
        "code": "ltr",
        "number": "ltr",
        "place": "ltr",
        "username": "auto",
        "body": "auto",
        "topic": None,
        "password": None,
    }


@pytest.mark.django_db
def test_the_project_forms_get_it_without_asking(client):
    """The renderer gives every form its directions: the ask page's postcode, sign-up's username and
    allauth's own TOTP code form, none of which names a direction itself."""
    from allauth.mfa.base.forms import AuthenticateForm

    assert 'dir="ltr"' in input_tag(client.get("/ar/ask/").content.decode(), "postcode")
    assert 'dir="auto"' in input_tag(client.get("/ar/accounts/signup/").content.decode(), "username")
    user = UserFactory()
    assert AuthenticateForm(user=user)["code"].build_widget_attrs({})["dir"] == "ltr"


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


# --- rendered pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_site_page_isolates_phone_postcode_and_email_in_every_language(client, language):
    SiteFactory(slug="jmd-neukoelln", phone="+49 30 1234567", postcode="12043", email="jmd@example.org")
    html = client.get(f"/{language}/sites/jmd-neukoelln/").content.decode()
    for value in ("+49 30 1234567", "12043", "jmd@example.org"):
        assert unisolated_occurrences(html, value) == [], value


@pytest.mark.django_db
def test_finder_isolates_the_postcodes_of_its_results(client):
    SiteFactory(slug="jmd-neukoelln", postcode="12043", town="Berlin")
    html = client.get("/ar/sites/?q=Berlin").content.decode()
    assert unisolated_occurrences(html, "12043") == []


@pytest.mark.django_db
def test_youth_home_isolates_the_username_in_its_greeting(client):
    youth = UserFactory(username="2009_kim", roles=[Role.YOUTH])
    client.force_login(youth)
    html = client.get("/ar/me/").content.decode()
    assert unisolated_occurrences(html, "2009_kim") == []


@pytest.mark.django_db
def test_staff_accounts_isolate_usernames_and_names(client, coordinator):
    UserFactory(username="counselor_oleh", display_name="Олег", is_staff=True, roles=[Role.COUNSELOR])
    client.force_login(coordinator)
    html = client.get("/ar/staff/accounts/").content.decode()
    assert unisolated_occurrences(html, "counselor_oleh") == []
    assert unisolated_occurrences(html, "Олег") == []


def test_the_checker_sees_a_bare_value():
    assert unisolated_occurrences('<html dir="rtl"><body><p>+49 30 1</p></body></html>', "+49 30 1")
    assert not unisolated_occurrences(
        '<html dir="rtl"><p><bdi dir="ltr">+49 30 1</bdi></p></html>', "+49 30 1"
    )


@pytest.mark.django_db
def test_totp_setup_shows_the_secret_and_takes_the_code_left_to_right(client, staff_without_totp):
    from django.urls import reverse

    from hub.tests.factories import PASSWORD

    client.force_login(staff_without_totp)
    with translation.override("ar"):
        setup_url = reverse("mfa_activate_totp")
        reauthenticate = client.get(setup_url)["Location"]
        client.post(reauthenticate, {"password": PASSWORD})
        html = client.get(setup_url).content.decode()
    assert 'lang="ar" dir="rtl"' in html
    secret = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', html)
    assert secret and 'dir="ltr"' in secret.group(0)
    assert 'dir="ltr"' in input_tag(html, "code")
