"""Tools for the input fuzz tests: URL patterns from the resolver, the forms a page renders, the query
parameters a view reads, and the bad values sent to each of them."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus, urljoin, urlsplit

from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

# Raw, already percent-encoded, so that invalid UTF-8 reaches the server as it would from a client.
# "repeat" sends the parameter twice (a list where one value is expected).
BAD_VALUES = {
    "nul": "%00",
    "nul inside": "Hallo%00Welt",
    "overlong": "x" * 100_000,
    "invalid utf-8": "%ff%fe%ed%a0%80",
    "far date": quote_plus("9999-12-31T23:59"),
    "early date": "0001-01-01",
    "negative": "-1",
    "huge number": "99999999999999999999",
    "wrong type": quote_plus("[]{}<>'\";--"),
    "rtl and emoji": quote_plus("\u202e\u200fمرحبا 🙂👍🏽"),
    "repeat": None,
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, e.g. "counseling:case"
    route: str  # the pattern as written, e.g. "de/cases/<uuid:public_id>/"
    has_arguments: bool


def routes() -> list[Route]:
    return sorted(_walk(get_resolver().url_patterns), key=lambda route: route.route)


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name, route, bool(pattern.pattern.regex.groups))


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, default value), in page order

    @property
    def key(self):
        return (self.method, urlsplit(self.action).path, tuple(sorted({name for name, _ in self.fields})))


class _FormParser(HTMLParser):
    """Every <form> with its inputs, selects, textareas and named buttons, each with the value a person
    who just presses the button would send (the checked radio, the selected option, the first option)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.forms, self._form, self._select, self._textarea = page_url, [], None, None, None
        self._choices: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._form = Form((attrs.get("method") or "get").lower(), action)
            self._choices = set()
        if tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attrs):
            self._select[1] = attrs.get("value", "")
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "image", "reset", "file"):
                return
            value = attrs.get("value", "on")
            if kind == "radio":
                if name not in self._choices or "checked" in attrs:
                    self._form.fields = [(n, v) for n, v in self._form.fields if n != name] + [(name, value)]
                self._choices.add(name)
            elif kind == "checkbox":
                if name not in self._choices or "checked" in attrs:
                    self._form.fields.append((name, value))
                self._choices.add(name)
            else:
                self._form.fields.append((name, attrs.get("value") or ""))
        elif tag == "button" and attrs.get("value") and name not in self._choices:
            self._form.fields.append((name, attrs["value"]))
            self._choices.add(name)
        elif tag == "select":
            self._select = [name, None]
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], self._textarea[1]))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def forms_of(page_url: str, html: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def encode(pairs: list[tuple[str, str]], *, fuzz: str, bad: str | None) -> str:
    """A query string or form body with every field at its default, and `fuzz` set to the raw bad value."""
    parts, done = [], False
    for name, value in pairs:
        if name == fuzz and not done:
            done = True
            parts += _bad_parts(name, value, bad)
        elif name != fuzz:
            parts.append(f"{quote_plus(name)}={quote_plus(value)}")
    if not done:
        parts += _bad_parts(fuzz, "", bad)
    return "&".join(parts)


def _bad_parts(name: str, value: str, bad: str | None) -> list[str]:
    key = quote_plus(name)
    if bad is None:  # the same parameter twice: a valid value and a stray one
        return [f"{key}={quote_plus(value) or '1'}", f"{key}=x"]
    return [f"{key}={bad}"]


class ReadKeys:
    """Records the keys views look up in request.GET/POST, so the parameters a page understands are
    found from the code that runs rather than from a list someone must keep up to date."""

    _METHODS = ("__getitem__", "get", "getlist", "__contains__")

    def __init__(self, monkeypatch):
        self.keys: set[str] = set()
        for method in self._METHODS:
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._recording(original))

    def _recording(self, original):
        keys = self.keys

        def recorded(query_dict, key, *args, **kwargs):
            if isinstance(key, str) and _PARAMETER.match(key):
                keys.add(key)
            return original(query_dict, key, *args, **kwargs)

        return recorded


_PARAMETER = re.compile(r"^[\w\-\[\]]{1,60}$")


def unrecorded_templates(monkeypatch) -> None:
    """Renders templates without the test client's recording: under pytest-django every template render
    sends a signal and the client keeps a copy of each template's context (response.context). Tests that
    send thousands of requests and read only the status and the HTML spend a tenth of their time on that
    bookkeeping; the pages render the same."""
    from django.template import PartialTemplate, Template
    from django.test.utils import _TestState

    saved = _TestState.saved_data  # what setup_test_environment replaced
    monkeypatch.setattr(Template, "_render", saved.template_render)
    monkeypatch.setattr(PartialTemplate, "_render", saved.partial_template_render)


def starts_afresh(client, response) -> bool:
    """Whether the next request of this client's role needs a new client after `response`.

    A new session cookie ends an anonymous visitor's client (each visitor arrives without a session, and a
    POST may have signed it in); a signed-in client (`client.signed_in_as`: the user's pk as a string)
    only when the request signed it out or in as someone else. Staff pages renew the cookie on every
    request (the idle timer): signing in again after each was a fifth of the staff fuzz's time."""
    if "sessionid" not in response.cookies:
        return False
    signed_in_as = getattr(client, "signed_in_as", None)
    return signed_in_as is None or client.session.get("_auth_user_id") != signed_in_as
