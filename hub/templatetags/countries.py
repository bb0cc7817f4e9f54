"""`{{ code|country_name }}`: a stored country code as the reader's name for it (hub/countries.py)."""

from django import template

from hub.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return _country_name(code or "")
