"""`{% short_url channel %}`: a channel's short link on the host the page was opened under."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def short_url(context, channel) -> str:
    return channel.short_url(context.get("request"))
