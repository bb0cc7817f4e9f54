"""When access ends while a chat page is open, the page says why in the reader's language and stops:
a counselor whose chat was handed over, a young person who signed out in another tab."""

import uuid

from counseling import chat, services
from counseling.tests.factories import counselor_with_profile
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.test_accounts_journeys import log_in, log_out
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in


def accepted_chat(youth, counselor):
    started = chat.chat_start(youth=youth, language="de", topic="work")
    return chat.chat_accept(chat=started, counselor=counselor).case


def both_sides_in_chat(new_page, counselor, youth_user, case):
    """The counselor's and the young person's chat pages, each with its socket connected."""
    staff = new_page()
    staff_log_in(staff, counselor)
    staff.goto(f"/en/staff/cases/chats/{case.public_id}/")
    staff.wait_for_selector("[data-live][data-connected=true]")
    youth = new_page()
    log_in(youth, youth_user.username)
    youth.goto(f"/en/chat/{case.public_id}/")
    youth.wait_for_selector("[data-live][data-connected=true]")
    return staff, youth


def test_the_counselors_chat_page_says_it_was_handed_over_and_the_young_persons_goes_on(
    new_page, screenshot_dir
):
    counselor = counselor_with_profile("counselor_before", ["de"])
    successor = counselor_with_profile("counselor_after", ["de"])
    youth_user = UserFactory(username=f"mila_{uuid.uuid4().hex[:4]}", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: accepted_chat(youth_user, counselor))
    staff, youth = both_sides_in_chat(new_page, counselor, youth_user, case)

    outside_the_browser_loop(lambda: services.case_handover(case=case, actor=counselor, counselor=successor))
    staff.wait_for_selector("[data-live][data-gone=handover]")
    assert "This conversation was handed over." in staff.inner_text("[data-live-status]")
    assert staff.locator("[data-live-compose]").is_hidden()
    staff.screenshot(path=str(screenshot_dir / "live-chat-handed-over.png"), full_page=True)

    # The young person's page is untouched and still live.
    youth.locator("[data-live-compose] textarea").fill("Hallo?")
    youth.locator("[data-live-compose] textarea").press("Enter")
    youth.locator(".live-lines .from-me[data-seq='1']").wait_for()
    assert youth.get_attribute("[data-live]", "data-gone") is None


def test_signing_out_in_another_tab_closes_the_chat_page_with_a_notice(new_page):
    counselor = counselor_with_profile("counselor_logout", ["de"])
    youth_user = UserFactory(username=f"jonas_{uuid.uuid4().hex[:4]}", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: accepted_chat(youth_user, counselor))

    chat_tab = new_page()
    log_in(chat_tab, youth_user.username)
    chat_tab.goto(f"/en/chat/{case.public_id}/")
    chat_tab.wait_for_selector("[data-live][data-connected=true]")
    other_tab = chat_tab.context.new_page()
    other_tab.goto("/en/")
    log_out(other_tab)
    chat_tab.wait_for_selector("[data-live][data-gone=logout]")
    assert "You were signed out." in chat_tab.inner_text("[data-live-status]")
