"""Absolute links to pages of the portal, for text that leaves the page: a link pasted into a reply, a
QR code, a printed certificate, a short link for a poster.

Where there is a request, the link uses the host the request came to (validated by ALLOWED_HOSTS), so a
portal opened under its public name never hands out the embedded default's 127.0.0.1:8000. Without one
(mails and other Celery tasks) the configured SITE_URL is the only name there is.
"""

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, *, request: HttpRequest | None = None) -> str:
    """`path` ("/de/…", from reverse() or a page's url) as an absolute URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path
