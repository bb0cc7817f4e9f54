from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key], or an empty list (for "is this answer chosen?" in the quiz)."""
    return (mapping or {}).get(key, [])
