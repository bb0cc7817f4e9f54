"""A young person in Almaty reads their appointment in Arabic and in English: the German time as the
language writes it (hub/dates.py) and their own time beside it, written by the browser (hub.js) with the
same choices (Arabic with Latin digits, British English)."""

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.models import Appointment
from sites.tests.factories import SiteFactory
from tests.browser.test_accounts_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ARABIC_INDIC_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def test_an_arabic_appointment_reads_in_german_and_in_the_readers_own_time(browser, live_server):
    youth = UserFactory(username="amira", roles=[Role.YOUTH])
    berlin = ZoneInfo("Europe/Berlin")
    day = datetime.now(berlin).date() + timedelta(days=3)
    start = datetime(day.year, day.month, day.day, 16, 5, tzinfo=berlin)
    appointment = Appointment.objects.create(
        site=SiteFactory(), youth=youth, mode="video", language="ar", starts_at=start,
        ends_at=start + timedelta(minutes=45), idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, timezone_id="Asia/Almaty"
    )
    page = context.new_page()
    try:
        log_in(page, "amira")
        page.goto(f"/ar/sites/appointments/{appointment.public_id}/")
        when = page.locator(".appointment-time")
        local = when.locator("time[data-local-time]")
        local.wait_for(state="visible")
        text = when.inner_text()
        assert "4:05 م" in text  # German time, as Arabic writes it
        # Almaty is UTC+5: 20:05 there, with Latin digits as on the server.
        assert "08:05" in local.inner_text() and "م" in local.inner_text()
        assert not ARABIC_INDIC_DIGITS.search(text), text

        # English is British on the server (hub/dates.py) and in the browser: 20:05, not 08:05 PM.
        page.goto(f"/en/sites/appointments/{appointment.public_id}/")
        local = page.locator(".appointment-time time[data-local-time]")
        local.wait_for(state="visible")
        assert "16:05" in page.locator(".appointment-time").inner_text()
        assert "20:05" in local.inner_text() and "PM" not in local.inner_text()
    finally:
        context.close()
