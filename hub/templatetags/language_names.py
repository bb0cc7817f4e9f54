"""{{ code|language_name_for_reader }}: a language's name in the reader's language (hub/language_names.py)."""

from django import template

from hub.language_names import language_name_for_reader as name_for_reader

register = template.Library()


@register.filter
def language_name_for_reader(code) -> str:
    return name_for_reader(str(code)) if code else ""
