"""Countries as the reader names them: the ask form's "country where you live", the staff inbox filter,
the case page and the statistics rows all show a stored ISO code (`Case.country_of_residence`) through
here, never the code itself.

Names come from CLDR (Babel) in the active language, so "Türkei" on a German page, "Türkiye" on a
Turkish one. Germany comes first (most people asking live here); the rest in the reader's alphabetical
order: a letter like Turkish "ç", Albanian "sh" or Ukrainian "ї" is a letter of its own there, not an
accented "c", "s" or "i", so those languages sort by their alphabet (`_ALPHABETS`).
"""

import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, to_locale

GERMANY = "DE"
# CLDR regions that are no country anyone lives in (or not one people would look for under its name):
# continents' outlying bits, the EU, the UN, test codes, "unknown region".
_NOT_COUNTRIES = {"AC", "AQ", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}

# Alphabets where a letter with a mark is a letter of its own (multi-letter letters first of their kind).
_ALPHABETS = {
    "tr": "a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z",
    "sq": "a b c ç d dh e ë f g gj h i j k l ll m n nj o p q r rr s sh t th u v x xh y z zh",
    "ru": "а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я",
    "uk": "а б в г ґ д е є ж з и і ї й к л м н о п р с т у ф х ц ч ш щ ь ю я",
}


def _reader(language: str | None) -> str:
    return (language or get_language() or "de").split("-")[0].lower()


@lru_cache(maxsize=16)
def _names(reader: str) -> dict[str, str]:
    try:
        territories = Locale.parse(to_locale(reader)).territories
    except (UnknownLocaleError, ValueError):
        territories = Locale.parse("en").territories
    codes = [code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha()]
    return {code: territories.get(code, code) for code in codes if code not in _NOT_COUNTRIES}


COUNTRY_CODES = frozenset(_names("en"))


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (default: the active one); an unknown code stays as it is."""
    return _names(_reader(language)).get(code, code) if code else ""


def _lower(text: str, reader: str) -> str:
    if reader == "tr":  # Turkish has a dotted and a dotless i in both cases
        text = text.replace("I", "ı").replace("İ", "i")
    return unicodedata.normalize("NFC", text.lower())


def sort_key(text: str, language: str | None = None) -> tuple:
    """The reader's alphabetical order; elsewhere marks do not count ("Österreich" with the O's)."""
    reader = _reader(language)
    text = _lower(text, reader)
    alphabet = _ALPHABETS.get(reader)
    if alphabet is None:
        decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
        return (("".join(c for c in decomposed if not unicodedata.combining(c))),)
    letters = alphabet.split()
    rank = {letter: i for i, letter in enumerate(letters)}
    key, i = [], 0
    while i < len(text):
        two = text[i : i + 2]
        if len(two) == 2 and two in rank:
            key.append((rank[two], two))
            i += 2
        else:
            key.append((rank.get(text[i], len(letters)), text[i]))
            i += 1
    return tuple(key)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country, Germany first, then alphabetically in the reader's order."""
    return list(_choices(_reader(language)))


@lru_cache(maxsize=16)
def _choices(reader: str) -> tuple[tuple[str, str], ...]:
    # Sorted once per language and process: the ask page and the staff inbox show the list on every request.
    names = _names(reader)
    others = sorted((code for code in names if code != GERMANY), key=lambda c: sort_key(names[c], reader))
    return ((GERMANY, names[GERMANY]), *((code, names[code]) for code in others))
