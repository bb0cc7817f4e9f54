"""A counselor reads back through a long case history in Chromium with JavaScript switched off: the case
page shows the latest entries, "show earlier" pages back to the first question, and a link leads back to
the latest ones."""

from counseling import services
from counseling.tests.factories import counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.tests.factories import SiteFactory
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in


def test_paging_back_through_a_long_history_without_javascript(browser, asgi_server, screenshot_dir):
    site = SiteFactory(slug="essen", name="JMD Essen")
    counselor = counselor_with_profile("counselor_kai", ["de"], site=site)
    youth = UserFactory(username="wolke7", roles=[Role.YOUTH])

    def history():
        case = make_case(youth=youth, language="de", site=site, body="Frage 0")
        for number in range(1, 25):
            services.message_send(case=case, author=youth, body=f"Frage {number}")
        return case

    case = outside_the_browser_loop(history)
    context = browser.new_context(
        java_script_enabled=False, base_url=asgi_server, viewport={"width": 1366, "height": 800}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        staff_log_in(page, counselor)
        page.goto(f"/en/staff/cases/{case.public_id}/")
        thread = page.locator("ol.thread")
        assert "Frage 24" in thread.inner_text() and "Frage 14" not in thread.inner_text()
        page.get_by_role("link", name="Show 10 earlier entries").click()
        assert "Frage 14" in thread.inner_text() and "Frage 24" not in thread.inner_text()
        page.get_by_role("link", name="earlier entr").first.click()
        text = thread.inner_text()
        assert "Frage 0" in text and "Frage 13" not in text
        assert page.locator(".thread-earlier").count() == 0  # the first question: nothing further back
        page.screenshot(path=str(screenshot_dir / "case-history-first-page.png"), full_page=True)
        page.get_by_role("link", name="Back to the latest entries").click()
        assert "Frage 24" in thread.inner_text()
    finally:
        context.close()
