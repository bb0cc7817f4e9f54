"""The one date filter of every template and mail: `{% load dates %}{{ value|when:"weekday_datetime" }}`.

Forms and locales are `hub.dates`'s; the output is plain text, so the template wraps it as needed
(`<time datetime="{{ value|iso }}">…</time>` keeps the machine-readable ISO form beside it).
"""

import datetime as dt

from django import template

from hub.dates import format_when, iso

register = template.Library()


@register.filter
def when(value, form="datetime"):
    # Like Django's own date filter, a value that is no date shows as nothing rather than a server error.
    if not isinstance(value, dt.date | dt.time):
        return ""
    return format_when(value, form)


# `{{ value|iso }}`: the machine's ISO form beside the people's, in <time datetime> (hub.dates.iso).
register.filter("iso", iso, is_safe=True)
