"""Every staff URL is guarded: anonymous -> login, youth -> 403, staff without TOTP -> TOTP setup."""

import re
import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hub.middleware import STAFF_PATH
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

_CONVERTER = re.compile(r"<(?:(?P<type>\w+):)?(?P<name>\w+)>")
_SAMPLE = {
    "int": "1",
    "slug": "some-slug",
    "str": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "x",
}


def _route_paths(patterns, prefix=""):
    """Concrete paths for every route-style URL pattern, with sample values for the arguments."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if not hasattr(pattern.pattern, "_route"):
            # Regex pattern: use it only when it has no groups to fill in.
            route = route.lstrip("^").rstrip("$").replace("\\", "")
            if "(" in route or "[" in route:
                continue
        route = _CONVERTER.sub(lambda m: _SAMPLE.get(m["type"] or "str", "x"), route)
        if isinstance(pattern, URLResolver):
            yield from _route_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


def staff_paths():
    paths = sorted(set(_route_paths(get_resolver().url_patterns)))
    return [path for path in paths if STAFF_PATH.match(path)]


def test_the_staff_url_list_covers_our_pages_and_the_cms():
    paths = staff_paths()
    assert "/staff/cms/" in paths
    assert any(path.endswith("/staff/invitations/") for path in paths)
    assert any(path.endswith("/staff/sites/") for path in paths)
    assert len(paths) > 100  # the whole Wagtail admin is in there


def test_anonymous_visitor_is_sent_to_login_from_every_staff_url(client):
    for path in staff_paths():
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/accounts/login/" in response["Location"], path


def test_youth_is_refused_on_every_staff_url(client, youth):
    client.force_login(youth)
    for path in staff_paths():
        assert client.get(path).status_code == 403, path


def test_staff_without_totp_is_sent_to_totp_setup_from_every_staff_url(client, staff_without_totp):
    client.force_login(staff_without_totp)
    setup_url = reverse("mfa_activate_totp")
    for path in staff_paths():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == setup_url, path


def test_staff_with_totp_gets_in(client, counselor, coordinator):
    client.force_login(counselor)
    assert client.get("/de/staff/").status_code == 200
    assert client.get("/de/staff/sites/").status_code == 200
    client.force_login(coordinator)
    assert client.get("/en/staff/invitations/").status_code == 200
    assert client.get("/staff/cms/").status_code == 200


def test_staff_pages_beyond_a_role_are_refused(client, counselor):
    client.force_login(counselor)
    assert client.get("/de/staff/invitations/").status_code == 403
    assert client.get("/staff/cms/").status_code in {302, 403}
    site = SiteFactory()
    assert client.get(f"/de/staff/sites/{site.slug}/").status_code == 403


def test_staff_session_ends_after_thirty_minutes_idle(client, counselor, settings):
    assert settings.STAFF_IDLE_TIMEOUT_SECONDS == 30 * 60
    client.force_login(counselor)
    assert client.get("/de/staff/").status_code == 200

    session = client.session
    session["hub.last_seen"] = time.time() - 29 * 60
    session.save()
    assert client.get("/de/staff/").status_code == 200  # still active, and the clock restarts

    session = client.session
    session["hub.last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get("/de/staff/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_youth_sessions_do_not_time_out_after_thirty_minutes(client, youth):
    client.force_login(youth)
    session = client.session
    session["hub.last_seen"] = time.time() - 60 * 60
    session.save()
    assert client.get("/de/me/").status_code == 200


def test_views_get_the_user_itself_not_the_lazy_wrapper(rf, client, youth):
    """The guard reads the user on every request; after it, `request.user` is the user (or the anonymous
    one) itself, so that views and templates do not pay the lazy wrapper's failed lookup on every
    attribute (issue 19) — and it is still the session's user."""
    from django.conf import settings
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.utils.functional import LazyObject

    from hub.middleware import StaffAreaMiddleware
    from hub.models import User

    seen = []

    def view(request):
        seen.append(request.user)
        return HttpResponse()

    chain = SessionMiddleware(AuthenticationMiddleware(StaffAreaMiddleware(view)))
    client.force_login(youth)
    signed_in = rf.get("/de/cases/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    chain(signed_in)
    chain(rf.get("/de/cases/"))
    assert type(seen[0]) is User and seen[0].pk == youth.pk
    assert type(seen[1]) is AnonymousUser
    assert not any(isinstance(user, LazyObject) for user in seen)
