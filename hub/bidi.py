"""Bidirectional isolation: the one owner of how values of a fixed or unknown direction sit in a page.

In a right-to-left page the Unicode bidi algorithm reorders neutral characters around numbers and Latin
words: "+49 30 1234567" reads "1234567 30 49+", "12043 Berlin" reads "Berlin 12043", a German site name
or a username inside an Arabic sentence takes the sentence's full stop onto the wrong side. Isolating the
value (`<bdi>`, or `dir` on its element) makes it one neutral block for the text around it and lays it
out in its own direction – in every language, since an Arabic username inside a German sentence has the
mirrored problem.

Two kinds of value:
- always left-to-right (phone numbers, postcodes, e-mail addresses, URLs, codes: case codes, verification
  codes, recovery codes, TOTP keys, reference numbers): `ltr()`, in templates `{{ site.phone|ltr }}`;
- of unknown direction (usernames, nicknames, staff display names, a German site name, anything a person
  typed): `isolated()`, in templates `{{ user.username|isolated }}` (`<bdi dir="auto">`, the direction
  taken from the value's first strong character). A block of user text (a message body, a forum post)
  gets `dir="auto"` on its own element instead.

Form inputs get the same treatment in one place, `BidiBoundField` (installed for every form through
`FORM_RENDERER`): inputs for phone numbers, postcodes, e-mail addresses, URLs and codes are `dir="ltr"`
(hub.css aligns them with the page in right-to-left), free text and names `dir="auto"`.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html

from hub import widget_html


def ltr(value) -> str:
    """A value that is left-to-right whatever the page's direction; empty stays empty (so that
    `{% if %}` and `|default` keep working around it)."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def isolated(value) -> str:
    """A value of unknown direction: isolated from the sentence, laid out by its own first strong
    character."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="auto">{}</bdi>', value)


# Inputs whose content is left-to-right in every language: by input type, autocomplete token or name.
LTR_INPUT_TYPES = frozenset({"email", "tel", "url"})
LTR_AUTOCOMPLETE = frozenset({"email", "tel", "postal-code", "one-time-code", "url"})
LTR_FIELD_NAMES = frozenset({"phone", "postcode", "zip", "email", "code", "url", "key", "case"})
# Inputs for names and text a person types in whatever script they write.
AUTO_FIELD_NAMES = frozenset({"username", "login", "display_name", "pseudonym", "nickname", "actor"})


def input_direction(name: str, widget) -> str:
    """'ltr', 'auto' or '' (leave the input to the page's direction) for a form field's widget."""
    if widget.is_hidden or getattr(widget, "input_type", None) in {"password", "checkbox", "radio"}:
        return ""
    attrs = widget.attrs
    input_type = attrs.get("type") or getattr(widget, "input_type", None)
    autocomplete = str(attrs.get("autocomplete", "")).split(" ")[-1]
    if input_type in LTR_INPUT_TYPES or autocomplete in LTR_AUTOCOMPLETE or name in LTR_FIELD_NAMES:
        return "ltr"
    if name in AUTO_FIELD_NAMES or widget.__class__.__name__ == "Textarea":
        return "auto"
    return ""


class BidiBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if "dir" not in attrs and "dir" not in widget.attrs:
            direction = input_direction(self.name, widget)
            if direction:
                attrs["dir"] = direction
        return attrs


class FormRenderer(DjangoTemplates):
    """Django's default renderer; every form's fields get their input direction from BidiBoundField, and
    Django's own widget templates are written in Python (hub/widget_html.py: the same HTML)."""

    bound_field_class = BidiBoundField

    def render(self, template_name, context, request=None):
        html = widget_html.render(template_name, context)
        return super().render(template_name, context, request) if html is None else html
