"""The one date filter of every template and mail: `{% load dates %}{{ value|when:"weekday_datetime" }}`.

Forms and locales are `hub.dates`'s; the output is plain text, so the template wraps it as needed
(`<time datetime="{{ value|date:'c' }}">…</time>` keeps the machine-readable ISO form beside it).
"""

from django import template

from hub.dates import format_when

register = template.Library()


@register.filter
def when(value, form="datetime"):
    return format_when(value, form)
