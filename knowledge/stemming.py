"""Light stemmers for the eight portal languages, where PostgreSQL has none.

PostgreSQL stems German, English, Arabic, Russian, Turkish and French itself (knowledge/search_index.py),
but not Albanian and Ukrainian, and SQLite (the embedded default) stems nothing. These cut the common
inflection endings (and Arabic's article and clitic prefixes), so that "Wohnungen" and "Wohnung",
"квартиры" and "квартира", "denkliği" and "denklik" share a stem. The search then matches stems as
prefixes, which also joins German compounds ("Wohnung" finds "Wohnungssuche"). Deliberately light: a
stem that is slightly off costs a few extra hits, never a lost one, since query and text go through the
same function.
"""

import re
import unicodedata

# Longest endings first; an ending is cut only if MIN_STEM characters remain.
MIN_STEM = 3
ENDINGS = {
    "de": ("ern", "em", "en", "er", "es", "e"),
    "en": ("ing", "ies", "ed", "es", "s"),
    "fr": ("ements", "ement", "ations", "ation", "euses", "euse", "eux", "ives", "ive", "ées", "ée", "és")
    + ("ions", "ez", "er", "es", "é", "e", "s", "x"),
    "ru": ("иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "иях", "ией", "ях", "ах")
    + ("ов", "ев", "ей", "ой", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю", "ом", "ем")
    + ("ам", "ям", "ых", "их", "ым", "им", "ия", "ья", "ье", "ть", "ет", "ют", "ут", "ит", "ат", "ят")
    + ("а", "я", "ы", "и", "у", "ю", "е", "о", "ь"),
    "uk": ("ями", "ами", "ого", "ому", "ими", "іми", "ях", "ах", "ів", "їв", "ей", "ой", "ий", "ій", "ая")
    + ("яя", "ою", "ею", "єю", "ові", "еві", "ом", "ем", "ам", "ям", "их", "іх", "им", "ім", "ти", "ть")
    + ("ає", "ує", "ють", "уть", "ить", "ать", "ня", "а", "я", "и", "і", "ї", "у", "ю", "е", "є", "о", "ь"),
    "tr": ("lerinden", "larından", "lerinin", "larının", "lerine", "larına", "lerini", "larını", "leri")
    + ("ları", "ler", "lar", "ından", "inden", "undan", "ünden", "ndan", "nden", "dan", "den", "tan")
    + ("ten", "nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "na", "ne", "da", "de", "ta", "te")
    + ("ya", "ye", "yı", "yi", "yu", "yü", "sı", "si", "su", "sü", "ı", "i", "u", "ü", "a", "e"),
    "sq": ("ave", "ëve", "ive", "ve", "ët", "ës", "ën", "në", "të", "at", "et", "it", "in", "ut", "un")
    + ("ja", "je", "ë", "a", "e", "i", "t"),
    "ar": ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"),
}
# Snowball's rule: a German plural or genitive s follows only these letters.
GERMAN_S_BEFORE = set("bdfghklmnrt")
STACKING = {"tr", "sq"}
# Turkish softens a final consonant before a vowel ending ("denklik", "denkliği"): harden it back.
TURKISH_HARDENING = str.maketrans({"ğ": "k", "b": "p", "c": "ç", "d": "t"})
# Arabic: the article and the clitics before it (Larkey's light10), then the conjunction alone.
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # short vowels, shadda, sukun, tatweel
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})
# A word: letters and digits with the combining marks inside it (Arabic short vowels, a decomposed
# accent), which plain \w would split the word at.
WORD = re.compile(r"(?:\w|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])+")


def words(text: str) -> list[str]:
    # "İ" would casefold to "i" plus a combining dot; Turkish means a plain "i".
    return WORD.findall(unicodedata.normalize("NFC", text).replace("İ", "i").casefold())


def stem(word: str, language: str) -> str:
    """The stem of one lower-cased word (a word of another script or language passes through nearly
    unchanged: endings are matched as written)."""
    if language == "ar":
        return _arabic(word)
    if language == "ru":
        word = word.replace("ё", "е")
    if language == "tr":
        word = word.replace("ı", "i")  # readers type "i" for both on many keyboards
    cut = _cut(word, ENDINGS.get(language, ()))
    if language == "de" and cut == word and word.endswith("s") and word[-2:-1] in GERMAN_S_BEFORE:
        cut = _cut(word, ("s",))  # "Tags" but not "Abschluss"
    word = cut
    if language in STACKING:
        # Endings stack ("denkliğinin", "shtëpinë"): cut once more.
        word = _cut(word, ENDINGS[language])
    if language == "tr":
        word = word[:-1] + word[-1].translate(TURKISH_HARDENING)
    return word


def stems(text: str, language: str) -> list[str]:
    return [stem(word, language) for word in words(text)]


def _cut(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def _arabic(word: str) -> str:
    word = ARABIC_MARKS.sub("", word).translate(ARABIC_LETTERS)
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    else:
        if word.startswith("و") and len(word) > 3:
            word = word[1:]
    for ending in ENDINGS["ar"]:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return word
