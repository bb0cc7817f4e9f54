"""A coordinator prints the yearly report for the funders on A4: every column is on the page, up to the
last one (course completions), and each table is a region they can reach and scroll by keyboard."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from hub.models import StatEvent
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from tests.browser.conftest import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year - 1
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


def test_the_yearly_report_prints_every_column_on_a4_and_its_tables_scroll_by_keyboard(
    page, live_server, client, screenshot_dir
):
    day = date(YEAR, 3, 3)
    events = [StatEvent(kind="course_completion", day=day) for _ in range(4711)]
    events += [
        StatEvent(kind="enquiry", day=day, language="de", channel="mail") for _ in range(123456 // 1000)
    ]
    StatEvent.objects.bulk_create(events)
    call_command("stats_rebuild", stdout=io.StringIO())
    coordinator = staff_with_totp(username="coordinator_ida", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"/en/staff/statistics/report/{YEAR}/")

    regions = page.locator('.table-scroll[role="region"][tabindex="0"][aria-label]')
    assert regions.count() == 6  # month, channel, language, topic, provider group, country of residence
    first = regions.first
    for _ in range(60):  # Tab through the page until the first table's region has the focus
        page.keyboard.press("Tab")
        if first.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the first table cannot be reached with Tab")
    assert first.get_attribute("aria-label") == "Figures by Month"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # On a phone the table scrolls (keyboard scrolling may be animated: wait for it).
    wait_until(page, "document.querySelector('.table-scroll').scrollLeft > 0", timeout=5)

    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.emulate_media(media="print")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('table.stats')].filter(table => {
             const last = table.querySelector('thead th:last-child').getBoundingClientRect();
             return table.scrollWidth > table.parentElement.clientWidth || last.right > window.innerWidth;
           }).length"""
    )
    assert overflowing == 0
    page.screenshot(path=str(screenshot_dir / "statistics-report-print.png"), full_page=True)

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "4711" in text  # the course completions: the last column of every table
    assert "completions" in text
