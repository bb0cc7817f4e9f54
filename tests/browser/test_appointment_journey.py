"""A young person finds a site, books a video appointment and sees the confirmation; the site's
counselor sees it in the agenda."""

from datetime import time

import pytest
from django.utils import timezone

from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp, totp_now
from sites import services
from sites.models import Appointment, HoursKind, OpeningHours
from sites.tests.factories import SiteFactory
from tests.browser.test_accounts_journeys import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_youth_finds_a_site_books_video_and_the_counselor_sees_it(page, screenshot_dir):
    site = SiteFactory(
        name="JMD Essen-Mitte",
        slug="jmd-essen",
        postcode="45127",
        town="Essen",
        federal_state="NW",
        latitude="51.456",
        longitude="7.005",
        languages=["de", "ar"],
        appointment_notice_hours=1,
    )
    SiteFactory(
        name="JMD Dresden",
        slug="jmd-dresden",
        postcode="01099",
        town="Dresden",
        federal_state="SN",
        latitude="51.07",
        longitude="13.75",
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, kind=HoursKind.APPOINTMENTS, weekday=day, opens=time(8), closes=time(20))
        for day in range(7)
    )
    UserFactory(username="amira", roles=[Role.YOUTH])
    counselor = staff_with_totp(username="counselor_essen", roles=[Role.COUNSELOR])
    services.site_counselor_grant(user=counselor, site=site)

    log_in(page, "amira")
    page.goto("/de/sites/")
    page.fill("#id_q", "45128")
    with page.expect_navigation():
        page.click("main button[type=submit].primary")
    first_result = page.locator(".results li h3 a").first
    assert first_result.inner_text() == "JMD Essen-Mitte"
    with page.expect_navigation():
        first_result.click()
    with page.expect_navigation():
        page.click("a[href$='/book/']")

    page.check("input[name=mode][value=video]")
    page.locator("input[name=slot]").first.check()
    page.click("main button[type=submit].primary")
    page.wait_for_url("**/sites/appointments/**")
    assert page.locator(".appointment-time").count() == 1
    assert page.locator("html").get_attribute("lang") == "de"
    page.screenshot(path=str(screenshot_dir / "appointment-confirmation.png"), full_page=True)
    appointment = Appointment.objects.get()
    assert appointment.mode == "video"
    log_out(page)

    log_in(page, "counselor_essen")
    page.fill("input[name=code]", totp_now(counselor.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
    page.goto(f"/de/staff/sites/jmd-essen/agenda/?from={timezone.localtime(appointment.starts_at).date()}")
    assert "amira" in page.inner_text("main")
