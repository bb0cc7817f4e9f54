"""A signed-in session for a benchmark client without going through the login form (and its 2FA)."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.middleware.csrf import get_token
from django.test import RequestFactory


def session_cookie(user) -> str:
    """The Cookie header value of a browser signed in as `user`: a fresh session, and the CSRF cookie that
    every signed-in browser holds (the sign-in form set it, and signing in renewed it). Without it each
    page with a form made a new CSRF secret and sent it as a cookie: a first visit, which no signed-in
    page ever is."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    request = RequestFactory().get("/")
    get_token(request)  # a new secret, as CsrfViewMiddleware sets it in the cookie
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
    )
