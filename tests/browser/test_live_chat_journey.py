"""Live chat and video in Chromium, two people at once (two browser contexts) on uvicorn + Redis."""

from datetime import time

import pytest

from counseling import chat
from counseling.models import Case, ChatStatus
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub import availability
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.conftest import wait_until
from tests.browser.test_accounts_journeys import log_in
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

# The journey must not depend on the hour CI happens to run at.
ALWAYS_OPEN = availability.Schedule(
    weekly=tuple(availability.WeeklyHours(day, time(0), availability.MIDNIGHT) for day in range(7)),
    observe_holidays=False,
)


@pytest.fixture(autouse=True)
def _chat_always_open(monkeypatch):
    monkeypatch.setattr(chat, "CHAT_HOURS", ALWAYS_OPEN)


def test_a_guest_and_a_counselor_chat_live_with_typing_and_read_state(new_page, screenshot_dir):
    counselor = counselor_with_profile("counselor_live", ["de", "ar"])
    staff = new_page()
    staff_log_in(staff, counselor)
    staff.goto("/de/staff/cases/chats/")
    staff.click("form[action$='/chats/presence/'] button[type=submit]")
    staff.wait_for_selector("[data-chat-desk][data-online=true]")

    youth = new_page()
    youth.goto("/ar/chat/?language=ar")
    assert youth.locator("html").get_attribute("dir") == "rtl"
    youth.select_option("#id_topic", "school")
    youth.click("[data-chat-now] button[type=submit]")
    youth.wait_for_url("**/ar/chat/*/")
    youth.wait_for_selector("[data-live][data-connected=true]")
    assert "1" in youth.inner_text("[data-live-status]")  # first in line

    # The desk hears of the waiting chat without a reload, and says so (a polite live region).
    staff.locator("[data-desk-announce]", has_text="1").wait_for(state="attached")
    assert staff.get_attribute("[data-desk-announce]", "role") == "status"
    staff.locator("[data-desk-lists] form[action$='/accept/'] button").click()
    staff.wait_for_url("**/staff/cases/chats/*/")
    # Typing is signalled at most every 2 s and not stored: the counselor's socket must be up first.
    staff.wait_for_selector("[data-live][data-connected=true]")
    youth.locator("[data-live-compose] textarea").wait_for()  # accepted: the composer opens

    # Typed at a person's pace, so several typing signals go out (one is sent at most every 2 s; a
    # signal is not stored, so on a loaded machine a single early one can miss a socket still joining).
    youth.locator("[data-live-compose] textarea").press_sequentially("مرحبا، عندي سؤال عن المدرسة", delay=150)
    staff.locator("[data-live-typing]").wait_for(state="visible")
    youth.locator("[data-live-compose] textarea").press("Enter")
    staff.locator("[role=log] .live-lines .from-other", has_text="عندي سؤال").wait_for()  # announced
    youth.locator(".live-lines .from-me[data-seq='1'] .line-state", has_text="·").wait_for()  # read

    staff.locator("[data-live-compose] textarea").fill("أهلا! كيف يمكنني مساعدتك؟")
    staff.click("[data-live-compose] button[type=submit]")
    youth.locator("[role=log] .live-lines .from-other", has_text="كيف يمكنني").wait_for()
    youth.screenshot(path=str(screenshot_dir / "live-chat-youth.png"), full_page=True)
    staff.screenshot(path=str(screenshot_dir / "live-chat-counselor.png"), full_page=True)

    youth.click("form[action$='/end/'] button[type=submit]")
    youth.wait_for_selector("form[action$='/keep/']")  # a guest may keep the chat
    staff.wait_for_selector("[data-live][data-status=ended]")
    case = Case.objects.get()
    assert case.chat.status == ChatStatus.ENDED and case.messages.count() == 2
    for page in (youth, staff):
        assert page.requests.foreign(page.url) == []


def test_a_video_call_connects_with_chromiums_fake_camera(new_page, screenshot_dir):
    counselor = counselor_with_profile("counselor_video", ["de"])
    youth_user = UserFactory(username="leyla", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: assign_to(make_case(youth=youth_user), counselor))

    staff = new_page()
    staff_log_in(staff, counselor)
    staff.goto(f"/de/staff/cases/{case.public_id}/")
    staff.click("form[action$='/video/'] button[type=submit]")
    staff.wait_for_url("**/video/")

    youth = new_page()
    log_in(youth, "leyla")
    youth.goto(f"/de/cases/{case.public_id}/")
    youth.click(f"a[href$='/cases/{case.public_id}/video/']")
    for page in (staff, youth):
        page.wait_for_selector("[data-video][data-state=connected]", timeout=30_000)
    wait_until(youth, "document.querySelector('[data-remote]').videoWidth > 0")
    youth.screenshot(path=str(screenshot_dir / "video-call-youth.png"))
    youth.click("[data-hang-up]")
    staff.wait_for_selector("[data-video][data-state=ended]")
