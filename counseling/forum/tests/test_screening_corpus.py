"""The forum's contact-detail screening against a corpus in the eight languages (tests/data/, one
sentence per line, grouped by language): ordinary sentences — school, Schwerin, Instagram mentioned in
passing, dates, times, prices, postcodes, street numbers, help-line numbers — are never held, and real
contact details in the forms people write them (phone numbers in every format, Arabic-Indic digits,
e-mail addresses also written out, links, @handles, "insta: name", messenger plus number) always are."""

from pathlib import Path

import pytest

from counseling.forum.rules import contact_reasons

DATA = Path(__file__).parent / "data"
LANGUAGES = ["de", "en", "ar", "ru", "tr", "sq", "uk", "fr"]


def corpus(kind: str, language: str) -> list[str]:
    lines = (DATA / f"{kind}_{language}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_corpus_is_large_enough_in_every_language():
    harmless = {language: corpus("harmless", language) for language in LANGUAGES}
    contacts = {language: corpus("contacts", language) for language in LANGUAGES}
    assert sum(map(len, harmless.values())) >= 200 and min(map(len, harmless.values())) >= 20
    assert sum(map(len, contacts.values())) >= 100 and min(map(len, contacts.values())) >= 10


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_harmless_sentence_is_held(language):
    held = {text: contact_reasons(text, language=language) for text in corpus("harmless", language)}
    assert {text: reasons for text, reasons in held.items() if reasons} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_contact_detail_is_held(language):
    missed = [text for text in corpus("contacts", language) if not contact_reasons(text, language=language)]
    assert missed == []
