import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from hub import staff_session
from hub.mfa import TOTP_SETUP_URL_NAMES, totp_pending
from hub.roles import is_staff_member, may_enter_staff_area

# Staff pages: /<lang>/staff/... (our staff area) and the Wagtail admin under /staff/cms/.
STAFF_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?staff/")


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
    - signed-in users without a staff role get 403, and so do network partners (their pages are
      /<lang>/partner/, hub.roles.STAFF_AREA_ROLES);
    - staff without TOTP two-factor authentication (hub/mfa.py) reach TOTP setup, reauthentication and
      logout as themselves and everything else as an anonymous visitor — whatever the URL; where an
      anonymous visitor would be sent to the login page, they are sent to TOTP setup instead;
    - a staff session ends after STAFF_IDLE_TIMEOUT_SECONDS without a request the person made
      (hub/staff_session.py: background refreshes do not count; after a POST the login leads back to
      the page the form was on).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user = _resolved_user(request)
        if user.is_authenticated and is_staff_member(user):
            now = time.time()
            if staff_session.idle_for(request, now) > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return staff_session.login_redirect(request)
            if not staff_session.is_background(request):  # a page refreshing itself is not the person
                staff_session.touch(request, now)
        if user.is_authenticated and totp_pending(user):
            if _url_name(request.path_info) in TOTP_SETUP_URL_NAMES:
                return self.get_response(request)
            _act_as_anonymous(request)
            response = self._guarded(request)
            if _is_login_redirect(response):
                messages.warning(
                    request,
                    _("Staff accounts need two-factor authentication. Please set it up to continue."),
                )
                return redirect("mfa_activate_totp")
            return response
        return self._guarded(request)

    def _guarded(self, request):
        if STAFF_PATH.match(request.path):
            denied = self._deny_staff_path(request)
            if denied is not None:
                return denied
        return self.get_response(request)

    def _deny_staff_path(self, request):
        user = request.user
        if not user.is_authenticated:
            return staff_session.login_redirect(request)
        if not may_enter_staff_area(user):
            raise PermissionDenied
        return None


def _resolved_user(request):
    """The request's user itself, in place of AuthenticationMiddleware's lazy wrapper, which the guard
    reads on every request anyway. After it, views, templates and the later middleware reach the user
    directly: through the wrapper, every attribute read raised and caught an AttributeError (60 on the
    young person's case page)."""
    user = request.user
    if isinstance(user, SimpleLazyObject):
        return get_user(request)  # what the wrapper reads: once per request, kept on the request
    return user


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def _act_as_anonymous(request) -> None:
    """The session stays (so TOTP setup can follow); the views of this request see no one signed in."""
    anonymous = AnonymousUser()

    async def auser():
        return anonymous

    request.user = anonymous
    request.auser = auser


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308) or not response.has_header("Location"):
        return False
    return _url_name(urlsplit(response["Location"]).path) == "account_login"
