"""The callback desk in real Chromium: with two requests taken, clicking a label of the second request's
outcome form ticks the second request's choice, never the first's."""

import pytest
from django.utils import timezone

from counseling import callbacks
from counseling.models import CallbackRequest, CounselorProfile
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_second_callbacks_label_ticks_the_second_callbacks_choice(page):
    counselor = staff_with_totp(username="counselor_ar", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=counselor, languages=["ar"])
    youth = UserFactory(roles=[Role.YOUTH])
    slots = [slot.start for slot in callbacks.callback_slots(now=timezone.now())[:2]]
    for topic in ("housing", "work"):
        request = callbacks.callback_request(
            youth=youth, phone_e164="+491761234567", language="ar", topic=topic, slots=slots
        )
        callbacks.callback_take(callback=request, counselor=counselor)
    first, second = CallbackRequest.objects.order_by("pk")
    staff_log_in(page, counselor)
    page.goto("/en/staff/cases/callbacks/")
    second_form = page.locator(f"form[action$='/callbacks/{second.public_id}/outcome/']")
    second_form.get_by_text("reached", exact=True).click()
    assert second_form.locator("input[value=reached]").is_checked()
    first_form = page.locator(f"form[action$='/callbacks/{first.public_id}/outcome/']")
    assert not first_form.locator("input[value=reached]").is_checked()
