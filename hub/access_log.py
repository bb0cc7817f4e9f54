"""The access log: one line per request with method, URL pattern, status and duration.

uvicorn's own access log runs off (``--no-access-log``; LOGGING silences ``uvicorn.access`` as well):
its lines carry the client address and the full URL with the query, so search words, case ids and
certificate codes would land in the log. Here the line names the URL *pattern* the request matched
(``de/staff/cases/<int:case_id>/``), never the address, the query string, the path's values or the user.
"""

import logging
import time

logger = logging.getLogger("hub.access")


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else "-"
        logger.info(
            "%s %s %s %dms",
            request.method,
            route,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response
