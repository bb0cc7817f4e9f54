"""What a post may contain: contact details that would identify a young person, and the watched words
moderators maintain. Pure functions over text; the services decide what follows."""

import re
from dataclasses import dataclass, field

import phonenumbers

from counseling.forum.models import HoldReason, WatchedWord

_EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\]|\s+at\s+)\s*[\w-]+\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*[a-z]{2,}",
    re.IGNORECASE,
)
_SOCIAL_LINK = re.compile(
    r"\b(?:instagram\.com|instagr\.am|t\.me|telegram\.me|telegram\.dog|wa\.me|chat\.whatsapp\.com|"
    r"snapchat\.com|tiktok\.com|facebook\.com|fb\.com|fb\.me|m\.me|vk\.com|ok\.ru|discord\.gg|"
    r"discord\.com|twitter\.com|x\.com|threads\.net|signal\.me|viber\.com|youtube\.com/@)",
    re.IGNORECASE,
)
_SOCIAL_NAME = re.compile(
    r"\b(?:insta(?:gram)?|ig|snap(?:chat)?|sc|telegram|tg|tiktok|discord|whats\s?app|signal|viber|skype|"
    r"kik|facebook|fb|vk|threema|wechat|line)\s*[:=-]?\s*@?[\w.]{3,}",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[\w.]{3,}", re.UNICODE)
# Runs of digits a phone-number parser may not place (no country given): 8 or more digits.
_DIGITS = re.compile(r"(?:\+|00)?\d(?:[\s./()-]{0,2}\d){7,}")
# The phone-number regions tried besides Germany, by the language of the post.
_REGIONS = {"ru": "RU", "uk": "UA", "tr": "TR", "ar": "JO", "sq": "AL", "fr": "MA", "en": "GB"}


def contact_reasons(text: str, *, language: str = "de") -> list[str]:
    """Which kinds of contact details the text seems to contain (phone, e-mail, social)."""
    reasons = []
    if _has_phone(text, language):
        reasons.append(HoldReason.PHONE)
    if _EMAIL.search(text):
        reasons.append(HoldReason.EMAIL)
    if _SOCIAL_LINK.search(text) or _HANDLE.search(_EMAIL.sub(" ", text)) or _social_name(text):
        reasons.append(HoldReason.SOCIAL)
    return [str(reason) for reason in reasons]


def _social_name(text: str) -> bool:
    """ "snap: lena", "insta @lena" or "insta lena_09"; not "Signal words" (no separator, no handle)."""
    for match in _SOCIAL_NAME.finditer(text):
        found = match.group(0)
        handle = re.split(r"[\s:=@-]+", found)[-1]
        if re.search(r"[:=@]", found) or re.search(r"[\d_.]", handle):
            return True
    return False


_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


def _has_phone(text: str, language: str) -> bool:
    text = _DATE.sub(" ", text)  # "01.09.2025" is a date, not a number to call
    if _DIGITS.search(text):
        return True
    for region in {"DE", _REGIONS.get(language, "DE")}:
        matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
        if matcher.has_next():
            return True
    return False


@dataclass
class WordCheck:
    blocked: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    self_harm: bool = False


def _pattern(word: str) -> re.Pattern:
    """Whole words; a * at the end allows any ending, a * at the start any beginning (e.g. the Arabic
    article attached to a word)."""
    stem = word.strip().lower()
    start = "" if stem.startswith("*") else r"(?<!\w)"
    end = "" if stem.endswith("*") else r"(?!\w)"
    return re.compile(start + re.escape(stem.strip("*").strip()) + end, re.IGNORECASE)


def check_words(text: str, *, language: str) -> WordCheck:
    """The watched words of the post's language (and of every language) found in the text."""
    result = WordCheck()
    words = WatchedWord.objects.filter(language__in=["", language]).values_list("word", "action", "kind")
    for word, action, kind in words:
        if not _pattern(word).search(text):
            continue
        if action == WatchedWord.Action.BLOCK:
            result.blocked.append(word)
        else:
            result.held.append(word)
        if kind == WatchedWord.Kind.SELF_HARM:
            result.self_harm = True
    return result
