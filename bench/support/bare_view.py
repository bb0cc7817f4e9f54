"""The portal's ASGI application plus one bare Django view, for bench/staff_pages.py only.

`/bench-bare/` goes through the same server command, settings and middleware (session, authentication,
the staff guard's neighbours) as every page, and then does nothing: the floor a staff page is measured
against in the same run. The portal's own URLs are unchanged.
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from hub import asgi
from hub import urls as hub_urls


@require_GET
def bare(request):
    return HttpResponse(b"<!DOCTYPE html><title>bare</title><p>ok</p>", content_type="text/html")


urlpatterns = [path("bench-bare/", bare), *hub_urls.urlpatterns]
settings.ROOT_URLCONF = __name__  # read per request by Django's handler

application = asgi.application
