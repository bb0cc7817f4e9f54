"""The page shell (templates/base.html) for visitors comes partly from a fragment (issue 19): the main
navigation with the language switcher is kept per address and language. A signed-in person's is never
kept nor served to anyone else, and each address keeps its own switcher links (with its query)."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from hub import fragments

pytestmark = pytest.mark.django_db

SWITCHER_EN = re.compile(r'<a href="([^"]+)" lang="en"')


def test_unless_renders_afresh_and_keeps_nothing():
    fragments.local.clear()
    template = Template(
        '{% load fragments %}{% fragment "shell-test" unless=signed_in %}{{ value }}{% endfragment %}'
    )
    assert template.render(Context({"value": "first", "signed_in": False})) == "first"
    assert template.render(Context({"value": "second", "signed_in": False})) == "first"  # kept
    assert template.render(Context({"value": "own", "signed_in": True})) == "own"  # afresh
    assert template.render(Context({"value": "third", "signed_in": False})) == "first"  # not replaced


def test_each_address_keeps_its_own_switcher_links(client):
    for query in ("q=Wohnung", "q=Arbeit", "q=Wohnung"):
        html = client.get(f"/de/knowledge/?{query}").content.decode()
        assert SWITCHER_EN.search(html)[1] == f"/en/knowledge/?{query}"
    html = client.get("/de/forum/").content.decode()
    assert SWITCHER_EN.search(html)[1] == "/en/forum/"
    assert 'aria-current="true">Deutsch<' in html


def test_the_visitor_navigation_is_never_shown_to_a_signed_in_person(client, youth):
    visitor = client.get("/de/knowledge/").content.decode()
    assert "/de/accounts/login/" in visitor.split("</nav>")[0]
    client.force_login(youth)
    signed_in = client.get("/de/knowledge/").content.decode()
    nav = signed_in.split('class="main-nav"', 1)[1].split("</nav>")[0]
    assert 'name="csrfmiddlewaretoken"' in nav and "/de/accounts/login/" not in nav
    client.logout()
    again = client.get("/de/knowledge/").content.decode()
    nav = again.split('class="main-nav"', 1)[1].split("</nav>")[0]
    assert "csrfmiddlewaretoken" not in nav and "/de/accounts/login/" in nav


def test_a_fragment_of_no_data_reads_no_versions(monkeypatch):
    """The navigation and the blank forms show no stored data: their keys need no round trip to Redis."""
    fragments.local.clear()

    def no_round_trip():
        raise AssertionError("versions read for a fragment that depends on no data")

    monkeypatch.setattr(fragments, "versions", no_round_trip)
    template = Template('{% load fragments %}{% fragment "no-data" %}blank{% endfragment %}')
    assert template.render(Context({})) == "blank"
    with pytest.raises(AssertionError, match="versions read"):
        Template('{% load fragments %}{% fragment "data" depends="legal" %}x{% endfragment %}').render(
            Context({})
        )


def test_the_invariant_shell_is_kept_per_language(client):
    """The skip link, brand, quick exit and head links come from fragments (built once per language):
    each language still gets its own words and addresses, whichever language was asked first."""
    fragments.local.clear()
    german = client.get("/de/forum/").content.decode()
    english = client.get("/en/forum/").content.decode()
    again = client.get("/de/forum/").content.decode()
    assert (
        "Zum Inhalt springen" in german and "Schnell weg" in german and 'class="brand" href="/de/"' in german
    )
    assert "Skip to content" in english and "Quick exit" in english and 'class="brand" href="/en/"' in english
    assert again == german.replace(_nonce(german), _nonce(again))
    kept = {key.split(":", 1)[0] for key in fragments.local.items}
    assert {"shell-links", "shell-app", "shell-brand", "shell-quick-exit"} <= kept


def test_the_shell_keeps_the_nonce_per_request(client):
    first, second = client.get("/de/forum/").content.decode(), client.get("/de/forum/").content.decode()
    assert _nonce(first) != _nonce(second)
    assert first.count(f'nonce="{_nonce(first)}"') == second.count(f'nonce="{_nonce(second)}"') >= 2


def _nonce(html: str) -> str:
    return re.search(r'nonce="([^"]+)"', html)[1]


def test_fresh_parts_are_rendered_per_request_and_the_rest_is_kept():
    fragments.local.clear()
    template = Template(
        '{% load fragments %}{% fragment "fresh-test" %}<{{ value }}|{% fresh %}{{ own }}{% endfresh %}|'
        "{% if value %}{% fresh %}[{{ own }}]{% endfresh %}{% endif %}>{% endfragment %}"
    )
    assert template.render(Context({"value": "kept", "own": "a"})) == "<kept|a|[a]>"
    assert template.render(Context({"value": "other", "own": "b"})) == "<kept|b|[b]>"
    with pytest.raises(ImproperlyConfigured):  # outside {% fresh %} a CSRF field is still refused
        Template('{% load fragments %}{% fragment "csrf-test" %}{% csrf_token %}{% endfragment %}').render(
            Context({"csrf_token": "secret"})
        )


def test_a_signed_in_navigation_is_kept_per_kind_of_person_with_each_requests_csrf_token(
    client, youth, other_youth, counselor
):
    """The signed-in navigation comes from the fragment too (issue 19): its sign-out form's CSRF token
    is each request's own, and staff, young people and visitors each get their own kind's links."""
    fragments.local.clear()
    tokens = []
    for person, link in ((youth, "/de/me/"), (counselor, "/de/staff/"), (other_youth, "/de/me/")):
        client.force_login(person)
        html = client.get("/de/knowledge/").content.decode()
        nav = html.split('class="main-nav"', 1)[1].split("</nav>")[0]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', nav)[1])
        assert f'href="{link}"' in nav and "/de/accounts/login/" not in nav
        assert ("/de/staff/" in nav) == (person == counselor)
        client.logout()
    assert len(set(tokens)) == 3


def test_a_fragment_holding_a_block_or_a_fragment_is_refused():
    """One kept text cannot carry what each child template puts into a block."""
    from django.template import TemplateSyntaxError

    for inner in ("{% block title %}{% endblock %}", '{% fragment "inner" %}x{% endfragment %}'):
        with pytest.raises(TemplateSyntaxError, match="holds no"):
            Template(f'{{% load fragments %}}{{% fragment "outer" %}}<p>{inner}</p>{{% endfragment %}}')


def test_the_block_search_of_a_page_does_not_walk_into_the_shells_fragments(rf, monkeypatch):
    """Every render of a page extending base.html searches base.html for blocks (Django's ExtendsNode);
    the fragments' nodes (most of the shell) are not searched, and every block is still found."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import Node, engines
    from django.template.loader import get_template

    from hub.templatetags.fragments import FragmentNode

    inside = set()
    for fragment in get_template("base.html").template.nodelist.get_nodes_by_type(FragmentNode):
        for node in fragment.nodelist:
            inside.update(id(found) for found in node.get_nodes_by_type(Node))
    assert inside
    searched = []
    real = Node.get_nodes_by_type

    def get_nodes_by_type(self, nodetype):
        searched.append(id(self))
        return real(self, nodetype)

    monkeypatch.setattr(Node, "get_nodes_by_type", get_nodes_by_type)
    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}T1{% endblock %}{% block content %}<p>C1</p>{% endblock %}'
    )
    request = rf.get("/de/")
    request.user = AnonymousUser()
    html = page.render({}, request)
    assert "T1 · JMD digital-hub" in html and "<p>C1</p>" in html and "quick-exit" in html
    assert searched and not inside.intersection(searched)
