"""Role scope: a site lead edits their own site only; coordinators edit all; others none."""

import pytest

from hub.roles import Role
from hub.tests.factories import staff_with_totp
from sites import services
from sites.models import Site
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_a():
    return SiteFactory(slug="site-a", town="Essen")


@pytest.fixture
def site_b():
    return SiteFactory(slug="site-b", town="Dresden")


@pytest.fixture
def lead_of_a(site_a):
    user = staff_with_totp(username="lead_a", roles=[Role.SITE_LEAD, Role.COUNSELOR])
    services.site_lead_grant(user=user, site=site_a)
    return user


def edit(client, site, **changes):
    data = {
        "street": site.street,
        "postcode": site.postcode,
        "town": site.town,
        "phone": site.phone,
        "email": site.email,
        "description": site.description,
        "accessibility_notes": "",
        "directions": "",
        "languages": ", ".join(site.languages),
        "offers_online": "on",
        "offers_on_site": "on",
        "appointment_minutes": site.appointment_minutes,
        "appointment_buffer_minutes": site.appointment_buffer_minutes,
        "appointment_notice_hours": site.appointment_notice_hours,
        "appointment_window_days": site.appointment_window_days,
        "appointment_capacity": site.appointment_capacity,
        **changes,
    }
    return client.post(f"/de/staff/sites/{site.slug}/", data)


def test_site_lead_edits_own_site(client, lead_of_a, site_a):
    client.force_login(lead_of_a)
    assert client.get("/de/staff/sites/site-a/").status_code == 200
    response = edit(client, site_a, phone="+49 201 555 0100")
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert site_a.phone == "+49 201 555 0100"


def test_site_lead_of_a_cannot_edit_site_b(client, lead_of_a, site_b):
    client.force_login(lead_of_a)
    assert client.get("/de/staff/sites/site-b/").status_code == 403
    assert edit(client, site_b, phone="+49 351 000").status_code == 403
    site_b.refresh_from_db()
    assert site_b.phone == ""


def test_site_lead_lists_only_own_sites(client, lead_of_a, site_a, site_b):
    client.force_login(lead_of_a)
    sites = list(client.get("/de/staff/sites/").context["sites"])
    assert sites == [site_a]


def test_coordinator_edits_every_site(client, coordinator, site_a, site_b):
    client.force_login(coordinator)
    assert edit(client, site_b, phone="+49 351 1").status_code == 302
    assert Site.objects.get(pk=site_b.pk).phone == "+49 351 1"
    assert set(client.get("/de/staff/sites/").context["sites"]) == {site_a, site_b}


def test_counselor_at_a_site_cannot_edit_it(client, counselor, site_a):
    services.site_counselor_grant(user=counselor, site=site_a)
    client.force_login(counselor)
    assert edit(client, site_a, phone="1").status_code == 403


def test_revoked_site_lead_loses_edit_right(client, lead_of_a, site_a):
    services.site_lead_revoke(user=lead_of_a, site=site_a)
    client.force_login(lead_of_a)
    assert edit(client, site_a, phone="1").status_code == 403


def test_invalid_input_keeps_what_was_typed(client, lead_of_a, site_a):
    client.force_login(lead_of_a)
    response = edit(client, site_a, email="not-an-address", directions="Tram 3 bis Rathaus")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tram 3 bis Rathaus" in body
    assert response.context["form"].errors["email"]
    site_a.refresh_from_db()
    assert site_a.directions == ""


def test_site_lead_sets_languages_and_appointment_rules(client, lead_of_a, site_a):
    client.force_login(lead_of_a)
    response = edit(
        client,
        site_a,
        languages="de, AR, fa",
        appointment_minutes=30,
        appointment_capacity=2,
        offers_groups="on",
    )
    assert response.status_code == 302
    site_a.refresh_from_db()
    assert site_a.languages == ["de", "ar", "fa"]
    assert (site_a.appointment_minutes, site_a.appointment_capacity, site_a.offers_groups) == (30, 2, True)


def test_unknown_language_code_and_zero_capacity_are_explained_and_nothing_saved(client, lead_of_a, site_a):
    client.force_login(lead_of_a)
    response = edit(client, site_a, languages="de, klingon", appointment_capacity=0, directions="Bus 7")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "klingon" in errors["languages"][0]
    assert errors["appointment_capacity"]
    assert "Bus 7" in response.content.decode()
    site_a.refresh_from_db()
    assert (site_a.languages, site_a.appointment_capacity, site_a.directions) == ([], 1, "")
