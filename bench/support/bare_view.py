"""The portal's ASGI application plus one bare Django view, for bench/staff_pages.py only.

`/bench-bare/` goes through the same server command, settings and middleware (session, authentication,
the staff guard's neighbours) as every page, and then does nothing: the floor a staff page is measured
against in the same run. The portal's own URLs are unchanged; every response carries a Server-Timing
header (bench/support/server_timing.py).
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

# Before the app is made (it reads MIDDLEWARE once): every response says its server time
# (bench/support/server_timing.py), so that figures on a busy machine can be read per request.
settings.MIDDLEWARE = ["bench.support.server_timing.ServerTimingMiddleware", *settings.MIDDLEWARE]

from hub import asgi  # noqa: E402
from hub import urls as hub_urls  # noqa: E402


@require_GET
def bare(request):
    return HttpResponse(b"<!DOCTYPE html><title>bare</title><p>ok</p>", content_type="text/html")


urlpatterns = [path("bench-bare/", bare), *hub_urls.urlpatterns]
settings.ROOT_URLCONF = __name__  # read per request by Django's handler

application = asgi.application
