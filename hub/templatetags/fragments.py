"""`{% fragment "name" depends="forum" vary1 vary2 %}…{% endfragment %}`: a part of a page that every
visitor sees alike, rendered once per language, time zone, vary values and version of the data it shows
(hub/fragments.py). Output holding a CSRF field or the request's CSP nonce is refused: those differ per
request and must stay outside.

`unless=<expression>`: when it is true, the part is rendered afresh and not kept.

A fragment holds no `{% block %}` and no other fragment (refused when the template is read): one kept
text cannot carry what each child template puts into a block. So the search for blocks that Django makes
on every render of a page that extends base.html does not walk into fragments (two thirds of its nodes).

`{% fresh %}…{% endfresh %}` inside a fragment (in its own template, not in a loop): rendered anew on every
request, while the fragment keeps what lies around it (e.g. the main navigation, the same for everyone
of a kind on an address, around a signed-in person's sign-out form with its CSRF token)."""

import re
import uuid
from contextvars import ContextVar

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe

from hub import fragments

register = template.Library()

# While a fragment is built, its fresh parts render as this marker with their number; the kept value is
# the text around them with the numbers in their places. NUL never reaches a page (hub/input_guard.py).
_MARK = f"\x00fresh-{uuid.uuid4().hex}-"
_MARKED = re.compile(re.escape(_MARK) + r"(\d+)\x00")
_building: ContextVar[bool] = ContextVar("fragment_building", default=False)


class FreshNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist, self.number = nodelist, 0

    def render(self, context):
        if _building.get():
            return f"{_MARK}{self.number}\x00"
        return self.nodelist.render(context)


class FragmentNode(template.Node):
    child_nodelists = ()  # no block inside (do_fragment): the block search need not look in

    def __init__(self, nodelist, name, depends: tuple[str, ...], vary, unless=None):
        self.nodelist, self.name, self.depends, self.vary = nodelist, name, depends, vary
        self.unless = unless
        self.fresh = nodelist.get_nodes_by_type(FreshNode)
        for number, node in enumerate(self.fresh):
            node.number = number

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = tuple(value.resolve(context) for value in self.vary)

        def build() -> str | tuple:
            token = _building.set(bool(self.fresh))
            try:
                html = str(self.nodelist.render(context))
            finally:
                _building.reset(token)
            nonce = context.get("csp_nonce")
            if "csrfmiddlewaretoken" in html or (nonce and str(nonce) in html):
                raise ImproperlyConfigured(f"fragment {name!r} holds a CSRF token or the CSP nonce")
            if not self.fresh:
                return html
            # Text and fresh parts' numbers, alternating: "a", 0, "b" for "a{% fresh %}…{% endfresh %}b".
            return tuple(int(part) if odd else part for odd, part in _alternating(_MARKED.split(html)))

        kept = fragments.cached(name, depends=self.depends, vary=vary, build=build)
        if isinstance(kept, tuple):
            parts = (part if isinstance(part, str) else self.fresh[part].render(context) for part in kept)
            kept = "".join(parts)
        return mark_safe(kept)  # noqa: S308


def _alternating(parts: list[str]):
    return ((index % 2 == 1, part) for index, part in enumerate(parts))


@register.tag("fresh")
def do_fresh(parser, token):
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)


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
    if nodelist.get_nodes_by_type(BlockNode) or nodelist.get_nodes_by_type(FragmentNode):
        raise template.TemplateSyntaxError("a {% fragment %} holds no {% block %} and no other fragment")
    return FragmentNode(nodelist, parser.compile_filter(bits[0]), depends, vary, unless)


@register.filter
def visible_initial(form) -> tuple:
    """What a blank form's visible fields are rendered from (their names and initial values), for the key
    of a fragment that holds them: a per-person initial value then never serves another person."""
    return tuple((field.name, str(field.initial)) for field in form.visible_fields())
