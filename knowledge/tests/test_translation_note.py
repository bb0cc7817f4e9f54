"""The "not translated yet" note names the original language in the reader's language (CLDR's names via
hub/language_names.py), never by its own name: "німецька" on a Ukrainian page, not "Deutsch"."""

import re

import pytest

from hub.language_names import language_name_in
from knowledge.tests.factories import article_create

pytestmark = pytest.mark.django_db

GERMAN_IN = {
    "en": "German",
    "ar": "الألمانية",
    "ru": "немецкий",
    "tr": "Almanca",
    "sq": "gjermanisht",
    "uk": "німецька",
    "fr": "allemand",
}


def note_of(page: str) -> str:
    match = re.search(r'<div class="message message-info translation-note".*?</div>', page, re.S)
    assert match, "no translation note"
    return match.group(0)


@pytest.mark.parametrize("reader", GERMAN_IN)
def test_the_note_names_german_in_the_readers_language(client, reader):
    article = article_create(
        title_de="Bankkonto eröffnen", body_de="Jede Person hat das Recht auf ein Basiskonto."
    )
    note = note_of(client.get(article.reader_url(reader)).content.decode())
    sentence = note.split("<p>")[1]
    assert f": {GERMAN_IN[reader]}." in sentence
    assert "Deutsch" not in sentence


def test_an_english_original_is_named_in_the_readers_language(client):
    # Only the English version is complete: a Russian reader is told "английский", a German one "Englisch".
    article = article_create(
        title_de="Bankkonto eröffnen",
        translations={"en": ("Opening a bank account", "Everyone may have one.")},
    )
    article.body_de = []  # the German text was taken out again
    article.save()
    assert article.has_language("en") and not article.has_language("de")
    note = note_of(client.get(article.reader_url("ru")).content.decode())
    assert ": английский." in note and "English" not in note.split("<p>")[1]
    note = note_of(client.get(article.reader_url("de")).content.decode())
    assert ": Englisch." in note


def test_names_of_every_portal_language_in_every_portal_language(settings):
    codes = [code for code, _name in settings.LANGUAGES]
    for reader in codes:
        for code in codes:
            name = language_name_in(code, reader)
            assert name and name != code, (code, reader)
    assert language_name_in("kk", "uk") == "казахська"
    assert language_name_in("xx", "uk") == "xx"


@pytest.mark.parametrize("reader", ["uk", "ar", "fr"])
def test_the_knowledge_list_names_the_original_language_in_the_readers_language(client, reader):
    article_create(title_de="Bankkonto eröffnen", body_de="Jede Person hat das Recht auf ein Basiskonto.")
    page = client.get(f"/{reader}/knowledge/").content.decode()
    note = re.search(r'<p class="muted small">(.*?)</p>', page, re.S).group(1)
    assert note.endswith(f": {GERMAN_IN[reader]}") and "Deutsch" not in note
