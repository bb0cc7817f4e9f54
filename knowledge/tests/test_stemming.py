"""The light stemmers join the forms a reader types with the forms an article uses, in every language."""

import pytest

from knowledge.search_index import _fts_query
from knowledge.stemming import stem, stems

# (language, forms that must share one stem)
SAME_STEM = [
    ("de", ["Wohnung", "Wohnungen"]),
    ("de", ["Abschluss", "Abschlusses"]),
    ("de", ["Tag", "Tage", "Tages", "Tags"]),
    ("en", ["apartment", "apartments"]),
    ("fr", ["logement", "logements"]),
    ("ru", ["квартира", "квартиры", "квартиру", "квартире", "квартирах"]),
    ("uk", ["квартира", "квартири", "квартиру", "квартирі"]),
    ("tr", ["denklik", "denkliği", "denkliğini", "denkliğinin"]),
    ("tr", ["kitap", "kitabı"]),
    ("sq", ["banesa", "banesë", "banesat", "banesave"]),
    ("ar", ["شهادة", "الشهادات", "بالشهادات", "والشهادة"]),
]


@pytest.mark.parametrize(("language", "forms"), SAME_STEM)
def test_inflected_forms_share_a_stem(language, forms):
    assert len({stem(form.casefold(), language) for form in forms}) == 1, [
        stem(form.casefold(), language) for form in forms
    ]


def test_a_stem_keeps_at_least_three_letters():
    assert stem("ihre", "de") == "ihr" and stem("ein", "de") == "ein" and stem("es", "de") == "es"


def test_words_are_case_folded_in_every_script():
    assert stems("WOHNUNG Квартира Straße", "de") == ["wohnung", "квартира", "strass"]  # ß -> ss
    assert stems("İSTANBUL Işık", "tr") == stems("istanbul ışık", "tr") == ["istanbul", "işik"]


def test_arabic_short_vowels_and_letter_variants_are_ignored():
    assert stems("شَهَادَة", "ar") == stems("شهادة", "ar") == [stem("شهاده", "ar")]
    assert stem("أسرة", "ar") == stem("اسره", "ar")


def test_the_fts_query_quotes_every_word_and_adds_the_lemma():
    assert _fts_query('Wohnungen "OR" NEAR(', "de") == '("wohnung"*) AND ("or"*) AND ("near"*)'
    assert _fts_query("anerkannt", "de") == '("anerkannt"* OR "anerkenn"*)'
    assert _fts_query("  ", "de") == ""
