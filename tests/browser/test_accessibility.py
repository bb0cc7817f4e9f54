"""axe-core (bundled with axe-playwright-python) on the youth and staff pages, in German and Arabic."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from counseling.partners.tests.factories import organisation_create, partner_account, partner_enquiry
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests.browser.test_counseling_journey import outside_the_browser_loop

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/de/", "/ar/", "/de/accounts/signup/", "/ar/accounts/signup/", "/ru/accounts/login/", "/de/nope/"]


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}x)"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_public_pages_have_no_serious_accessibility_violations(page):
    for path in PUBLIC:
        page.goto(path)
        assert serious_violations(page) == [], path


def test_signed_in_pages_have_no_serious_accessibility_violations(page, client, live_server):
    youth = UserFactory(username="amira", roles=[Role.YOUTH])
    coordinator = staff_with_totp(username="coordinator_bea", roles=[Role.COORDINATOR])
    other = staff_with_totp(username="counselor_anna", roles=[Role.COUNSELOR])
    goethe = organisation_create()
    partner = partner_account("partner_aigerim", goethe)
    enquiry = outside_the_browser_loop(lambda: partner_enquiry(partner))  # it announces the new case
    for user, paths in [
        (youth, ["/de/me/", "/ar/me/delete/"]),
        (
            coordinator,
            [
                "/de/staff/",
                "/de/staff/invitations/",
                "/ar/staff/accounts/",
                f"/de/staff/accounts/{other.pk}/",
                f"/de/staff/partners/{goethe.pk}/",
            ],
        ),
        (partner, ["/de/partner/", "/ar/partner/ask/", f"/ar/partner/enquiries/{enquiry.public_id}/"]),
    ]:
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        for path in paths:
            page.goto(path)
            assert serious_violations(page) == [], path
