"""The detector of identifying details in intervision excerpts (counseling/intervision/identifying.py),
against a small corpus in the eight languages (tests/data/corpus.txt): every word in braces is flagged
and nothing else is, so both misses and false alarms fail here."""

import re
from pathlib import Path

import pytest

from counseling.intervision.identifying import CONTACT, KNOWN, NAME, NUMBER, PLACE, flags_in

CORPUS = Path(__file__).parent / "data" / "corpus.txt"
LANGUAGES = ["de", "en", "ar", "ru", "tr", "sq", "uk", "fr"]
_MARKED = re.compile(r"\{([^}]*)\}")


def corpus():
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, text = line.split("|", 1)
            yield language, text


def test_the_corpus_covers_every_language_on_both_sides():
    lines = list(corpus())
    for language in LANGUAGES:
        mine = [text for code, text in lines if code == language]
        assert any("{" in text for text in mine) and any("{" not in text for text in mine), language


@pytest.mark.parametrize(("language", "marked"), list(corpus()))
def test_exactly_the_marked_words_are_flagged(language, marked):
    text = _MARKED.sub(r"\1", marked)
    expected = _MARKED.findall(marked)
    found = [flag.text for flag in flags_in(text, language=language, towns=frozenset({"essen"}))]
    assert found == expected


def test_the_cases_own_data_is_flagged_even_where_it_looks_like_an_ordinary_word():
    flags = flags_in("Schreib mir, sagt stern_07 immer.", language="de", known=["stern_07"])
    assert [(f.text, f.kind) for f in flags] == [("stern_07", KNOWN)]


def test_each_kind_is_named_and_spans_point_into_the_text():
    text = "Hallo, ich bin Frau Weber aus Rostock, Tel. 0381 123456, weber@web.de"
    flags = flags_in(text, language="de")
    assert {(f.text, f.kind) for f in flags} == {
        ("Weber", NAME),
        ("Rostock", PLACE),
        ("0381 123456", NUMBER),
        ("weber@web.de", CONTACT),
    }
    assert all(text[f.start : f.end] == f.text for f in flags)


def test_placeholders_in_square_brackets_are_never_flagged():
    assert flags_in("[Name] aus [Berlin] ist [17].", language="de") == []


def test_germany_month_and_language_names_pass_in_languages_without_capital_nouns():
    assert flags_in("I came to Germany in January and I speak Arabic and German.", language="en") == []
    assert flags_in("Я живу в Германии с сентября.", language="ru") == []
