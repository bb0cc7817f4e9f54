"""Quick exit, the server's half (issue 15.1): the endpoint ends the session without a confirmation page
or a CSRF token, and signed-in pages are never stored by the browser. The journey is in
tests/browser/test_quick_exit_journey.py."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_not_kept_by_the_browser(client, youth):
    """Back must ask the server again: Cache-Control no-store on every signed-in page."""
    client.force_login(youth)
    for path in ["/en/me/", "/en/ask/", "/en/", "/en/cases/"]:
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_without_javascript_the_button_signs_out_and_leaves(client, youth, settings):
    """The link itself is the way out when scripts are off: it ends the session and redirects."""
    client.force_login(youth)
    response = client.get("/en/me/")
    assert 'href="/quick-exit/"' in response.content.decode()
    response = client.get("/quick-exit/")
    assert response.status_code == 302 and response["Location"] == settings.QUICK_EXIT_URL
    assert "storage" in response["Clear-Site-Data"]
    assert client.get("/en/me/").status_code == 302  # signed out


def test_the_beacon_ends_the_session_without_a_csrf_token_or_a_confirmation_page(client, youth):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(youth)
    response = strict.post("/quick-exit/", data=b"", content_type="text/plain;charset=UTF-8")
    assert response.status_code == 204
    assert strict.get("/en/me/").status_code == 302
    assert not Session.objects.exists()
