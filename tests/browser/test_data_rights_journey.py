"""Data rights and statistics in real Chromium: a young person downloads their data and deletes the
account; their counselor then sees that the person deleted their account; the coordinator reads the
statistics (the figures are unchanged by the deletion) and the yearly report."""

import json
import zipfile

import pytest

from counseling import services
from counseling.models import CounselorProfile
from hub.models import StatEvent, User
from hub.roles import Role
from hub.tests.factories import PASSWORD, UserFactory, staff_with_totp
from tests.browser.test_accounts_journeys import log_in, log_out
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
QUESTION = "Wie kann ich meinen Schulabschluss anerkennen lassen?"
ANSWER = "Dafür ist die Zeugnisanerkennungsstelle zuständig."


def test_youth_downloads_the_data_deletes_the_account_and_the_figures_stay(page, screenshot_dir, tmp_path):
    counselor = staff_with_totp(username="counselor_lena", display_name="Lena", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    coordinator = staff_with_totp(username="coordinator_jo", display_name="Jo", roles=[Role.COORDINATOR])
    youth = UserFactory(username="sami_22", roles=[Role.YOUTH])

    def converse():
        case = services.enquiry_create(youth=youth, topic="recognition", language="de", body=QUESTION)
        services.message_send(case=case, author=counselor, body=ANSWER)
        return case

    case = outside_the_browser_loop(converse)

    log_in(page, "sami_22")
    page.goto("/en/me/")
    with page.expect_navigation():
        page.click("a[href='/en/me/data/']")
    page.screenshot(path=str(screenshot_dir / "my-data.png"), full_page=True)
    with page.expect_download() as download:
        page.click("main form button[type=submit].primary")
    archive_path = tmp_path / "export.zip"
    download.value.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        data = json.loads(archive.read("data.json"))
        assert [m["text"] for m in data["sections"]["cases"][0]["messages"]] == [QUESTION, ANSWER]
        assert QUESTION in archive.read("index.html").decode()

    figures_before = StatEvent.objects.count()
    page.goto("/en/me/delete/")
    page.fill("input[name=password]", PASSWORD)
    page.screenshot(path=str(screenshot_dir / "delete-account.png"), full_page=True)
    page.click("main form button[type=submit].danger")
    page.wait_for_url("**/en/")
    assert "have been deleted" in page.inner_text("main")
    assert not User.objects.filter(username="sami_22").exists()
    assert StatEvent.objects.count() == figures_before

    staff_log_in(page, counselor)
    page.goto("/en/staff/cases/?box=mine")
    with page.expect_navigation():
        page.click(f"a[href$='/staff/cases/{case.public_id}/']")
    assert "The person deleted their account" in page.inner_text("main")
    assert QUESTION not in page.content()
    page.screenshot(path=str(screenshot_dir / "case-deleted-by-youth.png"), full_page=True)
    log_out(page)

    staff_log_in(page, coordinator)
    page.goto("/en/staff/")
    with page.expect_navigation():
        page.click("a[href='/en/staff/statistics/']")
    assert page.locator("svg.bar-chart").is_visible()
    assert "< 5" in page.inner_text("table.stats")  # one enquiry: suppressed
    page.screenshot(path=str(screenshot_dir / "statistics.png"), full_page=True)
    page.click("text=Yearly report")
    assert "yearly report" in page.inner_text("h1")
    page.screenshot(path=str(screenshot_dir / "statistics-report.png"), full_page=True)
    page.goto("/en/staff/retention/")
    page.fill("input[name=closed_cases]", "5")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    assert "greater than or equal to 30" in page.inner_text("main")
    assert page.input_value("input[name=closed_cases]") == "5"
    assert page.input_value("input[name=inactive_cases]") == "365"  # every case, whatever its status
    page.screenshot(path=str(screenshot_dir / "retention.png"), full_page=True)
    page.goto("/en/staff/audit/")
    assert "a young person downloaded their own data" in page.inner_text("main")
    assert page.requests.foreign(page.url) == []
