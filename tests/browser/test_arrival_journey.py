"""From abroad to the local JMD in real Chromium (issue 20): a young person asks from Turkey, later says
"I have arrived in Germany", mistypes the postcode, sees the JMD nearest to 12043 with address and hours,
tries to pass the conversation on without ticking the consent (nothing moves), ticks it, and then sees
"your local JMD" with the appointment booking on the case page, the whole conversation kept; the case
waits in the Berlin-Neukölln team's queue with the handover note."""

from datetime import time

import pytest

from counseling.models import Case, CaseEvent
from counseling.tests.factories import counselor_with_profile
from sites.models import HoursKind, OpeningHours
from sites.tests.factories import SiteFactory
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
QUESTION = "Merhaba! Türkiye'deki lise diplomam Almanya'da tanınır mı?"


def test_a_young_person_from_abroad_passes_the_conversation_to_the_local_jmd(page, screenshot_dir):
    neukoelln = SiteFactory(
        slug="awo-berlin-neukoelln", name="JMD der AWO Berlin-Neukölln", street="Karl-Marx-Straße 117",
        postcode="12043", town="Berlin", latitude="52.478600", longitude="13.439500",
    )  # fmt: skip
    for kind in (HoursKind.ON_SITE, HoursKind.APPOINTMENTS):
        OpeningHours.objects.create(site=neukoelln, kind=kind, weekday=2, opens=time(10), closes=time(16))
    essen = SiteFactory(
        slug="essen", name="JMD Essen", postcode="45127", town="Essen", federal_state="NW",
        latitude="51.455600", longitude="7.011600",
    )  # fmt: skip
    counselor_with_profile("olga", ["tr", "de"], site=essen)
    nils = counselor_with_profile("nils", ["tr", "de"], site=neukoelln, capacity=0)

    page.goto("/en/ask/")
    page.check("input[name=topic][value=recognition]")
    page.select_option("select[name=language]", "tr")
    assert page.locator("select[name=country] option").nth(1).inner_text() == "Germany"
    page.select_option("select[name=country]", "TR")
    page.fill("textarea[name=body]", QUESTION)
    page.fill("#id_account-username", "deniz_2008")
    page.fill("#id_account-password1", "kaffee-mit-milch-7")
    page.fill("#id_account-password2", "kaffee-mit-milch-7")
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/en/cases/**")
    case = Case.objects.get(youth__username="deniz_2008")
    assert case.country_of_residence == "TR" and case.counselor.username == "olga"

    page.click("a[href$='/arrival/']")
    page.wait_for_url("**/arrival/")
    page.fill("input[name=postcode]", "1204")
    with page.expect_navigation():  # the answer is a new page: look at it, not at the one before
        page.click("form:has(input[name=step][value=find]) button[type=submit]")
    assert page.locator("#id_postcode_error").is_visible()
    assert page.input_value("input[name=postcode]") == "1204"  # nothing typed is lost

    page.fill("input[name=postcode]", "12043")
    page.click("form:has(input[name=step][value=find]) button[type=submit]")
    local = page.locator("#local-jmd").inner_text()
    assert "JMD der AWO Berlin-Neukölln" in local and "Karl-Marx-Straße 117" in local and "10:00" in local
    page.screenshot(path=str(screenshot_dir / "arrival-nearest-jmd.png"), full_page=True)
    assert serious_violations(page) == []

    with page.expect_navigation():
        page.click("#consent button[type=submit]")  # without ticking the box
    assert page.locator("#id_consent_consent_error").is_visible()
    case.refresh_from_db()
    assert case.site is None and case.counselor.username == "olga"  # no postcode from abroad
    assert not case.events.filter(kind=CaseEvent.Kind.ARRIVED).exists()

    page.check("input[name=consent]")
    page.click("#consent button[type=submit]")
    page.wait_for_url(lambda url: "/arrival/" not in url and url.endswith("#local-jmd"))
    mine = page.locator("#local-jmd")
    assert "Karl-Marx-Straße 117" in mine.inner_text()
    assert mine.locator(f"a[href='/en/sites/{neukoelln.slug}/book/']").is_visible()
    assert QUESTION in page.locator("[data-case-live=thread]").inner_text()  # the whole history kept
    assert not page.locator("a[href$='/arrival/']").count()
    page.screenshot(path=str(screenshot_dir / "arrival-local-jmd.png"), full_page=True)
    assert serious_violations(page) == []

    case.refresh_from_db()
    assert case.site == neukoelln and case.counselor is None and case.team_only
    assert case.notes.count() == 1
    from counseling import routing

    assert routing.queue_for(nils).filter(pk=case.pk).exists()
