"""`{% fragment "name" depends="forum" vary1 vary2 %}…{% endfragment %}`: a part of a page that every
visitor sees alike, rendered once per language, time zone, vary values and version of the data it shows
(hub/fragments.py). Output holding a CSRF field or the request's CSP nonce is refused: those differ per
request and must stay outside.

`unless=<expression>`: when it is true, the part is rendered afresh and not kept (e.g. the main navigation:
the same for every visitor, but a signed-in person's holds their sign-out form with its CSRF token)."""

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import mark_safe

from hub import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, depends: tuple[str, ...], vary, unless=None):
        self.nodelist, self.name, self.depends, self.vary = nodelist, name, depends, vary
        self.unless = unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = tuple(value.resolve(context) for value in self.vary)

        def build() -> str:
            html = self.nodelist.render(context)
            nonce = context.get("csp_nonce")
            if "csrfmiddlewaretoken" in html or (nonce and str(nonce) in html):
                raise ImproperlyConfigured(f"fragment {name!r} holds a CSRF token or the CSP nonce")
            return str(html)

        return mark_safe(fragments.cached(name, depends=self.depends, vary=vary, build=build))  # noqa: S308


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    depends: tuple[str, ...] = ()
    vary = []
    unless = None
    for bit in bits[1:]:
        if bit.startswith("unless="):
            unless = parser.compile_filter(bit.removeprefix("unless="))
        elif bit.startswith("depends="):
            depends = tuple(part for part in bit.removeprefix("depends=").strip("\"'").split(",") if part)
            unknown = set(depends) - set(fragments.NAMESPACES)
            if unknown:
                raise template.TemplateSyntaxError(f"unknown fragment namespaces: {sorted(unknown)}")
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[0]), depends, vary, unless)


@register.filter
def visible_initial(form) -> tuple:
    """What a blank form's visible fields are rendered from (their names and initial values), for the key
    of a fragment that holds them: a per-person initial value then never serves another person."""
    return tuple((field.name, str(field.initial)) for field in form.visible_fields())
