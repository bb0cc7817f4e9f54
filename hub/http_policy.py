"""HTTP-level rules for every response that no view should have to remember.

- TRACE (and Microsoft's TRACK) echo a request back; nothing here needs them, so they get 405.
- ``Cross-Origin-Resource-Policy: same-origin``: no other site may embed our pages, images or files
  (a counseling attachment or a QR code cannot be pulled into a foreign page's context).
"""

from django.http import HttpResponseNotAllowed

REFUSED_METHODS = {"TRACE", "TRACK"}
ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]


class HttpPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
