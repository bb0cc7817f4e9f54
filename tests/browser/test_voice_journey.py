"""Voice messages in Chromium with its fake microphone (a steady tone, no permission prompt: the launch
arguments in conftest.py): recorded, listened to, sent, played by the other side, sealed at rest."""

from datetime import time

import pytest

from counseling import chat, sealing
from counseling.models import Attachment, Case
from counseling.tests.factories import counselor_with_profile, make_case
from hub import availability
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.conftest import wait_until
from tests.browser.test_accounts_journeys import log_in
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

EBML = b"\x1a\x45\xdf\xa3"

ALWAYS_OPEN = availability.Schedule(
    weekly=tuple(availability.WeeklyHours(day, time(0), availability.MIDNIGHT) for day in range(7)),
    observe_holidays=False,
)


@pytest.fixture
def microphone(page):
    """The page's context may use the (fake) microphone."""
    page.context.grant_permissions(["microphone"])
    return page


def record(page, seconds: float, scope: str = "") -> None:
    page.click(f"{scope} .voice-recorder button:has-text('Record')")
    page.locator(f"{scope} .voice-countdown").wait_for(state="visible")
    page.wait_for_timeout(int(seconds * 1000))
    page.click(f"{scope} .voice-recorder button:has-text('Stop')")
    page.locator(f"{scope} .voice-recorder audio").wait_for(state="visible")


def test_a_young_person_sends_a_voice_message_and_the_counselor_plays_it(microphone, browser, live_server):
    page = microphone
    youth = UserFactory(username="mira_voice", roles=[Role.YOUTH])
    counselor = counselor_with_profile("vera_voice", ["de"])
    case = outside_the_browser_loop(lambda: make_case(youth=youth, language="de"))
    Case.objects.filter(pk=case.pk).update(counselor=counselor)

    log_in(page, youth.username)
    page.goto(f"/en/cases/{case.public_id}/")
    # The recorder is there, with a countdown while it runs; the plain file input stays for choosing a file.
    record(page, 2.5)
    assert "Recorded 0:0" in page.inner_text(".voice-recorder .voice-status")
    # Listen before sending: the preview plays the recording from the page's memory.
    page.evaluate("document.querySelector('.voice-recorder audio').play()")
    wait_until(page, "document.querySelector('.voice-recorder audio').currentTime > 0")
    assert page.evaluate("document.querySelector('input[name=voice]').files.length") == 1
    page.evaluate("document.querySelector('.voice-recorder audio').pause()")
    # Listen for the navigation before the click: the page after the send drops "sent=1" from its address
    # at once (hub.js, drafts), so waiting for that address afterwards can miss it.
    with page.expect_navigation(url="**/cases/**sent=1**", wait_until="domcontentloaded"):
        page.click("#reply button[type=submit]")
    page.locator(".thread .voice-message audio").wait_for(state="attached")
    assert "Your voice message" in page.inner_text(".thread .voice-message figcaption")

    # At rest the recording is sealed: no WebM in the database, and it opens to the browser's WebM.
    voice = Attachment.objects.get(message__case=case, content_type="audio/webm")
    stored = bytes(voice.data_sealed)
    assert EBML not in stored[:64] and b"webm" not in stored
    opened = sealing.unseal_bytes(voice.message.case, stored, purpose="attachment")
    assert opened.startswith(EBML) and 2000 < voice.duration_ms < 10000

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    staff_page = staff.new_page()
    staff_page.set_default_timeout(15_000)
    staff_log_in(staff_page, counselor)
    staff_page.goto(f"/en/staff/cases/{case.public_id}/")
    player = ".thread .voice-message audio"
    label = staff_page.inner_text(f"#voice-{voice.public_id}")
    assert "Voice message from the young person" in label and "Length: 0:0" in label
    staff_page.evaluate(
        f"""(() => {{ const audio = document.querySelector('{player}');
        window.voicePlayed = false; audio.addEventListener('playing', () => {{ window.voicePlayed = true; }});
        audio.play(); }})()"""
    )
    wait_until(staff_page, "window.voicePlayed === true")
    wait_until(staff_page, f"document.querySelector('{player}').currentTime > 0.2")

    # The summary for the record: written by the counselor, shown beside the player, never to the youth.
    staff_page.click(f"a[href$='/voice/{voice.public_id}/summary/']")
    staff_page.fill("textarea[name=summary]", "Fragt nach dem Ausbildungsvertrag.")
    staff_page.click("main form button[type=submit]")
    staff_page.locator(".voice-summary", has_text="Ausbildungsvertrag").wait_for()
    staff.close()
    page.reload()
    assert "Ausbildungsvertrag" not in page.content()


def test_a_voice_message_arrives_live_in_the_chat(new_page, monkeypatch):
    monkeypatch.setattr(chat, "CHAT_HOURS", ALWAYS_OPEN)
    counselor = counselor_with_profile("vito_voice", ["de"])
    staff = new_page()
    staff_log_in(staff, counselor)
    staff.goto("/de/staff/cases/chats/")
    staff.click("form[action$='/chats/presence/'] button[type=submit]")
    staff.wait_for_selector("[data-chat-desk][data-online=true]")

    youth = new_page()
    youth.context.grant_permissions(["microphone"])
    youth.goto("/en/chat/?language=de")
    youth.select_option("#id_topic", "work")
    youth.click("[data-chat-now] button[type=submit]")
    youth.wait_for_url("**/en/chat/*/")
    staff.locator("[data-desk-lists] form[action$='/accept/'] button").click()
    staff.wait_for_url("**/staff/cases/chats/*/")
    staff.wait_for_selector("[data-live][data-connected=true]")
    youth.locator("[data-live-compose] textarea").wait_for()
    youth.locator("form[data-voice-chat]").wait_for(state="visible")  # shown with the open composer

    record(youth, 2, "[data-voice-chat]")
    youth.click("[data-voice-chat] .voice-recorder button:has-text('Send voice message')")
    # The counselor's page hears the line over the socket and can play it at once.
    line = staff.locator("[role=log] .live-lines .from-other .voice-message audio")
    line.wait_for(state="attached")
    youth.locator(".live-lines .from-me .voice-message audio").wait_for(state="attached")
    assert "Your voice message has been sent." in youth.inner_text("[data-voice-chat] .voice-status")
    staff.evaluate(
        """(() => { const audio = document.querySelector('.live-lines .from-other .voice-message audio');
        window.voicePlayed = false; audio.addEventListener('playing', () => { window.voicePlayed = true; });
        audio.play(); })()"""
    )
    wait_until(staff, "window.voicePlayed === true")
    voice = Attachment.objects.get()
    assert voice.message.chat_seq == 1 and voice.content_type == "audio/webm"
    assert not bytes(voice.data_sealed).startswith(EBML)
    # After a reload, the line comes from the page (the chat's own history), player and all.
    staff.reload()
    staff.locator(".live-lines .voice-message audio").wait_for(state="attached")
