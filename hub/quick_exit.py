"""Quick exit, the server's half: end the session and tell the browser to forget this site.

The page's script sends a beacon here (POST) and replaces its own history entry with the neutral page;
without JavaScript the button itself links here (GET) and is redirected there.

CSRF: the view is exempt on purpose. All it can do is end the caller's own session, the safe direction
(a forged request could at most sign someone out), and the session cookie is SameSite=Lax, so another
site's POST does not even carry it. A token in the beacon would make the exit fail exactly when it must
not: on a page without a form, with an expired token, or after the token cookie was cleared.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

# Drops what the browser keeps for this origin: cached pages (Back), storage (drafts) and cookies.
CLEAR_SITE_DATA = '"cache", "storage", "cookies"'


@csrf_exempt
@require_http_methods(["GET", "POST"])
def quick_exit(request):
    logout(request)  # flushes the session row, also for visitors who never signed in
    response = (
        HttpResponse(status=204)
        if request.method == "POST"
        else HttpResponseRedirect(settings.QUICK_EXIT_URL)
    )
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    response["Cache-Control"] = "no-store"
    return response
