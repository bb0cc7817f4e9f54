"""What a post may contain: contact details that would identify a young person, and the watched words
moderators maintain. Pure functions over text; the services decide what follows."""

import re
from dataclasses import dataclass, field

from counseling.forum import contact_details
from counseling.forum.models import HoldReason, WatchedWord


def contact_reasons(text: str, *, language: str = "de") -> list[str]:
    """Which kinds of contact details the text seems to contain (phone, e-mail, social); how each is
    recognised in the eight languages lives in contact_details.py."""
    text = contact_details.normalise(text)
    reasons = []
    if contact_details.has_phone(text, language):
        reasons.append(HoldReason.PHONE)
    if contact_details.has_email(text):
        reasons.append(HoldReason.EMAIL)
    if contact_details.has_social(text):
        reasons.append(HoldReason.SOCIAL)
    return [str(reason) for reason in reasons]


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
