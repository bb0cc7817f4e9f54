"""A visitor finds a group offer, creates an account on the way without losing their place in the
journey, signs up under a pseudonym; the site's counselor sees them in the participant list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.roles import Role
from hub.tests.factories import staff_with_totp, totp_now
from sites import services
from sites.models import GroupOffer, GroupParticipation, GroupSession
from sites.tests.factories import SiteFactory
from tests.browser.test_accounts_journeys import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_for_a_group_and_the_counselor_sees_the_pseudonym(page, screenshot_dir):
    site = SiteFactory(name="JMD Essen-Mitte", slug="jmd-essen", town="Essen", offers_groups=True)
    offer = GroupOffer.objects.create(
        site=site, title_de="Sprachcafé", format="on_site", language="de", capacity=6, room="Raum 2"
    )
    starts_at = timezone.now() + timedelta(days=3)
    GroupSession.objects.create(offer=offer, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    counselor = staff_with_totp(username="counselor_essen", roles=[Role.COUNSELOR])
    services.site_counselor_grant(user=counselor, site=site)

    page.goto("/de/sites/groups/")
    page.click(".results a:has-text('Sprachcafé')")
    page.click("#signup a[href*='/accounts/signup/']")
    page.fill("#id_username", "lina_2009")
    page.fill("#id_password1", "kaffee-mit-milch-7")
    page.fill("#id_password2", "kaffee-mit-milch-7")
    page.click("main button[type=submit].primary")
    page.wait_for_url(f"**/sites/groups/{offer.public_id}/")  # back where the visitor was

    page.fill("#id_pseudonym", "Blauer Vogel")
    page.click("#signup button[type=submit].primary")
    page.wait_for_selector("#signup .status-open")
    page.screenshot(path=str(screenshot_dir / "group-signed-up.png"), full_page=True)
    participation = GroupParticipation.objects.get()
    assert (participation.youth.username, participation.pseudonym, participation.status) == (
        "lina_2009",
        "Blauer Vogel",
        "confirmed",
    )
    log_out(page)

    log_in(page, "counselor_essen")
    page.fill("input[name=code]", totp_now(counselor.totp_secret))
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
    page.goto(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/")
    participants = page.inner_text("main")
    assert "Blauer Vogel" in participants and "lina_2009" not in participants
