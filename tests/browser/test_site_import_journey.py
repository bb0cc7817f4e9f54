"""A coordinator imports the site register in real Chromium: chooses the file once, reads the dry run
(one new site, one rejected row with its line and reason), applies it without choosing the file again."""

import pytest

from sites.models import Site
from sites.tests.factories import ProviderGroupFactory
from sites.tests.test_import_page import register_bytes
from sites.tests.test_importer import register_row
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_previews_and_applies_a_register(page, coordinator, tmp_path):
    ProviderGroupFactory(short_name="AWO")
    register = tmp_path / "register.csv"
    register.write_bytes(register_bytes([register_row(1), register_row(2, postcode="12")]))
    staff_log_in(page, coordinator)
    page.goto("/en/staff/")
    page.click("text=Import sites (CSV)")
    page.set_input_files("input[name=register]", str(register))
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/sites/import/preview/")
    assert "1 site would be created" in page.inner_text("main")
    rejected = page.inner_text("#rejected")
    assert "3" in rejected and "JMD-0002" in rejected and "postcode: Enter exactly five digits." in rejected
    assert not Site.objects.filter(code="JMD-0001").exists()
    page.click("text=Apply the import")
    page.wait_for_url("**/staff/sites/")
    assert "1 created, 0 updated, 1 rows rejected" in page.content()
    assert Site.objects.filter(code="JMD-0001").exists()
