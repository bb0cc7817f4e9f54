"""User content carries its language (WCAG 3.1.2): a counselor's reply in Russian on a German page, a site
description shown in German on an Arabic page. Screen readers then read it in the right voice, and
`dir="auto"` lets a right-to-left text run right-to-left inside a left-to-right page (and the reverse).

    <div class="body"{% content_lang case.language %}>…</div>
    <p{% translated_lang site "description" %}>{{ site.description }}</p>
"""

import re

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

# A language tag as the data stores it (de, ru, kk, pt-BR…); anything else gets no attribute at all.
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")


@register.simple_tag
def content_lang(code) -> str:
    code = str(code or "").strip()
    if not _LANGUAGE_TAG.fullmatch(code):
        return ""
    return format_html(' lang="{}" dir="auto"', code)


@register.simple_tag
def translated_lang(obj, field: str) -> str:
    """For a field translated with modeltranslation: the language of the value actually shown – the
    reader's, or German (the fallback) where the translation is missing."""
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    shown = active if getattr(obj, f"{field}_{active}", None) else settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return content_lang(shown)
