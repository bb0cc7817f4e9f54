"""Stored codes as a reader's words: roles and languages are kept as codes ("counselor", "tr") and
shown through these functions (and the template filters of the same names in `{% load labels %}`),
never as they are (issue 18: "Deine Rollen: counselor").

Language names are the reader's word for the language ("Gjermanisht" on an Albanian page, not
"Deutsch"). A language's own name (Django's `language_name_local`) belongs only where the element
carries that language's `lang`, as in the language menu."""

from django.utils.translation import get_language_info

from hub.roles import Role


def role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def language_label(code: str) -> str:
    """The language's name in the active language; an unknown code stays as it is."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_labels(codes) -> str:
    """Language codes as the reader's names, comma-separated."""
    return ", ".join(language_label(code) for code in codes or ())
