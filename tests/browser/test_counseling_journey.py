"""Mail counseling in real Chromium: a visitor asks in Turkish and signs up on the way; the Turkish-
speaking counselor answers with a canned response typed as a shortcut; the young person reads it.
A trainee's reply reaches the young person only after the mentor approves it."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from counseling import services
from counseling.models import CannedResponse, Case, CounselorProfile, Message
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp, totp_now
from tests.browser.test_accounts_journeys import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
CANNED = "Merhaba, mesajın için teşekkürler! Sana yardımcı olacağım."


def outside_the_browser_loop(work):
    """Playwright's sync API runs an event loop in this thread; the live notification after commit
    (async_to_sync) must run where no loop is, as it does in a request."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def staff_log_in(page, user):
    log_in(page, user.username)
    page.fill("input[name=code]", totp_now(user.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")


def test_youth_asks_in_turkish_and_reads_the_canned_answer(page, screenshot_dir):
    counselor = staff_with_totp(username="counselor_tr", display_name="Deniz", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=counselor, languages=["tr", "de"])
    CannedResponse.objects.create(language="tr", shortcut="selam", title="Selamlama", body=CANNED)

    page.goto("/tr/ask/")
    page.check("input[name=topic][value=work]")
    assert page.input_value("select[name=language]") == "tr"
    page.fill("textarea[name=body]", "Almanya'da çıraklık için ne yapmalıyım?")
    page.fill("#id_account-username", "yildiz_07")
    page.fill("#id_account-password1", "kaffee-mit-milch-7")
    page.fill("#id_account-password2", "kaffee-mit-milch-7")
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/tr/cases/**")
    assert "çıraklık" in page.inner_text(".thread")
    page.screenshot(path=str(screenshot_dir / "counseling-asked-tr.png"), full_page=True)
    case = Case.objects.get()
    assert case.counselor == counselor
    log_out(page)

    staff_log_in(page, counselor)
    page.goto("/de/staff/cases/?box=mine")
    page.click(f"a[href$='/staff/cases/{case.public_id}/']")
    page.wait_for_url(f"**/staff/cases/{case.public_id}/")
    assert "çıraklık" in page.inner_text("main")
    page.locator("#reply textarea[name=body]").press_sequentially("/selam ")
    assert CANNED in page.input_value("#reply textarea[name=body]")
    page.screenshot(path=str(screenshot_dir / "counseling-staff-case.png"), full_page=True)
    with page.expect_navigation():
        page.click("#reply button[type=submit].primary")
    assert (
        services.message_body(Message.objects.filter(from_staff=True).select_related("case").get()) == CANNED
    )
    log_out(page)

    page.goto("/tr/accounts/login/")
    page.fill("input[name=login]", "yildiz_07")
    page.fill("input[name=password]", "kaffee-mit-milch-7")
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/tr/cases/{case.public_id}/")
    thread = page.inner_text(".thread")
    assert CANNED in thread and "Deniz" in thread
    # When the conversation will be deleted if nothing new happens (a year from now by default).
    deletion = page.locator("#deletion")
    assert deletion.is_visible() and str(timezone.localdate().year + 1) in deletion.inner_text()


def test_a_trainees_reply_appears_only_after_the_mentors_approval(page):
    mentor = staff_with_totp(username="mentor_ru", roles=[Role.MENTOR, Role.COUNSELOR])
    trainee = staff_with_totp(username="trainee_sq", display_name="Arben", roles=[Role.TRAINEE_COUNSELOR])
    CounselorProfile.objects.create(user=mentor, languages=["de"])
    CounselorProfile.objects.create(user=trainee, languages=["sq"], mentor=mentor)
    youth = UserFactory(username="drita", roles=[Role.YOUTH])
    case = outside_the_browser_loop(
        lambda: services.enquiry_create(
            youth=youth, topic="school", language="sq", body="Pyetje për shkollën"
        )
    )
    assert case.counselor == trainee
    reply = "Përshëndetje! Ja çfarë mund të bësh."

    staff_log_in(page, trainee)
    page.goto(f"/de/staff/cases/{case.public_id}/")
    page.fill("#reply textarea[name=body]", reply)
    with page.expect_navigation():
        page.click("#reply button[type=submit].primary")
    log_out(page)

    log_in(page, "drita")
    page.goto(f"/sq/cases/{case.public_id}/")
    assert reply not in page.inner_text("main")
    log_out(page)

    staff_log_in(page, mentor)
    page.goto("/de/staff/cases/approvals/")
    assert reply in page.inner_text("main")
    page.click("main button[type=submit].primary")
    page.wait_for_load_state()
    log_out(page)

    log_in(page, "drita")
    page.goto(f"/sq/cases/{case.public_id}/")
    assert reply in page.inner_text(".thread")
