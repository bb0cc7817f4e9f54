"""Feedback after counseling in real Chromium (issue 21): a counselor closes a case, the young person answers
the questions on the case page in Russian, and the coordinator finds the answers beside the statistics –
counted with four earlier ones of the same site, so that the figures pass the suppression – without any
reference to the case."""

import threading

import pytest
from django.db import connection

from counseling import feedback, services
from counseling.feedback_models import CaseFeedback
from counseling.models import Case, CaseStatus
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites.tests.factories import SiteFactory
from tests.browser.test_accounts_journeys import log_in, log_out
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def outside_the_browser_loop(work):
    """Playwright's sync API runs an event loop in this thread; the services' announcements after commit
    (async_to_sync) must run where no loop is. Errors come back to the test."""
    result = {}

    def run():
        try:
            result["value"] = work()
        except Exception as error:  # noqa: BLE001 - re-raised below, in the test's thread
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def earlier_answers(site, n):
    for _ in range(n):
        youth = UserFactory(roles=[Role.YOUTH])
        case = services.case_set_status(case=make_case(youth=youth, site=site), status="closed", actor=None)
        feedback.feedback_give(case=case, user=youth, helped="partly", come_back="yes")


def test_a_closed_case_is_answered_and_the_coordinator_sees_it_without_the_case(page, screenshot_dir):
    site = SiteFactory(name="JMD Leipzig")
    counselor = counselor_with_profile("counselor_ru", ["ru", "de"], site=site)
    youth = UserFactory(username="sasha_2008", roles=[Role.YOUTH])
    # The services announce after commit; Playwright's loop runs in this thread, so they run beside it.
    case = outside_the_browser_loop(
        lambda: assign_to(
            make_case(youth=youth, site=site, language="ru", body="Как найти квартиру?"), counselor
        )
    )
    outside_the_browser_loop(lambda: earlier_answers(site, 4))
    coordinator = staff_with_totp(username="coordinator_feedback", roles=[Role.COORDINATOR])

    staff_log_in(page, counselor)
    page.goto(f"/de/staff/cases/{case.public_id}/")
    page.click("#case-settings summary")
    page.select_option("#case-settings select[name=status]", "closed")
    with page.expect_navigation():
        page.click("#case-settings form[action$='/status/'] button[type=submit]")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    log_out(page)

    log_in(page, youth.username)
    page.goto(f"/ru/cases/{case.public_id}/")
    questions = page.locator("form#feedback")
    assert questions.is_visible()
    page.check("#feedback input[name=feedback-helped][value=yes]")
    page.check("#feedback input[name=feedback-come_back][value=yes]")
    # Contact details are refused with a message, and the text stays to be changed.
    page.fill("#feedback textarea[name=feedback-text]", "Спасибо! Мой телеграм: @sasha_2008")
    with page.expect_navigation():
        page.click("#feedback button[type=submit]")
    assert "@sasha_2008" in page.input_value("textarea[name=feedback-text]")
    assert page.locator(".field-errors").count() == 1
    page.fill("textarea[name=feedback-text]", "Спасибо, мне очень помогли с квартирой.")
    page.screenshot(path=str(screenshot_dir / "feedback-questions-ru.png"), full_page=True)
    with page.expect_navigation():
        page.click("#feedback button[type=submit]")
    assert f"/ru/cases/{case.public_id}/" in page.url
    assert page.locator("form#feedback").count() == 0  # asked once
    assert CaseFeedback.objects.count() == 5 and Case.objects.get(pk=case.pk).feedback_given
    log_out(page)

    staff_log_in(page, coordinator)
    page.goto("/de/staff/statistics/")
    with page.expect_navigation():
        page.click("a[href$='/staff/statistics/feedback/']")
    page.click("main details.card > summary")
    page.select_option("select[name=by]", "site")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    row = page.locator("#feedback-figures tbody tr", has_text="JMD Leipzig")
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "5"  # answers: the young person's and the four before
    assert "< 5" in cells  # one "yes" among partly-helped answers stays hidden
    page.screenshot(path=str(screenshot_dir / "feedback-results.png"), full_page=True)
    html = page.content()
    assert str(case.public_id) not in html and case.public_id.hex[:8] not in html
    # This month's free text waits for the end of the month plus 30 days.
    assert "квартирой" not in html
