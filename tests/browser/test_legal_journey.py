"""On a phone, a young person opens the legal pages from the footer: the plain-language summary in Arabic
(right to left) from the ask page, then the imprint and the privacy notice in German – readable in the
phone's width, nothing loaded from another host, no serious accessibility violation."""

import pytest

from hub.legal.services import legal_pages_ensure
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_young_person_reads_the_legal_pages_from_the_footer_on_a_phone(page, live_server, screenshot_dir):
    legal_pages_ensure()  # a flushed test database has no page tree until someone lays it

    page.goto("/ar/ask/")
    footer_link = page.locator("footer.site-footer a[data-legal='privacy-summary']")
    footer_link.scroll_into_view_if_needed()
    assert footer_link.is_visible()
    footer_link.click()
    page.wait_for_url("**/ar/legal/privacy-summary/")
    assert page.get_attribute("html", "dir") == "rtl"
    article = page.locator("article.legal-page")
    assert article.get_attribute("lang") == "ar" and article.get_attribute("dir") == "rtl"
    assert "ماذا يحدث لما أكتبه هنا؟" in page.inner_text("h1")
    assert page.locator("table.retention-periods tbody tr").count() >= 5  # the periods in force
    assert "translation-note" in page.content()  # the German text is the binding one
    assert fits_the_phone(page)
    page.screenshot(path=str(screenshot_dir / "legal-summary-ar.png"), full_page=True)
    assert serious_violations(page) == []

    page.goto("/de/")
    page.click("footer.site-footer a[data-legal='imprint']")
    page.wait_for_url("**/de/legal/imprint/")
    assert page.inner_text("h1") == "Impressum"
    assert "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV" in page.inner_text("main")
    assert fits_the_phone(page)

    page.click("footer.site-footer a[data-legal='privacy']")
    page.wait_for_url("**/de/legal/privacy/")
    text = page.inner_text("main")
    assert "Datenschutzerklärung" in page.inner_text("h1")
    assert "Art. 77 DSGVO" in text and "Landesbeauftragte für Datenschutz" in text
    assert "translation-note" not in page.content()
    assert fits_the_phone(page)
    page.screenshot(path=str(screenshot_dir / "legal-privacy-de.png"), full_page=True)
    assert serious_violations(page) == []
    assert page.requests.foreign(live_server.url) == []
