"""Whole youth pages kept for visitors who are not signed in (issue 19: youth pages at the speed of a
bare view). After the shared fragments (hub/fragments.py), what a visitor's page still cost was the
template work around them; a page that is the same for every visitor is now kept whole, per address.

Who gets a kept page, and whose page is kept — only a *visitor*: a GET with no cookie but the CSRF
cookie (no session, so nobody signed in and no pending messages) and not signed in. Anyone else, and every
other method, goes through the view as before and never reads or fills the store.

What is kept — only the view's own response (status, headers, body), and only when the view left no
trace of a person: status 200, HTML, no cookie set, the session untouched and empty, no message queued,
no response-specific CSP, and the view did not call `no_store()` (e.g. a search without hits, which is
recorded each time). The middleware around the view (session, CSRF, CSP, Vary, Cache-Control, the
signed-in no-store rule, gzip) runs on a kept page exactly as on a fresh one.

What differs per request is cut out when the page is kept and filled in afresh on the way out: every CSRF
token (found by unmasking: a 64-character token that opens to this request's CSRF secret; each visitor
gets a token of their own secret, and the CSRF cookie as usual), the CSP nonce, and values the view marks
with `per_request()` (the ask form's idempotency key). An attacker's text inside a page can never name a
hole: holes are positions, not placeholder strings.

When a page changes — the key names the versions of all fragment data (sites, knowledge, forum, legal;
read once per request), the address with its query, host and scheme, the language, the time zone and
what the view adds with `vary=` (the finder's minute, the chat's availability). A change of data draws a
new version, so the next request builds the page afresh in every process; pages live in this process's
memory (a bounded LRU), never in a shared cache.
"""

import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.translation import get_language

from hub import fragments

MAX_BYTES = 32 * 1024 * 1024  # per process; the least recently used pages go first
store = fragments._LocalStore(MAX_BYTES)

_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_NO_STORE = "_visitor_page_no_store"
_MARKED = "_visitor_page_marked"
_SKIPPED_HEADERS = {"content-length", "set-cookie"}


def is_visitor(request) -> bool:
    """A GET of someone with no session (so not signed in, no messages) and no cookie but the CSRF one."""
    return (
        request.method == "GET"
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
        and not request.user.is_authenticated
    )


def no_store(request) -> None:
    """This response must not be kept (the view did something per request, e.g. recorded a search)."""
    setattr(request, _NO_STORE, True)


def per_request(request, value, make: Callable[[], object]):
    """`value` goes into the page but must differ per request: on a kept page each of its places gets
    `make()` of the serving request. Returns `value`."""
    marked = getattr(request, _MARKED, None)
    if marked is None:
        marked = []
        setattr(request, _MARKED, marked)
    marked.append((str(value).encode(), make))
    return value


def visitor_page(view=None, *, vary: Callable | None = None):
    """Keeps the view's page for visitors (see the module's docstring). `vary(request)` names what else
    the page depends on; it must be cheap (it runs on every visitor's request)."""

    def decorate(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_visitor(request):
                return view(request, *args, **kwargs)
            key = _key(request, name, vary(request) if vary else ())
            kept = store.get(key)
            if kept is not None:
                return kept.serve(request)
            secret_born_here = "CSRF_COOKIE" not in request.META  # see _Kept.of
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            page = _Kept.of(request, response, secret_born_here=secret_born_here)
            if page is not None:
                store.set(key, page, page.size)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def _key(request, name: str, varied) -> str:
    current = fragments.versions()
    parts = [
        name,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        timezone.get_current_timezone_name(),
        *(f"{namespace}={current[namespace]}" for namespace in fragments.NAMESPACES),
        repr(varied),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class _Kept:
    """A page cut at its per-request places: text pieces between holes ("csrf", "nonce" or a maker)."""

    __slots__ = ("status", "headers", "pieces", "holes", "makers", "csrf_cookie", "size")

    @classmethod
    def of(cls, request, response, *, secret_born_here: bool) -> "_Kept | None":
        if not _storable(request, response):
            return None
        body = response.content
        places: list[tuple[int, int, object]] = []
        secret = request.META.get("CSRF_COOKIE")
        if secret:
            for match in _TOKEN.finditer(body):
                if _unmask_cipher_token(match.group().decode()) == secret:
                    if not secret_born_here:
                        # The visitor knew this secret before (their CSRF cookie): text they wrote into
                        # the page (a forum post) could be made to open to it and become a hole that shows
                        # the next visitor their token. Only a secret drawn now, unknown to anyone when
                        # the page's data was written, may cut a page.
                        return None
                    places.append((match.start(), match.end(), "csrf"))
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # a LazyNonce is true once the page used it
            places += [(start, end, "nonce") for start, end in _find(body, str(nonce).encode())]
        makers = []
        for value, make in getattr(request, _MARKED, ()):
            places += [(start, end, len(makers)) for start, end in _find(body, value)]
            makers.append(make)
        places.sort()
        if any(later[0] < earlier[1] for earlier, later in zip(places, places[1:], strict=False)):
            return None  # overlapping holes: not a page to cut
        kept = cls()
        kept.status = response.status_code
        kept.headers = tuple(
            (header, value) for header, value in response.items() if header.lower() not in _SKIPPED_HEADERS
        )
        kept.pieces, kept.holes, position = [], [], 0
        for start, end, hole in places:
            kept.pieces.append(body[position:start])
            kept.holes.append(hole)
            position = end
        kept.pieces.append(body[position:])
        kept.makers = tuple(makers)
        kept.csrf_cookie = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        kept.size = len(body) + 512
        return kept

    def serve(self, request) -> HttpResponse:
        values = {}
        if self.csrf_cookie or "csrf" in self.holes:
            values["csrf"] = get_token(request).encode()  # and the CSRF cookie, as on a fresh page
        if "nonce" in self.holes:
            values["nonce"] = str(request._csp_nonce).encode()
        for index, make in enumerate(self.makers):
            values[index] = str(make()).encode()
        parts = [self.pieces[0]]
        for hole, piece in zip(self.holes, self.pieces[1:], strict=True):
            parts += (values[hole], piece)
        response = HttpResponse(b"".join(parts), status=self.status)
        for header, value in self.headers:
            response.headers[header] = value
        return response


def _find(body: bytes, value: bytes):
    start = body.find(value) if value else -1
    while start != -1:
        yield start, start + len(value)
        start = body.find(value, start + len(value))


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not getattr(request, _NO_STORE, False)
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not hasattr(response, "_csp_config")
        and not hasattr(response, "_csp_ro_config")
        and "Cache-Control" not in response  # a view that limits caching keeps its page to itself
        and session is not None
        and not session.modified
        and session.is_empty()
        and not getattr(messages, "_queued_messages", None)
        and not request.user.is_authenticated
    )
