"""What in an intervision excerpt could identify the young person: names, places and numbers, as spans
the request form points at ("Remove or replace …"), in the eight languages.

An excerpt leaves the case's team, so a miss costs more than a false alarm (the writer replaces the
word with a placeholder such as "[Name]": text in square brackets is never flagged). Found, in order:

- the case's own known data (the young person's username, the counselor's name, the site's town),
- contact details: e-mail addresses (also written out), links and @handles (the forum's detectors,
  counseling/forum/contact_details.py),
- every number: digits of any script, with the separators of phone numbers, dates and postcodes,
- given names from a list (data/given_names.txt), and the word after "my name is", "Herr", "Frau" …,
- place names: German towns (the sites list from the database and data/places_de.txt), towns of the
  origin countries (data/places_world.txt) and every country in CLDR's list in the eight languages,
- in languages that do not capitalise nouns (all but German), any capitalised word inside a sentence,
  except month, weekday and language names and the institutions every case mentions (Jobcenter, BAMF).

Inflected forms count (Russian "в Германии", Turkish "Almanya'da", Arabic "ببرلين"): a word matches a
listed name it starts with when at most a few letters follow.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from django.conf import settings

from counseling.forum import contact_details

DATA = Path(__file__).parent / "data"

NAME, PLACE, NUMBER, CONTACT, KNOWN = "name", "place", "number", "contact", "known"

# Digits of every script people write numbers in (Arabic-Indic, Persian) and the separators inside
# phone numbers, dates, times, postcodes and prices.
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
# Not after a letter: language levels (B1, C1) and class names (10b) are no one's number.
_NUMBER = re.compile(rf"(?<![^\W\d_])\+?{_DIGIT}+(?:[\s./:,\-–]?{_DIGIT}+)*")
# A word: letters, with inner apostrophes and hyphens ("Almanya'da", "Berlin-Neukölln", "d'Amman").
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"\[[^\]\n]{0,60}\]")
_SENTENCE_END = ".!?…:;\n\u061f\u06d4"
# Arabic prefixes glued to the next word: and, with/in, for, so, like, the.
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف", "ك")
# The word after these is someone's name whatever its case (German nouns are capitalised too).
_INTRODUCES_NAME = re.compile(
    r"(?:\b(?:herrn?|frau|hr\.|fr\.|mr\.?|mrs\.?|ms\.?|dr\.|monsieur|madame|mme|m\.|bay|bayan|hanım|"
    r"zoti|zonja|господин|госпожа|пан|пані|heiße|heisse|hieß|namens|genannt|name is|called|"
    r"je m'appelle|s'appelle|m'appelle|prénom|меня зовут|его зовут|её зовут|ее зовут|мене звати|"
    r"його звати|її звати|ismim|adım|adı|quhem|quhet|emri im është|emri i saj është|emri i tij është|"
    r"mein name ist|sein name ist|ihr name ist|my name is|his name is|her name is)"
    r"|اسمي|اسمه|اسمها|السيد|السيدة)\s+(?P<name>[^\W\d_]+)",
    re.IGNORECASE,
)
# Words every case uses in any language; capitalised in English or French text, they are no one's name.
_INSTITUTIONS = {
    "jmd", "bamf", "jobcenter", "ausländerbehörde", "auslaenderbehoerde", "bürgeramt", "buergeramt",
    "arbeitsagentur", "agentur", "ihk", "hwk", "anabin", "zab", "goethe", "telc", "visa", "visum",
    "blue", "card", "eu", "ok", "tv", "i", "i'm", "i've", "i'll", "i'd", "hi", "hello", "dear", "bonjour",
    "salut", "merci", "integrationskurs", "berufsschule", "ausbildung", "kita", "schule", "abitur",
    "bafög", "bafoeg", "kindergeld", "bürgergeld", "wohngeld", "aufenthaltserlaubnis", "duldung",
    "anerkennung", "sprachkurs", "deutsch", "b1", "b2", "a1", "a2", "c1", "whatsapp", "instagram",
    "tiktok", "telegram", "google", "internet", "covid", "corona", "ramadan", "bayram", "islam",
    "muslim", "christian", "allah", "god", "dieu", "бог", "інтернет", "mr", "mrs", "ms", "dr", "herr",
    "frau", "monsieur", "madame", "mme", "mister", "miss", "sir", "madam",
}  # fmt: skip
_LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Codes in CLDR's territory list that are no place anyone comes from (regions, unions, placeholders), and
# Germany itself: every young person here is in or on the way to Germany.
_NOT_A_COUNTRY = {"DE", "EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
# German nouns that are also towns of the sites list or the town list ("das Essen", "die Halle").
_PLACE_PREPOSITION = re.compile(r"(?:^|\s)(?:in|nach|aus|von|bis|ab|bei)\s+$", re.IGNORECASE)
_GERMAN_NOUN_TOWNS = {"essen", "halle", "bad", "hagen", "weil", "brück", "kiel"}


@dataclass(frozen=True)
class Flag:
    start: int
    end: int
    text: str
    kind: str


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _fold(word: str) -> str:
    return word.replace("’", "'").casefold()


@cache
def given_names() -> frozenset[str]:
    return frozenset(_fold(name) for name in _lines("given_names.txt"))


@cache
def _listed_places() -> frozenset[str]:
    countries = {
        name
        for code in _LANGUAGES
        for key, name in Locale.parse(code).territories.items()
        if key.isalpha() and key not in _NOT_A_COUNTRY
    }
    return frozenset(_fold(p) for p in [*countries, *_lines("places_de.txt"), *_lines("places_world.txt")])


@cache
def _allowed_capitalised() -> frozenset[str]:
    """Words written with a capital that name no one: months, weekdays, languages, Germany."""
    words = set(_INSTITUTIONS)
    for code in _LANGUAGES:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words |= set(locale.months[context][width].values()) | set(
                    locale.days[context][width].values()
                )
        words |= {locale.languages.get(other, "") for other in _LANGUAGES}
        words.add(locale.territories.get("DE", ""))
    return frozenset(_fold(word).rstrip(".") for phrase in words if phrase for word in phrase.split())


def site_towns() -> frozenset[str]:
    """The towns of every site (read per request: sites are added by coordinators)."""
    from sites.models import Site

    return frozenset(_fold(town) for town in Site.objects.values_list("town", flat=True).distinct())


# --- matching words against a vocabulary -------------------------------------------------------------


def _forms(word: str) -> list[str]:
    """The word and what it may be without a case ending or a glued-on prefix."""
    folded = _fold(word)
    forms = [folded]
    if "'" in folded:  # Turkish and Albanian endings after an apostrophe: "Almanya'da", "Ali'nin"
        forms.append(folded.split("'", 1)[0])
    if "\u0600" <= folded[:1] <= "\u06ff":
        forms += [
            folded[len(p) :] for p in _ARABIC_PREFIXES if folded.startswith(p) and len(folded) > len(p) + 2
        ]
    return forms


def _in(word: str, vocabulary: frozenset[str], *, inflected: bool = True) -> bool:
    for form in _forms(word):
        if form in vocabulary:
            return True
        if inflected and _inflection_of(form, vocabulary):
            return True
    return False


# Nominative endings a stem may have lost (Latin a/e/i, Cyrillic а/я/й/ь/е/і/и).
_ENDINGS = ("a", "e", "i", "\u0430", "\u044f", "\u0439", "\u044c", "\u0435", "\u0456", "\u0438")


def _inflection_of(form: str, vocabulary: frozenset[str]) -> bool:
    """ "Германии" for "Германия", "Shqipërinë" for "Shqipëri", "Kasachstans" for "Kasachstan": the
    stem (at least five letters, so that "Danach" is not "Dana") and at most three letters of ending."""
    for cut in range(1, 4):
        stem = form[:-cut]
        if len(stem) < 5:
            return False
        for candidate in (stem, *(stem + ending for ending in _ENDINGS)):
            if candidate in vocabulary and len(form) - len(candidate) <= 3:
                return True
    return False


def _cyrillic(word: str) -> bool:
    return "\u0400" <= word[:1] <= "\u04ff"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _caseless(word: str) -> bool:
    """A script without capitals (Arabic): every listed word counts, wherever it stands."""
    return not word[:1].isupper() and not word[:1].islower()


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'«»„“”‚‘(-–—*")
    return not before or before[-1] in _SENTENCE_END


# --- the detector -------------------------------------------------------------------------------------


def flags_in(text: str, *, language: str, known=(), towns=frozenset()) -> list[Flag]:
    """Every span of `text` that could identify someone, in reading order, each span once."""
    found: dict[tuple[int, int], Flag] = {}
    skip = [match.span() for match in _PLACEHOLDER.finditer(text)]

    def add(start, end, kind):
        if any(s <= start < e for s, e in skip) or any(s <= start < e for s, e in found):
            return
        found[(start, end)] = Flag(start, end, text[start:end], kind)

    for value in known:
        if value and len(value) >= 3:
            for match in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE):
                add(*match.span(), KNOWN)
    for pattern in (contact_details._EMAIL, contact_details._EMAIL_WRITTEN, contact_details._SOCIAL_LINK):
        for match in pattern.finditer(text):
            add(*match.span(), CONTACT)
    for pattern in (contact_details._URL, contact_details._HANDLE_AT):
        for match in pattern.finditer(text):
            add(*match.span(), CONTACT)
    for match in _NUMBER.finditer(text):
        add(*match.span(), NUMBER)
    for match in _INTRODUCES_NAME.finditer(text):
        if _fold(match["name"]) not in _allowed_capitalised():
            add(*match.span("name"), NAME)
    for match in _WORD.finditer(text):
        kind = _word_kind(text, match, language, towns)
        if kind:
            add(*match.span(), kind)
    return sorted(found.values(), key=lambda flag: flag.start)


def _word_kind(text: str, match: re.Match, language: str, towns: frozenset[str]) -> str:
    word = match.group(0)
    if not (_capitalised(word) or _caseless(word)):
        return ""
    parts = [word, *re.split(r"[\-]", word)] if "-" in word else [word]
    # "das Essen" is a meal, "in Essen" the town: after a preposition of place it counts.
    german_noun = (
        language == "de"
        and _fold(word) in _GERMAN_NOUN_TOWNS
        and not _PLACE_PREPOSITION.search(text[: match.start()])
    )
    if not german_noun and any(_in(part, _listed_places() | towns) for part in parts if len(part) >= 3):
        return PLACE
    # Names are inflected only in Cyrillic here ("Олену", "Олени"); elsewhere "Linie" is not "Lina".
    if any(_in(part, given_names(), inflected=_cyrillic(part)) for part in parts if len(part) >= 2):
        return NAME
    if language != "de" and _capitalised(word) and not _starts_sentence(text, match.start()):
        allowed = _allowed_capitalised()
        if not (word.isupper() and len(word) <= 5) and not all(_in(p, allowed) for p in parts):
            return NAME
    return ""
