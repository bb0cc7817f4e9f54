"""Intervision in real Chromium (issue 20, acceptance): a counselor opens their case, asks colleagues,
picks the young person's message into the excerpt, is told which words (a name, the town) still identify
someone and cannot post; nothing typed is lost; after replacing them the request is posted. A colleague
of the group answers; the requester marks the answer as helpful; a counselor outside the group gets 404."""

import pytest

from counseling.intervision.models import IntervisionRequest
from counseling.intervision.tests.factories import group_with
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.tests.factories import SiteFactory
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
WORDS = "Ich heiße Leila und wohne in Rostock. Ich habe Angst, dass mein Visum nicht verlängert wird."
QUESTION = "Wie erkläre ich die nächsten Schritte, ohne sie zu überfordern?"
ANSWER = "Erst die Unterlagen klären, dann einen zweiten Termin anbieten."


def test_a_counselor_asks_colleagues_and_a_group_member_answers(browser, live_server, page, screenshot_dir):
    site = SiteFactory(slug="rostock-iv", town="Rostock")
    anna = counselor_with_profile("counselor_anna_ivb", ["de"], site=site)
    bernd = counselor_with_profile("counselor_bernd_ivb", ["de"])
    outsider = counselor_with_profile("counselor_carla_ivb", ["de"])
    group_with(anna, bernd, name="Intervision Nord", language="de")
    case = assign_to(make_case(youth=UserFactory(roles=[Role.YOUTH]), site=site, body=WORDS), anna)

    page.set_viewport_size({"width": 1280, "height": 900})
    staff_log_in(page, anna)
    page.goto(f"/de/staff/cases/{case.public_id}/")
    page.click("#intervision a.button")
    page.wait_for_url("**/staff/intervision/new/**")
    page.check("input[name=messages]")
    with page.expect_navigation():
        page.click("button[name=pick]")
    assert "Leila" in page.input_value("textarea[name=excerpt]")
    page.fill("textarea[name=question]", QUESTION)
    page.select_option("select[name=group]", label="Intervision Nord")
    with page.expect_navigation():
        page.click("#intervision-request button.primary")
    flags = page.inner_text("#flags")
    assert "Leila" in flags and "Rostock" in page.inner_text("#id_excerpt_error")
    assert page.input_value("textarea[name=question]") == QUESTION  # nothing typed is lost
    page.screenshot(path=str(screenshot_dir / "intervision-flagged.png"), full_page=True)
    assert not IntervisionRequest.objects.exists()

    excerpt = (
        page.input_value("textarea[name=excerpt]").replace("Leila", "[Name]").replace("Rostock", "[Stadt]")
    )
    page.fill("textarea[name=excerpt]", excerpt)
    with page.expect_navigation():
        page.click("#intervision-request button.primary")
    page.wait_for_url("**/staff/intervision/requests/**")
    posted = IntervisionRequest.objects.get()
    assert "[Name]" in page.inner_text("main") and page.locator("#own-case a").count() == 1

    colleague = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    other = colleague.new_page()
    other.set_default_timeout(15_000)
    staff_log_in(other, bernd)
    other.goto("/de/staff/intervision/")
    with other.expect_navigation():
        other.click(f"a[href$='/requests/{posted.public_id}/']")
    assert other.locator("#own-case").count() == 0 and str(case.public_id) not in other.content()
    other.fill("#answer textarea[name=body]", ANSWER)
    with other.expect_navigation():
        other.click("#answer button[type=submit]")
    assert ANSWER in other.inner_text(".thread")
    colleague.close()

    page.reload()
    with page.expect_navigation():
        page.click(".thread form button.button")
    assert page.locator(".thread .helped").count() == 1
    page.screenshot(path=str(screenshot_dir / "intervision-answered.png"), full_page=True)

    stranger = browser.new_context(base_url=live_server.url)
    outside = stranger.new_page()
    outside.set_default_timeout(15_000)
    staff_log_in(outside, outsider)
    assert outside.goto(f"/de/staff/intervision/requests/{posted.public_id}/").status == 404
    stranger.close()
