"""Absolute links to pages of the portal, for text that leaves the page: a link pasted into a reply, a
QR code, a printed certificate, a short link for a poster.

Where there is a request, the link uses the host the request came to (validated by ALLOWED_HOSTS), so a
portal opened under its public name never hands out the embedded default's 127.0.0.1:8000. Without one
(mails and other Celery tasks) the configured SITE_URL is the only name there is.
"""

from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, *, request: HttpRequest | None = None) -> str:
    """`path` ("/de/…", from reverse() or a page's url) as an absolute URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def is_canonical_path(request: HttpRequest, canonical: str) -> bool:
    """Whether the request came in on `canonical`, a path from reverse(). reverse() percent-encodes
    ("bankkonto-er%C3%B6ffnen") while request.path is decoded ("bankkonto-eröffnen"): comparing them
    as they are redirects a page with an umlaut, ß, Cyrillic or Arabic slug to itself forever."""
    return request.path == unquote(canonical)
