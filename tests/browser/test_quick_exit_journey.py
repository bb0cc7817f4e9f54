"""Quick exit leaves no trace (issue 15.1): no draft in the browser, no session, no history entry, and
Back does not bring signed-in content back. In real Chromium against the live server."""

import time

import pytest
from django.contrib.sessions.models import Session

from tests.browser.test_accounts_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WEATHER = "https://de.wikipedia.org/wiki/Wetter"
QUESTION = "my husband beats me and I want help"


@pytest.fixture
def weather(page):
    """The neutral page, answered locally: no test ever reaches another host."""
    page.context.route(
        "https://de.wikipedia.org/**",
        lambda route: route.fulfill(body="<h1>Wetter</h1>", content_type="text/html"),
    )
    return page


def _session_key(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def _wait_until(check, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def _storage(page) -> dict:
    return page.evaluate("() => ({session: sessionStorage.length, local: localStorage.length})")


def test_double_escape_forgets_drafts_ends_the_session_and_back_shows_a_signed_out_page(weather, youth):
    page = weather
    log_in(page, "amira")
    page.goto("/en/me/")
    # Drafts the portal keeps: the CV helper (localStorage), a chat line waiting for its acknowledgement
    # (sessionStorage, as live.js keeps it) and the question (sessionStorage).
    page.goto("/en/learn/cv/")
    page.locator("#cv-form textarea, #cv-form input:not([type=hidden])").first.fill("Hamburg, 2009")
    page.evaluate("() => sessionStorage.setItem('live-pending:/ws/cases/x/', '[{\"body\":\"hi\"}]')")
    page.goto("/en/me/")
    page.goto("/en/ask/")
    page.fill("textarea[data-draft]", QUESTION)
    assert _storage(page) == {"session": 2, "local": 1}
    session_key = _session_key(page)
    assert Session.objects.filter(session_key=session_key).exists()

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(WEATHER)

    # The session is over on the server, not just forgotten by the browser.
    assert _wait_until(lambda: not Session.objects.filter(session_key=session_key).exists())

    # The ask page was replaced in the history: Back lands on /me/, fetched again, now signed out.
    page.go_back()
    page.wait_for_load_state()
    assert "/en/ask/" not in page.url
    assert "/accounts/login/" in page.url
    assert "amira" not in page.inner_text("body")
    assert page.locator("form[action*='/accounts/logout/']").count() == 0
    assert _storage(page) == {"session": 0, "local": 0}

    # Reopening "Ask a question" shows an empty form.
    page.goto("/en/ask/")
    assert page.input_value("textarea[data-draft]") == ""
    assert QUESTION not in page.content()


def test_escape_first_closes_an_open_menu_and_does_not_count(weather):
    page = weather
    page.goto("/en/")
    page.goto("/en/knowledge/")
    page.click(".language-switcher summary")
    assert page.locator(".language-switcher").get_attribute("open") is not None
    page.keyboard.press("Escape")  # closes the menu …
    assert page.locator(".language-switcher").get_attribute("open") is None
    page.keyboard.press("Escape")  # … so this is the first Escape, not the second
    page.wait_for_timeout(300)
    assert page.url.endswith("/en/knowledge/")
    page.keyboard.press("Escape")
    page.wait_for_url(WEATHER)
    page.go_back()
    assert page.url.endswith("/en/")


def test_the_button_ends_the_session_too_and_the_shortcut_is_named(weather, youth):
    page = weather
    log_in(page, "amira")
    page.goto("/en/me/")
    assert page.locator("#quick-exit-hint").inner_text() == "or press Esc twice"
    assert page.get_attribute("a[data-quick-exit]", "aria-describedby") == "quick-exit-hint"
    session_key = _session_key(page)
    page.click("a[data-quick-exit]")
    page.wait_for_url(WEATHER)
    assert _wait_until(lambda: not Session.objects.filter(session_key=session_key).exists())
    page.go_back()
    assert "/accounts/login/" in page.url
