"""A language's name as the reader says it: "німецька" on a Ukrainian page, "allemand" on a French one –
never the language's own name ("Deutsch") inside a sentence in another language.

CLDR's names (Babel) are written for use inside a sentence (lower case where the language writes
them so), unlike Django's catalogue, which capitalises them for menus ("Німецька", "Allemand").
"""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, to_locale


@lru_cache(maxsize=256)
def language_name_in(code: str, reader: str) -> str:
    """The name of language `code` in language `reader`; the code itself for one CLDR does not know."""
    try:
        names = Locale.parse(to_locale(reader)).languages
    except (UnknownLocaleError, ValueError):
        names = Locale.parse("en").languages
    return names.get(code.replace("-", "_"), names.get(code.split("-")[0], code))


def language_name_for_reader(code: str) -> str:
    """The name of language `code` in the active language (the reader's)."""
    return language_name_in(code, get_language() or "de")
