"""Issue 17, live everyday work, in Chromium: the young person's case page updates itself (a new answer
with an unread mark in the title, a video call's "Join", an absence notice), and a counselor's reply
being typed survives the staff idle timeout (a warning first, then signing in again with TOTP)."""

import json
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from counseling import services
from counseling.models import Message
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import PASSWORD, UserFactory, totp_now
from tests.browser.conftest import wait_until
from tests.browser.test_accounts_journeys import log_in
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ANSWER = "Hallo Mira, für die Anerkennung brauchst du dein Zeugnis."
DRAFT = "Liebe Mira,\nich habe mich erkundigt: Die Anerkennung dauert etwa drei Monate."


def reply(counselor, case, body):
    path = f"/de/staff/cases/{case.public_id}/reply/"
    return as_counselor(counselor, "post", path, {"body": body, "idempotency_key": uuid.uuid4()})


def as_counselor(counselor, method, path, data=None):
    """What the counselor does in their own browser, as plain requests (the page under test is the
    young person's)."""

    def work():
        client = Client()
        client.force_login(counselor)
        return getattr(client, method)(path, data or {})

    return outside_the_browser_loop(work)


def test_the_case_page_shows_an_answer_a_video_call_and_an_absence_without_reload(new_page, screenshot_dir):
    counselor = counselor_with_profile("counselor_lina", ["de"])
    youth_user = UserFactory(username="mira_2009", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: assign_to(make_case(youth=youth_user), counselor))

    youth = new_page()
    log_in(youth, "mira_2009")
    youth.goto(f"/de/cases/{case.public_id}/")
    youth.wait_for_selector("[data-case-live-root][data-connected=true]", state="attached")
    title = youth.title()
    youth.evaluate("window.notReloaded = true")
    assert youth.locator("[data-case-live=actions] a[href$='/video/']").count() == 0

    assert reply(counselor, case, ANSWER).status_code == 302
    youth.locator("[data-case-live=thread] .from-staff", has_text="Anerkennung").wait_for()
    assert youth.title() == f"(1) {title}"
    assert youth.locator("[data-case-live=thread] .from-staff.unread").count() == 1
    note = youth.locator("[data-case-live-note]")  # said aloud (role=status)
    assert note.text_content() == youth.get_attribute("[data-case-live-root]", "data-text-reply")
    youth.screenshot(path=str(screenshot_dir / "case-live-answer.png"), full_page=True)
    youth.keyboard.press("Shift")  # the young person is back on the page: seen
    wait_until(youth, f"document.title === {json.dumps(title)}")
    assert youth.locator(".unread").count() == 0

    as_counselor(counselor, "post", f"/de/staff/cases/{case.public_id}/video/")
    youth.locator("[data-case-live=actions] a[href$='/video/']", has_text="Videoanruf").wait_for()

    outside_the_browser_loop(
        lambda: services.absence_set(user=counselor, is_absent=True, message="Ab Montag wieder da.")
    )
    youth.locator("[data-case-live=status] .absence", has_text="Ab Montag wieder da.").wait_for()
    assert youth.evaluate("window.notReloaded") is True
    assert youth.requests.foreign(youth.url) == []


def test_the_case_page_of_another_young_person_hears_nothing(new_page):
    counselor = counselor_with_profile("counselor_ole", ["de"])
    mine = UserFactory(username="sami_07", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: assign_to(make_case(youth=mine), counselor))
    other_case = outside_the_browser_loop(lambda: assign_to(make_case(), counselor))

    youth = new_page()
    log_in(youth, "sami_07")
    youth.goto(f"/de/cases/{case.public_id}/")
    youth.wait_for_selector("[data-case-live-root][data-connected=true]", state="attached")
    reply(counselor, other_case, "Nicht für Sami")
    reply(counselor, case, "Für Sami")
    youth.locator("[data-case-live=thread] .from-staff", has_text="Für Sami").wait_for()
    assert "Nicht für Sami" not in youth.inner_text("main")


def test_a_reply_typed_when_the_staff_session_times_out_is_kept_across_signing_in_again(
    page, settings, screenshot_dir
):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 16
    settings.STAFF_IDLE_WARNING_SECONDS = 11
    counselor = counselor_with_profile("counselor_timo", ["de"])
    case = outside_the_browser_loop(lambda: assign_to(make_case(), counselor))
    case_path = f"/de/staff/cases/{case.public_id}/"

    staff_log_in(page, counselor)
    page.goto(case_path)
    page.fill("#reply textarea[name=body]", DRAFT)
    warning = page.locator("[data-session-timeout]")
    warning.wait_for(state="visible")  # before the timeout, with a way to stay signed in
    assert warning.get_attribute("aria-labelledby")
    page.screenshot(path=str(screenshot_dir / "staff-session-warning.png"))
    page.click("[data-session-timeout] button[type=submit]")
    warning.wait_for(state="hidden")  # stayed signed in: the idle time starts anew
    warning.wait_for(state="visible")
    assert page.url.endswith(case_path)

    # Nothing more happens: the session ends and the page goes to the login (no case left on screen).
    page.wait_for_url("**/accounts/login/**", timeout=30_000)
    assert f"next={case_path}" in page.url
    cache.clear()  # the first sign-in's TOTP code may still be the current one (a code is used once)
    page.fill("input[name=login]", counselor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.fill("input[name=code]", totp_now(counselor.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{case_path}")

    assert page.input_value("#reply textarea[name=body]") == DRAFT  # restored, not lost
    with page.expect_navigation():
        page.click("#reply button[type=submit].primary")
    sent = services.message_body(Message.objects.select_related("case").get(from_staff=True))
    assert sent.replace("\r\n", "\n") == DRAFT  # a form sends line breaks as CRLF
    page.reload()
    assert page.input_value("#reply textarea[name=body]") == ""  # sent: the draft is forgotten


def test_a_youth_reply_sent_after_the_session_ended_is_kept_and_sent_after_signing_in(page, settings):
    youth_user = UserFactory(username="jana_08", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: make_case(youth=youth_user))
    log_in(page, "jana_08")
    page.goto(f"/de/cases/{case.public_id}/")
    page.fill("#reply textarea[name=body]", "Und was ist mit meinem Praktikum?")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session ended meanwhile
    page.click("#reply button[type=submit].primary")
    page.wait_for_url("**/accounts/login/**")
    assert f"next=/de/cases/{case.public_id}/" in page.url
    page.fill("input[name=login]", "jana_08")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/de/cases/{case.public_id}/")
    assert page.input_value("#reply textarea[name=body]") == "Und was ist mit meinem Praktikum?"
    with page.expect_navigation():
        page.click("#reply button[type=submit].primary")
    assert "Praktikum" in page.inner_text("[data-case-live=thread]")
    page.reload()
    assert page.input_value("#reply textarea[name=body]") == ""
