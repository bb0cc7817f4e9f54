"""Coordinators and editors edit the legal pages in the Wagtail admin; counselors and young people cannot."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from hub.legal.models import LegalIndexPage, LegalKind, LegalPage
from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]


def test_coordinators_and_editors_have_page_rights_on_the_legal_section_counselors_none():
    index = LegalIndexPage.objects.get()
    for role in (Role.COORDINATOR, Role.EDITOR):
        codenames = set(
            GroupPagePermission.objects.filter(group=Group.objects.get(name=role), page=index).values_list(
                "permission__codename", flat=True
            )
        )
        assert {"change_page", "publish_page"} <= codenames
    assert not GroupPagePermission.objects.filter(page=index, group__name=Role.COUNSELOR).exists()


@pytest.mark.parametrize("kind", LegalKind.values)
def test_a_coordinator_may_edit_and_publish_every_legal_page(client, coordinator, kind):
    page = LegalPage.objects.get(kind=kind)
    permissions = page.permissions_for_user(coordinator)
    assert permissions.can_edit() and permissions.can_publish()
    client.force_login(coordinator)
    response = client.get(f"/staff/cms/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    # Title and content per language, German first (wagtail-modeltranslation).
    assert 'name="title_de"' in html and 'name="title_ar"' in html
    assert "body_de" in html and "body_uk" in html


def test_a_coordinator_publishes_a_changed_imprint_and_readers_see_it(client, coordinator):
    page = LegalPage.objects.get(kind=LegalKind.IMPRINT)
    client.force_login(coordinator)
    edited = page.get_latest_revision_as_object()
    edited.title_de = "Impressum des Servicebüros"
    edited.save_revision(user=coordinator).publish(user=coordinator)
    assert "Impressum des Servicebüros" in client.get("/de/legal/imprint/").content.decode()


def test_a_counselor_cannot_edit_legal_pages(client, counselor):
    page = LegalPage.objects.get(kind=LegalKind.PRIVACY)
    permissions = page.permissions_for_user(counselor)
    assert not permissions.can_edit() and not permissions.can_publish()
    client.force_login(counselor)
    assert client.get(f"/staff/cms/pages/{page.pk}/edit/").status_code in {302, 403}


def test_a_young_person_cannot_reach_the_editor(client, youth):
    page = LegalPage.objects.get(kind=LegalKind.PRIVACY)
    assert not page.permissions_for_user(youth).can_edit()
    client.force_login(youth)
    assert client.get(f"/staff/cms/pages/{page.pk}/edit/").status_code == 403


def test_a_site_lead_cannot_edit_legal_pages(client):
    site_lead = staff_with_totp(username="lead_lena", roles=[Role.SITE_LEAD, Role.COUNSELOR])
    page = LegalPage.objects.get(kind=LegalKind.IMPRINT)
    assert not page.permissions_for_user(site_lead).can_edit()
    client.force_login(site_lead)
    assert client.get(f"/staff/cms/pages/{page.pk}/edit/").status_code in {302, 403}
