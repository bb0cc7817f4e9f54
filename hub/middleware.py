import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.roles import is_staff_member

# Staff pages: /<lang>/staff/... (our staff area) and the Wagtail admin under /staff/cms/.
STAFF_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?staff/")
_LAST_SEEN = "hub.last_seen"


class AdminCSPMiddleware:
    """Swap in the relaxed ADMIN_CSP for the Wagtail admin, which needs inline scripts and styles.

    Django's CSP middleware reads the policy from ``response._csp_config`` (what ``csp_override`` sets);
    doing it here covers every admin view without decorating Wagtail's URL tree.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.WAGTAIL_ADMIN_PATH

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            response._csp_config = settings.ADMIN_CSP
        return response


class StaffAreaMiddleware:
    """Guards every staff URL and staff session.

    - anonymous visitors on a staff URL go to the login page;
    - signed-in users without a staff role get 403;
    - staff without TOTP two-factor authentication are sent to set it up first;
    - a staff session ends after STAFF_IDLE_TIMEOUT_SECONDS without a request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and is_staff_member(user):
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Writing the session on every request would be wasteful; a minute's precision is enough.
            if now - last_seen >= 60 or _LAST_SEEN not in request.session:
                request.session[_LAST_SEEN] = now
                request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT_SECONDS)
        if STAFF_PATH.match(request.path):
            denied = self._deny_staff_path(request)
            if denied is not None:
                return denied
        return self.get_response(request)

    def _deny_staff_path(self, request):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if not is_staff_member(user):
            raise PermissionDenied
        if not user_has_totp(user):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Please set it up to continue.")
            )
            return redirect("mfa_activate_totp")
        return None


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
