"""A network partner's journey in real Chromium: the Goethe-Institut's partner signs in with two-factor
authentication and lands on the partner pages (not the staff area), asks a question for a client in
Kazakhstan in Russian; the Russian-speaking counselor sees it as a partner enquiry of the organisation,
answers it and refers the client to the youth channel; the partner reads both on the partner page."""

import pytest

from counseling.models import Case
from counseling.partners.tests.factories import organisation_create, partner_account
from counseling.tests.factories import counselor_with_profile
from hub.tests.factories import totp_now
from tests.browser.test_accounts_journeys import log_in
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
QUESTION = "Моя клиентка — медсестра. Как признают её диплом в Германии?"
ANSWER = "Диплом признают через Anerkennungsstelle; нужны копии и перевод."


def partner_log_in(page, user):
    log_in(page, user.username)
    page.fill("input[name=code]", totp_now(user.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/partner/")


def test_a_partner_asks_for_a_client_and_reads_the_answer_and_the_referral(
    browser, live_server, page, screenshot_dir
):
    goethe = organisation_create("Goethe-Institut Almaty", "KZ")
    partner = partner_account("partner_aigerim", goethe)
    counselor = counselor_with_profile("counselor_olga", ["ru", "de"])

    partner_log_in(page, partner)
    assert "Goethe-Institut Almaty" in page.inner_text("main")
    assert page.locator(".main-nav a[href$='/staff/']").count() == 0
    page.click("a[href$='/partner/ask/']")
    page.select_option("select[name=client_country]", "KZ")
    page.select_option("select[name=language]", "ru")
    page.check("input[name=topic][value=work]")
    page.fill("textarea[name=body]", QUESTION)
    page.check("input[name=no_name]")
    page.screenshot(path=str(screenshot_dir / "partner-ask.png"), full_page=True)
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/partner/enquiries/**")
    assert QUESTION in page.inner_text(".thread")
    case = Case.objects.get()
    assert case.counselor == counselor and case.partner_enquiry.organisation == goethe

    # The counselor works in a browser of their own (the partner stays signed in).
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    staff_page = staff.new_page()
    staff_page.set_default_timeout(15_000)
    staff_log_in(staff_page, counselor)
    staff_page.goto("/de/staff/cases/?box=mine")
    assert "Goethe-Institut Almaty" in staff_page.inner_text("table")
    staff_page.click(f"a[href$='/staff/cases/{case.public_id}/']")
    assert "Goethe-Institut Almaty" in staff_page.inner_text("#partner-enquiry")
    staff_page.fill("#reply textarea[name=body]", ANSWER)
    with staff_page.expect_navigation():
        staff_page.click("#reply button[type=submit].primary")
    with staff_page.expect_navigation():
        staff_page.click("#partner-enquiry button[type=submit]")
    staff_page.screenshot(path=str(screenshot_dir / "partner-staff-case.png"), full_page=True)
    staff.close()

    page.reload()
    thread = page.inner_text(".thread")
    assert ANSWER in thread and "/ru/ask/" in thread
    page.click(".thread a[href$='/ru/ask/']")
    page.wait_for_url("**/ru/partner/ask/")  # a partner following the youth link gets the partner form
    page.goto("/de/partner/")
    assert page.locator(f"a[href$='/partner/enquiries/{case.public_id}/']").count() == 1
    page.screenshot(path=str(screenshot_dir / "partner-home.png"), full_page=True)
    # The staff area stays closed to the partner.
    response = page.goto("/de/staff/")
    assert response.status == 403
