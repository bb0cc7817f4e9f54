"""`{% referral_field %}`: the campaign referral code as a hidden form field, so that it travels from a
landing page's link (?ref=) through the form to the count – never in a cookie or the session."""

import re

from django import template
from django.utils.html import format_html

register = template.Library()
_CODE = re.compile(r"^[a-z0-9]{4,16}$")


@register.simple_tag(takes_context=True)
def referral_field(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    code = request.POST.get("ref") or request.GET.get("ref") or ""
    return format_html('<input type="hidden" name="ref" value="{}">', code) if _CODE.match(code) else ""
