"""Every template shows phone numbers, postcodes, e-mail addresses, codes and people's names isolated
(hub/bidi.py), so a right-to-left page cannot reorder them: enumerates every template file of the
project, every `{{ … }}` in element text and every `{% blocktranslate with … %}` value."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.base import Lexer, TokenType

BASE_DIR = Path(settings.BASE_DIR)
# The shared folder and the templates of every project app (not those of installed packages).
TEMPLATE_DIRS = [BASE_DIR / "templates"] + [
    Path(app.path) / "templates"
    for app in apps.get_app_configs()
    if Path(app.path).is_relative_to(BASE_DIR) and ".venv" not in Path(app.path).parts
]

# The last name of a variable's path that marks a value to isolate, whatever object it comes from.
ISOLATE_BY_NAME = {
    "phone",
    "postcode",
    "email",
    "username",
    "pseudonym",
    "author_name",
    "get_full_name",
    "get_short_name",
    "holder_name",
    "public_id",  # a case code, in full or its first 8 hex digits (`case.public_id.hex|slice:":8"`)
    "hex",
    "target_id",
}
# Paths whose last name is too common to judge alone (`number` is also a page number).
ISOLATE_BY_PATH = {"callback.number", "item.number", "row.code", "line.author", "message.from", "offer.link"}
# Objects whose printed name is German wherever it stands: an organisation ("… e. V.") in an Arabic page
# gets its full stop on the wrong side unless isolated.
ISOLATE_BY_PART = {"provider_group"}
ISOLATING_FILTERS = {"ltr", "isolated"}
# Text a person wrote (a message, a note, a forum post): its block takes its direction from its content.
# (A CMS text – a quality standard's body – is written in the page's language and exempt.)
USER_TEXT_PATHS = {"message.text"}
USER_TEXT_PATHS_EXEMPT = {"standard.current.body"}
# Tags that print a code or a name themselves.
CODE_TAGS = {"short_url"}
# Plain-text templates (mails, .ics, .txt) are not HTML: bidi there is the mail client's.
HTML_SUFFIXES = {".html"}


def _variable_and_filters(expression: str) -> tuple[str, list[str]]:
    parts = [part.strip() for part in expression.split("|")]
    filters = [part.split(":")[0].strip() for part in parts[1:]]
    return parts[0], filters


def _needs_isolation(variable: str) -> bool:
    if variable.startswith(("form.", "field.")) or "_form." in variable:
        return False  # a bound field renders an <input>: hub.bidi.BidiBoundField sets its direction
    parts = variable.split(".")
    return parts[-1] in ISOLATE_BY_NAME or variable in ISOLATE_BY_PATH or bool(ISOLATE_BY_PART & set(parts))


def _inside_tag(text_before: str) -> bool:
    """True when the text so far ends inside an HTML tag (an attribute value: href="tel:{{ … }}")."""
    return text_before.rfind("<") > text_before.rfind(">")


def _isolated_by_markup(text_before: str) -> bool:
    """Inside an open <bdi> (`<bdi dir="ltr">{{ site.postcode }} {{ site.town }}</bdi>`) or <title>
    (plain text, where markup would show as text; the tab title is the browser's to lay out)."""
    return any(text_before.count(f"<{tag}") > text_before.count(f"</{tag}>") for tag in ("bdi", "title"))


def _is_user_text(variable: str) -> bool:
    if variable in USER_TEXT_PATHS_EXEMPT or variable.startswith(("form.", "field.")):
        return False
    return variable.split(".")[-1] == "body" or variable in USER_TEXT_PATHS


def _block_has_dir(text_before: str) -> bool:
    """The element the value stands in (the last tag opened before it) carries a dir attribute."""
    opening = [match for match in re.finditer(r"<[a-zA-Z][^>]*>", text_before)]
    return bool(opening) and " dir=" in opening[-1].group(0)


def _with_values(block: str) -> list[str]:
    """The values a translated sentence embeds; a name there (a German site or organisation name, a file
    name) is other-direction text inside the sentence in Arabic, so it is isolated like a username."""
    if not block.startswith(("blocktranslate", "blocktrans ")):
        return []
    return re.findall(r"\b\w+=(\S+)", block)


# Names in the reader's own language (a language's name), not other-direction text.
READERS_NAMES = {"notice.name"}


def _needs_isolation_in_sentence(variable: str) -> bool:
    return _needs_isolation(variable) or (variable.endswith(".name") and variable not in READERS_NAMES)


def unisolated_values(source: str) -> list[str]:
    found = []
    text = ""
    sentence = False  # inside {% blocktranslate %}: its {{ }} are placeholders, the values are in `with`
    title_block = False  # {% block title %} feeds <title>, plain text
    language_attributes = set()  # {% content_lang … as name %}: {{ name }} writes lang and dir="auto"
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            text += token.contents
        elif token.token_type == TokenType.VAR:
            variable, filters = _variable_and_filters(token.contents)
            if variable in language_attributes:
                text += ' dir="auto"'
                continue
            if _is_user_text(variable) and not (title_block or _inside_tag(text) or _block_has_dir(text)):
                found.append(f"line {token.lineno}: {{{{ {token.contents} }}}} needs dir=auto on its element")
            if (
                _needs_isolation(variable)
                and not ISOLATING_FILTERS & set(filters)
                and not (sentence or title_block or _inside_tag(text) or _isolated_by_markup(text))
            ):
                found.append(f"line {token.lineno}: {{{{ {token.contents} }}}}")
        elif token.token_type == TokenType.BLOCK:
            if token.contents.startswith(("content_lang", "translated_lang")):
                *_arguments, as_, name = token.contents.split()
                if as_ == "as":  # written later, where {{ name }} stands
                    language_attributes.add(name)
                else:
                    text += ' dir="auto"'  # the tags write lang and dir="auto" into the element they stand in
            sentence = sentence or token.contents.startswith("blocktrans")
            sentence = sentence and not token.contents.startswith("endblocktrans")
            title_block = title_block or token.contents == "block title"
            title_block = title_block and not token.contents.startswith("endblock")
            name, *arguments = token.contents.split()
            printed = name in CODE_TAGS or (name == "firstof" and any(map(_needs_isolation, arguments)))
            if printed and not (title_block or _isolated_by_markup(text) or _block_has_dir(text)):
                found.append(f"line {token.lineno}: {{% {token.contents[:60]} %}}")
            for value in _with_values(token.contents):
                variable, filters = _variable_and_filters(value)
                if _needs_isolation_in_sentence(variable) and not ISOLATING_FILTERS & set(filters):
                    found.append(f"line {token.lineno}: {{% {token.contents[:60]} … %}}")
    return found


def project_templates() -> list[Path]:
    return sorted(
        {path for directory in TEMPLATE_DIRS for path in directory.rglob("*") if path.suffix in HTML_SUFFIXES}
    )


def test_the_enumeration_sees_the_templates_that_show_such_values():
    names = {path.relative_to(BASE_DIR).as_posix() for path in project_templates()}
    assert {"templates/sites/site_detail.html", "templates/hub/youth_home.html"} <= names
    assert len(names) > 150


def test_the_check_finds_what_it_looks_for():
    assert unisolated_values("<p>{{ site.phone }}</p>")
    assert unisolated_values(
        "{% blocktranslate with name=user.username %}Hi {{ name }}{% endblocktranslate %}"
    )
    assert not unisolated_values("<p>{{ site.phone|ltr }}</p>")
    assert not unisolated_values('<a href="tel:{{ site.phone|cut:" " }}">')
    assert not unisolated_values(
        "{% blocktranslate with name=user.username|isolated %}{{ name }}{% endblocktranslate %}"
    )
    assert not unisolated_values("{{ form.phone }}")
    assert unisolated_values("<td>{% firstof case.youth.get_full_name case.public_id %}</td>")
    assert not unisolated_values('<bdi dir="auto">{% firstof case.youth.get_full_name %}</bdi>')
    assert unisolated_values("<code>{% short_url row.channel %}</code>")
    assert not unisolated_values('<code dir="ltr">{% short_url row.channel %}</code>')
    assert unisolated_values('<div class="body">{{ post.body|linebreaksbr }}</div>')
    assert not unisolated_values('<div class="body" dir="auto">{{ post.body|linebreaksbr }}</div>')
    assert not unisolated_values('<div class="body"{% content_lang case.language %}>{{ item.body }}</div>')
    kept = "{% content_lang case.language as body_lang %}"
    assert not unisolated_values(kept + '<div class="body"{{ body_lang }}>{{ item.body }}</div>')
    assert unisolated_values(kept + '<div class="body">{{ item.body }}</div>')
    assert not unisolated_values('<bdi dir="ltr">{{ site.postcode }} {{ site.town }}</bdi>')
    assert unisolated_values('<bdi dir="ltr">{{ site.postcode }}</bdi> {{ site.phone }}')
    assert not unisolated_values("{% block title %}{{ account.username }}{% endblock %}")
    assert not unisolated_values("{% blocktranslate with e=a.email|ltr %}For {{ e }}{% endblocktranslate %}")


def test_every_template_isolates_numbers_codes_addresses_and_names():
    problems = {}
    for path in project_templates():
        found = unisolated_values(path.read_text(encoding="utf-8"))
        if found:
            problems[path.relative_to(BASE_DIR).as_posix()] = found
    assert problems == {}
