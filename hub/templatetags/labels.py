"""`{% load labels %}`: roles and languages as the reader's words (hub/labels.py)."""

from django import template

from hub import labels

register = template.Library()
register.filter("role_label", labels.role_label)
register.filter("language_label", labels.language_label)
register.filter("language_labels", labels.language_labels)
