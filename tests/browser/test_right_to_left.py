"""Right-to-left pages in real Chromium: what the reader sees, read back from the laid-out page.

In Arabic a phone number, a postcode with its town and a username inside an Arabic sentence keep their
own left-to-right order (hub/bidi.py isolates them); the language menu stays on the screen."""

import pytest

from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.tests.factories import SiteFactory
from tests.browser.test_accounts_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The characters of an element's text in the order they appear on the screen, left to right, read from
# the layout (one Range per character), so the check sees what the reader sees, not the markup's order.
VISUAL_TEXT = """(element) => {
  const chars = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      chars.push([rect.top, rect.left, node.data[i]]);
    }
  }
  chars.sort((a, b) => Math.round(a[0] - b[0]) || a[1] - b[1]);
  return chars.map((c) => c[2]).join("");
}"""

# The left edge on screen of the first occurrence of a piece of text inside an element.
LEFT_OF = """([element, needle]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    return Math.min(...Array.from(range.getClientRects(), (rect) => rect.left));
  }
  return null;
}"""


def visual_text(locator) -> str:
    return locator.evaluate(VISUAL_TEXT)


def left_of(page, selector: str, needle: str) -> float:
    left = page.evaluate(LEFT_OF, [page.locator(selector).element_handle(), needle])
    assert left is not None, f"{needle!r} not in {selector}"
    return left


def test_arabic_site_page_keeps_phone_number_and_postcode_in_their_order(page):
    SiteFactory(slug="jmd-neukoelln", phone="+49 30 1234567", postcode="12043", town="Berlin")
    page.goto("/ar/sites/jmd-neukoelln/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    phone = page.locator("a[href^='tel:']")
    assert visual_text(phone) == "+49301234567"
    assert left_of(page, "a[href^='tel:']", "+49") < left_of(page, "a[href^='tel:']", "1234567")

    address = page.locator(".card p", has_text="12043")
    assert "12043Berlin" in visual_text(address)
    assert left_of(page, ".card p:has-text('12043')", "12043") < left_of(
        page, ".card p:has-text('12043')", "Berlin"
    )


def test_a_username_inside_an_arabic_sentence_keeps_its_order(page):
    # Digits first: in an Arabic sentence without isolation they become an Arabic number and move to the
    # other end of the name ("kim_2009" on the screen).
    UserFactory(username="2009_kim", roles=[Role.YOUTH])
    log_in(page, "2009_kim")
    page.goto("/ar/me/")
    heading = page.locator("h1")
    assert "2009_kim" in visual_text(heading)
    # The Arabic greeting still comes first, on the right; the name follows to its left.
    assert left_of(page, "h1", "2009") < left_of(page, "h1", "kim") < left_of(page, "h1", "مرحب")


@pytest.mark.parametrize("language", ["ar", "de"])
def test_the_language_menu_stays_on_a_phone_screen(page, language):
    page.goto(f"/{language}/")
    page.locator(".language-switcher summary").click()
    menu = page.locator(".language-switcher ul")
    menu.wait_for(state="visible")
    box = menu.bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == 390
    assert box["x"] >= 0, f"the menu starts {-box['x']} px left of the screen"
    assert box["x"] + box["width"] <= width, (
        f"the menu ends {box['x'] + box['width'] - width} px past the screen"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
