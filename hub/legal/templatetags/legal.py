"""The footer's links to the legal pages, for the base template (which must not import the apps above hub)."""

from django import template
from django.urls import reverse

from hub.legal.selectors import legal_kinds_live, legal_links

register = template.Library()


@register.simple_tag
def legal_footer_links() -> list[dict]:
    return legal_links()


@register.simple_tag
def legal_url(kind: str) -> str:
    """The address of one legal page in the active language, or "" while it is not published."""
    return reverse("legal:page", kwargs={"kind": kind}) if kind in legal_kinds_live() else ""
