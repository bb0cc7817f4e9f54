"""Staff set-up in real Chromium: a coordinator invites a counselor for site A with Russian and the topic
"work"; the invitee accepts the link from the mail, sets up TOTP, and a young person's Russian question
about work for site A is routed to them and shows in their inbox — without anyone opening a shell."""

import re

import pytest

from counseling.models import Case
from counseling.tests.factories import counselor_with_profile
from hub.models import AuditEntry, User
from hub.roles import Role
from hub.tests.factories import staff_with_totp, totp_now
from sites.tests.factories import SiteFactory
from tests.browser.test_accounts_journeys import log_out
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "lang-und-sicher-42"


def test_an_invited_counselor_is_routed_a_case_within_minutes(
    browser, page, live_server, mailoutbox, screenshot_dir
):
    site_a = SiteFactory(name="JMD Essen", town="Essen")
    site_b = SiteFactory(name="JMD Dresden", town="Dresden")
    # A Russian-speaking colleague elsewhere: routing must prefer site A's new counselor over her.
    counselor_with_profile("counselor_dresden", ["ru"], site=site_b)
    coordinator = staff_with_totp(username="coordinator_bea", roles=[Role.COORDINATOR])

    staff_log_in(page, coordinator)
    page.goto("/de/staff/invitations/")
    page.fill("input[name=email]", "olga@jmd-essen.de")
    page.check("input[name=roles][value=counselor]")
    page.select_option("select[name=counsel_sites]", str(site_a.pk))
    page.check("input[name=languages][value=ru]")
    page.check("input[name=topics][value=work]")
    page.screenshot(path=str(screenshot_dir / "staff-invite.png"), full_page=True)
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    assert "olga@jmd-essen.de" in page.inner_text("main")
    log_out(page)

    # The link in the mail leads to the host the coordinator used.
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.fill("input[name=username]", "olga_b")
    page.fill("input[name=display_name]", "Olga")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/accounts/**")
    if page.locator("input[name=password]").count():  # allauth may ask for the password again
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
    page.wait_for_url("**/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_now(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    olga = User.objects.get(username="olga_b")

    # A young person, in another browser, asks in Russian about work and writes to site A.
    youth_context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    youth = youth_context.new_page()
    youth.goto(f"/ru/ask/?site={site_a.slug}")
    youth.check("input[name=topic][value=work]")
    assert youth.input_value("select[name=language]") == "ru"
    youth.fill("textarea[name=body]", "Как найти место для обучения профессии?")
    youth.fill("#id_account-username", "sasha_07")
    youth.fill("#id_account-password1", "kaffee-mit-milch-7")
    youth.fill("#id_account-password2", "kaffee-mit-milch-7")
    youth.click("main form button[type=submit].primary")
    youth.wait_for_url("**/ru/cases/**")
    youth_context.close()
    case = Case.objects.get()
    assert case.counselor == olga

    page.goto("/de/staff/cases/?box=mine")
    page.wait_for_url("**/staff/cases/**")
    assert page.locator(f"a[href$='/staff/cases/{case.public_id}/']").count() == 1
    page.screenshot(path=str(screenshot_dir / "staff-invited-counselor-inbox.png"), full_page=True)
    assert AuditEntry.objects.filter(action="invitation.sent", actor=coordinator).exists()
