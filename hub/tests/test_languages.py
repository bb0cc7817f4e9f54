import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
CODES = [code for code, _ in settings.LANGUAGES]

# The base UI every counseling language must have: navigation, sign-up, login and errors.
BASE_UI = [
    "Skip to content",
    "Main navigation",
    "Sign in",
    "Sign out",
    "Sign up",
    "Language",
    "Quick exit",
    "My account",
    "Ask a question",
    "Create an anonymous account",
    "Create account",
    "Forgot your password?",
    "Choose any nickname. Do not use your real name, e-mail address or phone number.",
    "No access",
    "Page not found",
    "Too many attempts",
    "Back to the start page",
]


def test_arabic_is_right_to_left(client):
    body = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body


@pytest.mark.parametrize("code", CODES)
def test_every_language_renders_with_its_lang_and_a_switcher_to_all_others(client, code):
    body = client.get(f"/{code}/accounts/login/").content.decode()
    direction = "rtl" if code == "ar" else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in body
    for other in CODES:
        assert f'href="/{other}/accounts/login/" lang="{other}"' in body


def test_the_root_sends_visitors_to_their_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")["Location"] == "/ar/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="xx")["Location"] == "/de/"


def test_layout_css_uses_logical_properties_only():
    css = (Path(settings.BASE_DIR) / "hub/assets/hub/css/hub.css").read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|text-align:\s*(?:left|right)",
        css,
    )
    assert physical == []


@pytest.mark.parametrize("code", ["de", "en"])
def test_german_and_english_are_complete(code):
    catalog = polib.pofile(LOCALE / code / "LC_MESSAGES/django.po")
    missing = [entry.msgid for entry in catalog if not entry.translated() and not entry.obsolete]
    assert missing == []


@pytest.mark.parametrize("code", [c for c in CODES if c not in {"de", "en"}])
def test_every_language_has_the_base_ui(code):
    catalog = {entry.msgid: entry for entry in polib.pofile(LOCALE / code / "LC_MESSAGES/django.po")}
    untranslated = [msgid for msgid in BASE_UI if msgid not in catalog or not catalog[msgid].translated()]
    assert untranslated == []


@pytest.mark.parametrize("code", CODES)
def test_compiled_catalogs_match_the_sources(code):
    source = polib.pofile(LOCALE / code / "LC_MESSAGES/django.po")
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.mofile(LOCALE / code / "LC_MESSAGES/django.mo")
    }
    stale = [
        e.msgid
        for e in source.translated_entries()
        if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert stale == [], "run `make messages`"


# German addresses young people with "du" and staff with "Sie" (the staff area is a workplace shared by
# many organisations; network partners, outside professionals, get "Sie" too). A text used only by the
# staff area must not say "du" — unless staff send it to a young person.
STAFF_ONLY = re.compile(
    r"^(counseling/staff_|counseling/intervision/|counseling/case_page|hub/staff_|learning/staff_|campaigns/"
    r"|templates/(counseling/staff/|counseling/mail/staff_|counseling/ask_staff|intervision/|forum/staff/"
    r"|hub/mail/staff_|hub/account_delete_staff|learning/staff/|campaigns/staff/))"
)
SENT_TO_YOUNG_PEOPLE = {
    "You can book an appointment with us here: %(link)s",  # a counselor's chat line to the young person
}
INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir|hast|bist|kannst|musst|willst|wirst)\b", re.IGNORECASE)


def test_german_staff_texts_address_staff_formally():
    catalog = polib.pofile(LOCALE / "de" / "LC_MESSAGES/django.po")
    informal = []
    for entry in catalog:
        places = {path for path, _ in entry.occurrences if "/tests/" not in path}
        if entry.obsolete or not places or entry.msgid in SENT_TO_YOUNG_PEOPLE:
            continue
        if all(STAFF_ONLY.search(path) for path in places):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            informal += [(entry.msgid, text) for text in texts if INFORMAL.search(text)]
    assert informal == []
