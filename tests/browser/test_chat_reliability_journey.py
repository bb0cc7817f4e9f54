"""Live chat when people just leave, or the connection does (issue 19), in Chromium on uvicorn + Redis:
guests close the tab in the waiting room and during a chat (nobody presses "End chat"); the counselor's
page dies; and on a phone the newest line stays above the sticky compose box."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from counseling import chat
from counseling.models import Case, Chat, ChatStatus
from counseling.tests.factories import counselor_with_profile
from hub.models import User
from hub.retention import retention_run
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.conftest import wait_until
from tests.browser.test_accounts_journeys import log_in
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in
from tests.browser.test_live_chat_journey import ALWAYS_OPEN
from tests.browser.test_socket_access_journey import accepted_chat, both_sides_in_chat

ABANDON_SECONDS = 4


@pytest.fixture(autouse=True)
def _chat_open_and_quick_to_notice(monkeypatch, settings):
    monkeypatch.setattr(chat, "CHAT_HOURS", ALWAYS_OPEN)
    settings.CHAT_ABANDON_SECONDS = ABANDON_SECONDS
    settings.CHAT_PRESENCE_BEAT_SECONDS = 1
    settings.CHAT_PEER_GONE_SECONDS = 3


def _start_as_guest(page) -> str:
    page.goto("/en/chat/?language=de")
    page.select_option("#id_topic", "work")
    page.click("[data-chat-now] button[type=submit]")
    page.wait_for_url("**/en/chat/*/")
    page.wait_for_selector("[data-live][data-connected=true]")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def _status_of(public_id) -> str:
    return Chat.objects.get(case__public_id=public_id).status


def test_guests_who_close_the_tab_free_their_queue_place_and_the_counselors_seat_and_are_purged(new_page):
    counselor = counselor_with_profile("counselor_seat", ["de"], chat_seats=1)
    desk = new_page()
    staff_log_in(desk, counselor)
    desk.goto("/en/staff/cases/chats/")
    desk.click("form[action$='/chats/presence/'] button[type=submit]")
    desk.wait_for_selector("[data-chat-desk][data-online=true]")

    first, second, third = new_page(), new_page(), new_page()
    first_id, second_id, third_id = (_start_as_guest(page) for page in (first, second, third))
    third.locator("[data-live-status]", has_text="3").wait_for()

    # The counselor takes the first chat; its one seat is now taken and nobody else may start.
    desk.locator(f"form[action$='/{first_id}/accept/'] button").click()
    desk.wait_for_url(f"**/staff/cases/chats/{first_id}/")
    desk.wait_for_selector("[data-live][data-connected=true]")
    first.locator("[data-live-compose] textarea").wait_for()
    third.locator("[data-live-status]", has_text="2").wait_for()
    staff_desk = desk.context.new_page()  # the desk stays open in a tab of its own (its heartbeat)
    staff_desk.set_default_timeout(15_000)
    staff_desk.goto("/en/staff/cases/chats/")
    running_link = f"[data-desk-lists] a[href$='/chats/{first_id}/']"
    assert staff_desk.locator(running_link).count() == 1
    late = new_page()
    late.goto("/en/chat/?language=de")
    assert late.locator("[data-chat-now]").count() == 0

    # The guest in second place closes the tab in the waiting room: the third moves up.
    second.close()
    third.locator("[data-live-status]", has_text="1").wait_for(timeout=(ABANDON_SECONDS + 15) * 1000)
    assert outside_the_browser_loop(lambda: _status_of(second_id)) == ChatStatus.ENDED

    # The guest in the running chat closes the tab: the chat ends by itself, the seat is free again.
    first.close()
    desk.wait_for_selector("[data-live][data-status=ended]", timeout=(ABANDON_SECONDS + 15) * 1000)
    assert "away for several minutes" in desk.inner_text("[data-live-status]")
    wait_until(staff_desk, f"!document.querySelector({running_link!r})")  # the desk's lists refreshed
    late.reload()
    late.wait_for_selector("[data-chat-now]")

    # Ended chats fall under the guest purge (48 hours after the end); the one still waiting stays.
    def purge_later():
        retention_run(trigger="test", keys=["guest_chats"], now=timezone.now() + timedelta(hours=49))
        return {
            public_id: Case.objects.filter(public_id=public_id).first()
            for public_id in (first_id, second_id, third_id)
        }

    left = outside_the_browser_loop(purge_later)
    assert left[first_id] is None and left[second_id] is None
    assert left[third_id] is not None and left[third_id].chat.status == ChatStatus.WAITING
    assert User.objects.filter(is_guest=True).count() == 1


def test_the_young_person_is_told_when_the_counselors_connection_dies_and_when_they_are_back(
    new_page, screenshot_dir, settings
):
    # The counselor is away for a few seconds here, longer on a busy machine: the chat must not end as
    # abandoned (this module's 4 s are for the guests who close the tab).
    settings.CHAT_ABANDON_SECONDS = 120
    counselor = counselor_with_profile("counselor_drop", ["de"])
    youth_user = UserFactory(username=f"lina_{uuid.uuid4().hex[:4]}", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: accepted_chat(youth_user, counselor))
    staff, youth = both_sides_in_chat(new_page, counselor, youth_user, case)
    assert youth.locator("[data-live-peer]").is_hidden()

    staff_session = staff.context
    staff.close()  # the counselor's page (and its socket) is gone
    wait_until(youth, "document.querySelector('[data-live]').dataset.peer === 'gone'", timeout=30)
    notice = youth.locator("[data-live-peer]")
    assert notice.is_visible() and "The counselor's connection dropped." in notice.inner_text()
    assert youth.get_attribute("[data-live-peer]", "role") == "status"
    youth.screenshot(path=str(screenshot_dir / "live-chat-counselor-dropped.png"), full_page=True)

    back = staff_session.new_page()  # the counselor opens the chat again (still signed in)
    back.goto(f"/en/staff/cases/chats/{case.public_id}/")
    wait_until(youth, "document.querySelector('[data-live]').dataset.peer === 'back'", timeout=30)
    assert youth.inner_text("[data-live-peer]") == "The counselor is back."
    # The chat itself goes on: nothing ended while the counselor was away for a moment.
    assert outside_the_browser_loop(lambda: Chat.objects.get(case=case).status) == ChatStatus.ACTIVE


# Keeps the page's sockets in reach of the test, which closes them as a dropped network would.
KEEP_SOCKETS = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    window.__sockets.push(socket);
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
})()"""


def test_a_page_whose_own_connection_dropped_hears_that_the_counselor_came_back_meanwhile(new_page, settings):
    settings.CHAT_ABANDON_SECONDS = 120  # the young person's own connection is away longer than 4 s here
    counselor = counselor_with_profile("counselor_both_drop", ["de"])
    youth_user = UserFactory(username=f"mira_{uuid.uuid4().hex[:4]}", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: accepted_chat(youth_user, counselor))
    staff, youth = both_sides_in_chat(new_page, counselor, youth_user, case)
    youth.add_init_script(KEEP_SOCKETS)
    youth.reload()
    youth.wait_for_selector("[data-live][data-connected=true]")

    staff_session = staff.context
    staff.close()
    wait_until(youth, "document.querySelector('[data-live]').dataset.peer === 'gone'", timeout=30)

    # Now the young person's own network drops, and the counselor comes back before it returns.
    youth.context.set_offline(True)
    youth.evaluate("window.__sockets.forEach((socket) => socket.close())")
    wait_until(youth, "document.querySelector('[data-live]').dataset.connected === 'false'", timeout=10)
    back = staff_session.new_page()
    back.goto(f"/en/staff/cases/chats/{case.public_id}/")
    back.wait_for_selector("[data-live][data-connected=true]")
    youth.context.set_offline(False)

    wait_until(youth, "document.querySelector('[data-live]').dataset.peer === 'back'", timeout=30)
    assert youth.inner_text("[data-live-peer]") == "The counselor is back."
    assert youth.evaluate("window.__sockets.at(-1).url").endswith("?peer=gone")


def test_on_a_phone_the_newest_line_is_fully_visible_above_the_compose_box(new_page, screenshot_dir):
    counselor = counselor_with_profile("counselor_phone", ["de"])
    youth_user = UserFactory(username=f"emil_{uuid.uuid4().hex[:4]}", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: accepted_chat(youth_user, counselor))
    youth = new_page()  # 390 × 844, as every page of these tests
    log_in(youth, youth_user.username)
    youth.goto(f"/de/chat/{case.public_id}/")
    youth.wait_for_selector("[data-live][data-connected=true]")

    def post_lines():
        live = Chat.objects.get(case=case)
        for number in range(1, 16):
            body = (
                f"Zeile {number}: "
                + "Ein längerer Satz, der auf dem Telefon über mehrere Zeilen umbricht. " * 2
            )
            chat.chat_post(chat=live, author=counselor, body=body, client_id=uuid.uuid4())

    outside_the_browser_loop(post_lines)
    youth.locator(".live-lines .from-other[data-seq='15']").wait_for()
    youth.wait_for_timeout(300)  # the last scroll has settled

    def fully_above_the_compose_box(selector: str) -> bool:
        return youth.evaluate(
            """(selector) => {
                const line = document.querySelector(selector).getBoundingClientRect();
                const compose = document.querySelector('[data-live-compose]').getBoundingClientRect();
                return line.top >= 0 && line.bottom <= compose.top + 0.5;
            }""",
            selector,
        )

    assert fully_above_the_compose_box(".live-lines .from-other[data-seq='15']")
    youth.locator("[data-live-compose] textarea").fill("Danke, das hilft mir!")
    youth.locator("[data-live-compose] textarea").press("Enter")
    youth.locator(".live-lines .from-me[data-seq='16']").wait_for()
    youth.wait_for_timeout(300)
    assert fully_above_the_compose_box(".live-lines .from-me[data-seq='16']")
    youth.screenshot(path=str(screenshot_dir / "live-chat-phone-newest-line.png"))
