"""Journeys through accounts and languages in real Chromium."""

import pytest

from hub.models import User
from hub.roles import Role, user_roles
from hub.tests.factories import PASSWORD, UserFactory, staff_with_totp, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_youth_signs_up_in_arabic(page, screenshot_dir):
    page.goto("/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.click("a[href='/ar/accounts/signup/'] >> nth=0")

    # First an e-mail address as username: refused with an Arabic hint, nothing typed is lost.
    page.fill("#id_username", "amira@example.com")
    page.fill("#id_password1", "kaffee-mit-milch-7")
    page.fill("#id_password2", "kaffee-mit-milch-7")
    page.click("button[type=submit].primary")
    error = page.locator("#id_username_error").inner_text()
    assert error and "This looks like" not in error  # translated, not the English source
    assert page.input_value("#id_username") == "amira@example.com"

    page.fill("#id_username", "sahra_2008")
    page.fill("#id_password1", "kaffee-mit-milch-7")
    page.fill("#id_password2", "kaffee-mit-milch-7")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/ar/me/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(screenshot_dir / "signup-ar.png"), full_page=True)

    user = User.objects.get(username="sahra_2008")
    assert user_roles(user) == {Role.YOUTH}
    assert user.email == ""


def test_no_page_requests_anything_from_another_host(page, live_server):
    """A youth and a staff journey; every request the browser makes stays on the portal's host."""
    UserFactory(username="amira", roles=[Role.YOUTH])
    staff = staff_with_totp(username="counselor_anna", roles=[Role.COUNSELOR, Role.COORDINATOR])
    newcomer = UserFactory(username="counselor_new", roles=[Role.COUNSELOR], is_staff=True)

    for path in ["/de/", "/ar/", "/ru/accounts/signup/", "/tr/accounts/login/", "/uk/missing-page/"]:
        page.goto(path)
    page.click(".language-switcher summary")
    page.click(".language-switcher a[lang='sq']")
    page.wait_for_url("**/sq/**")

    log_in(page, "amira")
    page.wait_for_url("**/me/")
    page.goto("/de/accounts/email/")
    log_out(page)

    log_in(page, "counselor_anna")
    page.fill("input[name=code]", totp_now(staff.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
    page.goto("/de/staff/invitations/")
    page.goto("/staff/cms/")
    page.goto("/de/staff/")
    log_out(page)

    # A new staff member is sent to TOTP setup, whose QR code is drawn on the page itself.
    log_in(page, newcomer.username)
    page.goto("/de/staff/")
    page.wait_for_url("**/accounts/**")
    if page.locator("input[name=password]").count():  # allauth asks for the password again first
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
    page.wait_for_url("**/2fa/totp/activate/")
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1

    foreign = page.requests.foreign(live_server.url)
    assert foreign == []
    assert len(page.requests) > 20


def test_staff_signs_in_with_password_and_totp(page):
    staff = staff_with_totp(username="counselor_anna", roles=[Role.COUNSELOR])
    log_in(page, "counselor_anna")
    page.fill("input[name=code]", "000000")
    page.click("main button[type=submit]")
    # Wait for the answer page: count() alone would race the form submission.
    page.locator(".error, .errorlist, [role=alert]").first.wait_for()
    page.fill("input[name=code]", totp_now(staff.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/de/staff/")
    assert "counselor_anna" in page.inner_text("main")


def test_quick_exit_leaves_and_back_does_not_return(page):
    page.route(
        "https://de.wikipedia.org/**",
        lambda route: route.fulfill(body="<h1>Wetter</h1>", content_type="text/html"),
    )
    page.goto("/de/")
    page.goto("/de/accounts/signup/")
    page.click("a[data-quick-exit]")
    page.wait_for_url("https://de.wikipedia.org/**")
    page.go_back()
    # The page with the quick-exit button was replaced in the history: back lands one step earlier.
    assert page.url.endswith("/de/")


def log_in(page, username):
    page.goto("/de/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page):
    language = page.locator("html").get_attribute("lang")
    page.click(".main-nav form[action$='/logout/'] button")
    # Signing out keeps the language the person was reading in.
    page.wait_for_url(f"**/{language}/")
