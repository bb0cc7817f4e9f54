"""An intervision meeting's video call in real Chromium (issue 20): two members of the group open the
meeting's page, press "Join" (Chromium's fake camera and microphone, no prompt), and each sees the
other's video playing in a tile with their name; a mute toggle says its state; one leaves and the
other's tile for them goes away. Signalling over the meeting's websocket on uvicorn + Redis."""

import pytest

from counseling.intervision.tests.factories import group_with, meeting_for
from counseling.tests.factories import counselor_with_profile
from tests.browser.conftest import wait_until
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
REMOTE_PLAYING = "!!document.querySelector('[data-remote] video') && "
REMOTE_PLAYING += "document.querySelector('[data-remote] video').videoWidth > 0"


def test_two_members_join_the_meeting_and_see_each_other(new_page, screenshot_dir):
    anna = counselor_with_profile("counselor_anna_mv", ["de"])
    bernd = counselor_with_profile("counselor_bernd_mv", ["de"])
    meeting = outside_the_browser_loop(lambda: meeting_for(group_with(anna, bernd, language="de")))

    pages = {}
    for name, member in (("anna", anna), ("bernd", bernd)):
        page = pages[name] = new_page()
        staff_log_in(page, member)
        page.goto(f"/de/staff/intervision/meetings/{meeting.public_id}/")
        page.click("[data-join]")
        page.wait_for_selector("[data-meeting-video][data-state=joined]")

    for name, other in (("anna", bernd), ("bernd", anna)):
        wait_until(pages[name], REMOTE_PLAYING)
        assert pages[name].inner_text("[data-remote] figcaption") == other.get_full_name()
        assert pages[name].locator("[data-remote]").count() == 1
    pages["anna"].screenshot(path=str(screenshot_dir / "meeting-video.png"))

    anna_page = pages["anna"]
    label = anna_page.inner_text("[data-toggle-mic]")
    anna_page.click("[data-toggle-mic]")
    assert anna_page.get_attribute("[data-toggle-mic]", "aria-pressed") == "true"
    assert anna_page.inner_text("[data-toggle-mic]") != label  # now offers to switch it on again

    pages["bernd"].click("[data-leave]")
    pages["bernd"].wait_for_selector("[data-meeting-video][data-state=left]")
    wait_until(anna_page, "document.querySelectorAll('[data-remote]').length === 0")
