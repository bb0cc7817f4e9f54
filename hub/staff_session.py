"""The staff idle timeout, with a warning before it (WCAG 2.2.1 "Timing adjustable").

A staff session ends after STAFF_IDLE_TIMEOUT_SECONDS without a request the person made
(hub/middleware.py enforces it). STAFF_IDLE_WARNING_SECONDS before that, every staff page warns with a
button that keeps the session (`session_keep`, a POST; hub/assets/hub/js/session.js shows the warning).

- Requests a page makes by itself (live refreshes, the warning's own check of the time left) carry the
  header `X-Hub-Background: 1` and do not count as activity: otherwise an open inbox would keep an
  unattended session signed in for ever.
- When the session has ended, the login's `next` is a page the person can GET. After a POST — "Send"
  on a reply typed while the session ran out — that is the page the form was on (its Referer, same
  origin only), never the POST-only action, which answered 405 after signing in again. The text itself
  is kept in the browser (drafts in hub.js) and restored on that page.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

LAST_SEEN = "hub.last_seen"
BACKGROUND_HEADER = "X-Hub-Background"


def is_background(request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def idle_for(request, now: float) -> float:
    return now - request.session.get(LAST_SEEN, now)


def seconds_left(request, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return max(int(settings.STAFF_IDLE_TIMEOUT_SECONDS - idle_for(request, now)), 0)


def touch(request, now: float, *, force: bool = False) -> None:
    """Count a request as activity. Writing the session on every request would be wasteful: it is
    written when a tenth of the timeout (at most a minute) has passed, or when the person asked (force)."""
    precision = min(60, settings.STAFF_IDLE_TIMEOUT_SECONDS / 10)
    if force or LAST_SEEN not in request.session or idle_for(request, now) >= precision:
        request.session[LAST_SEEN] = now
        request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT_SECONDS)


def login_redirect(request):
    """To the login, coming back to a page that answers GET (see the module docstring). A background
    request gets a bare 401 instead: the page then goes to the login itself, and the redirect's login
    page does not use up the "signed out" notice meant for the person."""
    if is_background(request):
        return HttpResponse(status=401)
    return redirect(f"{reverse('account_login')}?next={return_path(request)}")


def return_path(request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.path
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = urlsplit(referer).path
        if path:
            return path
    return reverse("hub:staff_home")


def session_keep(request):
    """GET (a background check): the seconds left. POST ("Stay signed in"): start the idle time anew.
    Behind the staff-area guard, so a session that has already ended gets the login instead."""
    now = time.time()
    if request.method == "POST":
        touch(request, now, force=True)
        if not request.headers.get("Accept", "").startswith("application/json"):
            return redirect(return_path(request))  # without JavaScript: back to the page
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return JsonResponse({"seconds_left": seconds_left(request, now)}, headers={"Cache-Control": "no-store"})


def staff_session(request) -> dict:
    """Context processor: what a staff page's timeout warning needs."""
    from hub.roles import is_staff_member

    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and is_staff_member(user) and hasattr(request, "session")):
        return {}
    return {
        "staff_session": {
            "seconds_left": seconds_left(request),
            "warn_before": settings.STAFF_IDLE_WARNING_SECONDS,
            "return_to": return_path(request),  # where the page goes when the session has ended
        }
    }
