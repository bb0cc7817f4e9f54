"""NUL bytes stop at the door.

PostgreSQL refuses NUL (U+0000) in text, so a ``%00`` that reaches a query is a server error (SQLite
doesn't care, so only PostgreSQL shows it). No person types a NUL and no field of ours means one, so
rather than patching each view this middleware, placed before the session is read, takes it out:

- from the values and names of query parameters and form fields (and uploaded file names): nothing a
  person meant is lost, the form goes through or comes back with its ordinary messages;
- cookies with a NUL are dropped (none of ours carries one; a forged session cookie would otherwise
  reach the session table);
- a NUL in the path itself gets a translated 400 page: no address of ours contains one.
"""

from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

NUL = "\x00"
# The 400 page has no script and no inline style; it is answered before Django's CSP middleware runs.
_BAD_REQUEST_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            return bad_request(request)
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value for name, value in request.COOKIES.items() if NUL not in name and NUL not in value
            }
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or NUL in query:
            request.GET = _without_nul(request.GET)
        if request.method not in ("GET", "HEAD", "OPTIONS") and _is_form(request):
            # Reading POST here parses the body as Django's CSRF middleware would a moment later.
            request.POST = _without_nul(request.POST)
            for upload in request.FILES.values():
                upload.name = upload.name.replace(NUL, "")
        return self.get_response(request)


def _is_form(request) -> bool:
    content_type = request.content_type or ""
    return content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _without_nul(data: QueryDict) -> QueryDict:
    if not any(NUL in key or any(NUL in value for value in values) for key, values in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


def bad_request(request):
    from django.http import HttpResponseBadRequest

    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "hub/bad_request.html", {"LANGUAGE_BIDI": translation.get_language_bidi()}, request=None
        )
    response = HttpResponseBadRequest(body)
    response["Content-Security-Policy"] = _BAD_REQUEST_CSP
    return response
