"""Tools for the every-page leftover test (issue 18, point 3): the text a reader sees on a page, the
strings that belong to another language's catalogue, and raw codes.

A page in language L fails on
- a foreign string: a fragment of a translation (msgstr) of another language that is not also valid
  in L, e.g. "- Option auswählen -" (Wagtail's German) on an Albanian page;
- an English source string (msgid) left standing although L's catalogue translates it;
- a raw code: a role, language, topic or choice value of a model standing alone ("Deine Rollen:
  counselor", "tr").
The catalogues are Django's merged ones (this project's locale/, every installed app's, Django's own),
so third-party strings count like ours.
"""

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from django.apps import apps
from django.conf import settings
from django.utils.translation import get_language_info, trans_real

from hub.roles import Role
from hub.topics import Topic

CODES = [code for code, _name in settings.LANGUAGES]
MIN_LENGTH = 12  # shorter fragments ("Name", "E-Mail") are shared between languages too often
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]*>|\n|&\w+;")
_SPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")


def fragments(text: str) -> set[str]:
    """The pieces of a catalogue string between placeholders and tags, long enough to tell apart."""
    found = set()
    for piece in _PLACEHOLDER.split(text):
        piece = _SPACE.sub(" ", piece).strip(" .,:;")
        if len(piece) >= MIN_LENGTH and _LETTER.search(piece):
            found.add(piece)
    return found


def _catalog(language: str) -> dict[str, str]:
    """msgid -> msgstr of the language's merged catalogue (contexts and plural forms folded in)."""
    merged: dict[str, str] = {}
    catalog = trans_real.translation(language)._catalog
    for key, msgstr in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04", 1)[-1]
        if msgid and msgstr:
            merged.setdefault(msgid, msgstr)
    return merged


@dataclass
class Index:
    """For one page language: fragments to look for, keyed by their first MIN_LENGTH characters."""

    language: str
    by_prefix: dict[str, list[tuple[str, str]]]  # prefix -> [(fragment, why it is wrong here)]
    valid: set[str]  # fragments of L's own translations (and of the sources on English pages)

    def offences(self, text: str) -> list[str]:
        found = []
        for match in _WORD_START.finditer(text):
            start = match.start()
            for fragment, why in self.by_prefix.get(text[start : start + MIN_LENGTH], ()):
                end = start + len(fragment)
                whole = text.startswith(fragment, start) and not _word_char(text, end)
                if whole and not self._covered(fragment):
                    found.append(f"{why}: {fragment!r}")
        return found

    def _covered(self, fragment: str) -> bool:
        """A valid string of this language may contain a foreign fragment (Russian inside Ukrainian)."""
        return any(fragment in valid for valid in self.valid if len(valid) > len(fragment))


_WORD_START = re.compile(r"(?<!\w)\S")


def _word_char(text: str, position: int) -> bool:
    return position < len(text) and (text[position].isalnum() or text[position] == "_")


@cache
def index_for(language: str) -> Index:
    catalogs = {code: _catalog(code) for code in CODES}
    own = catalogs[language]
    valid = set().union(*(fragments(msgstr) for msgstr in own.values()))
    if language == "en":
        valid |= set().union(*(fragments(msgid) for msgid in own))
        valid |= set().union(*(fragments(msgid) for catalog in catalogs.values() for msgid in catalog))
    wrong: dict[str, str] = {}
    for code, catalog in catalogs.items():
        if code == language:
            continue
        for msgid, msgstr in catalog.items():
            if msgstr != msgid:
                for fragment in fragments(msgstr) - valid:
                    wrong.setdefault(fragment, f"{code} string")
    if language != "en":
        # An English source string standing where this language's catalogue has its translation.
        for msgid, msgstr in own.items():
            if msgstr != msgid:
                for fragment in fragments(msgid) - valid:
                    wrong.setdefault(fragment, "untranslated English")
    by_prefix: dict[str, list[tuple[str, str]]] = {}
    for fragment, why in wrong.items():
        by_prefix.setdefault(fragment[:MIN_LENGTH], []).append((fragment, why))
    return Index(language, by_prefix, valid)


@cache
def raw_codes() -> frozenset[str]:
    """Values that must never reach a reader as they are stored: roles, languages, topics and every
    choice value of this project's models (statuses, channels, kinds, modes…)."""
    codes = set(Role.values) | set(CODES) | set(Topic.values)
    ours = {
        config.label for config in apps.get_app_configs() if not config.name.startswith(("django", "wagtail"))
    }
    for model in apps.get_models():
        if model._meta.app_label not in ours:
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]+", value):
                    codes.add(value)
    return frozenset(codes)


_SEPARATORS = re.compile(r"[:,;·•|()\[\]–—]")


@cache
def _whole_strings(language: str) -> frozenset[str]:
    """The language's translations as they stand: a help text may name codes on purpose ("e.g. de, ar")."""
    catalog = _catalog(language)
    strings = set(catalog.values()) | (set(catalog) if language == "en" else set())
    return frozenset(_SPACE.sub(" ", string).strip() for string in strings)


def code_offences(nodes: list[str], language: str) -> list[str]:
    """Text pieces (between separators) that are exactly a stored code, or snake_case codes anywhere."""
    codes, found, whole = raw_codes(), [], _whole_strings(language)
    for node in nodes:
        if node in whole or node.rstrip(" :") in whole or "://" in node:
            continue
        for piece in _SEPARATORS.split(node):
            piece = piece.strip(" .!?\u200e\u200f\u2068\u2069")
            if piece in codes and piece not in whole:  # English "new", "open" are labels as well as codes
                found.append(f"raw code {piece!r} in {node[:80]!r}")
        for word in re.findall(r"\b[a-z]+_[a-z_]+\b", node):
            if word in codes:
                found.append(f"raw code {word!r} in {node[:80]!r}")
    return found


# Text a reader gets from these attributes (screen readers read them; browsers show them).
_TEXT_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
_SKIPPED = {"script", "style"}
# Where text is not the page's own words: code samples, and what the user typed into a field.
_VERBATIM = {"code", "kbd", "pre", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TextParser(HTMLParser):
    """The visible text nodes of a page in its own language: scripts, styles and elements marked with
    another language (the language menu's own names, content shown in its language) are left out."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language, self.nodes, self._stack = language, [], []

    def _skipping(self):
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").split("-")[0]
        skip = tag in _SKIPPED | _VERBATIM or (lang and lang != self.language and tag != "html")
        if not skip and not self._skipping():
            for name in _TEXT_ATTRIBUTES:
                if attrs.get(name):
                    self.nodes.append(attrs[name])
            if tag == "input" and (attrs.get("type") or "") in ("submit", "button") and attrs.get("value"):
                self.nodes.append(attrs["value"])
        if tag not in _VOID:
            self._stack.append((tag, bool(skip)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data):
        text = _SPACE.sub(" ", data).strip()
        if text and not self._skipping():
            self.nodes.append(text)


def visible_text(html: str, language: str) -> list[str]:
    parser = _TextParser(language)
    parser.feed(html)
    return parser.nodes


def own_name_offences(text: str, language: str) -> list[str]:
    """Another language's own name ("Deutsch") outside an element marked with that language: the
    reader's word for it is wanted ("Gjermanisht")."""
    found = []
    for code in CODES:
        name = get_language_info(code)["name_local"]
        if code != language and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            found.append(f"{code} name in its own language: {name!r}")
    return found


def page_offences(html: str, language: str) -> list[str]:
    return text_offences(visible_text(html, language), language)


def text_offences(nodes: list[str], language: str) -> list[str]:
    """The offences of a page whose visible text (`visible_text`) is `nodes`."""
    text = "\n".join(nodes)
    found = index_for(language).offences(text) + code_offences(nodes, language)
    found += own_name_offences(text, language)
    return sorted(set(found))
