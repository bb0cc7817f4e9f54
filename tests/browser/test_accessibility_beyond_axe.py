"""What axe cannot see, measured in Chromium: the error summary takes the focus after a failed submit,
and the focus ring has at least 3:1 contrast against what lies behind it on every focusable element
(WCAG 1.4.11) of the youth start page, the ask page and the staff inbox, in a left-to-right and a
right-to-left language."""

import pytest

from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Tab through the page and, for each element that gets the focus, read its outline and the first
# non-transparent background behind the outline: the parent's for a ring drawn outside the element,
# the element's own for one drawn inside (negative offset). Contrast as WCAG defines it.
MEASURE_FOCUS = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = (c) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const backgroundBehind = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0.5) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const offset = parseFloat(style.outlineOffset) || 0;
  const behind = backgroundBehind(offset < 0 ? element : element.parentElement);
  const ring = parse(style.outlineColor);
  const width = parseFloat(style.outlineWidth) || 0;
  const classes = typeof element.className === "string" && element.className
    ? "." + element.className.split(" ").join(".") : "";
  const label = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes +
    " " + (element.textContent || element.name || "").trim().slice(0, 30);
  return {
    label,
    visible: element.matches(":focus-visible"),
    style: style.outlineStyle,
    width,
    ratio: ring ? contrast(ring, behind) : 0,
  };
}
"""


def focus_ring_failures(page, *, max_tabs: int = 250) -> tuple[int, list[str]]:
    # Open menus (the language switcher) so that their links are measured on the menu's background.
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    seen, failures = set(), []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        found = page.evaluate(MEASURE_FOCUS)
        if found is None:
            break
        if found["label"] in seen:
            break  # back at the start: every element had its turn
        seen.add(found["label"])
        if not found["visible"] or found["style"] == "none" or found["width"] < 2 or found["ratio"] < 3:
            failures.append(f"{found['label']}: {found['style']} {found['width']}px, {found['ratio']:.2f}:1")
    return len(seen), failures


def sign_in(page, client, live_server, user):
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["de", "ar"])
def test_focus_ring_has_three_to_one_contrast_on_youth_pages(page, language):
    for path in (f"/{language}/", f"/{language}/ask/"):
        page.goto(path)
        measured, failures = focus_ring_failures(page)
        assert measured > 10, path
        assert failures == [], path


def test_focus_ring_has_three_to_one_contrast_on_the_staff_inbox(page, client, live_server):
    counselor = staff_with_totp(username="counselor_rana", roles=[Role.COUNSELOR])
    sign_in(page, client, live_server, counselor)
    for path in ("/de/staff/cases/", "/de/staff/"):
        page.goto(path)
        measured, failures = focus_ring_failures(page)
        assert measured > 10, path
        assert failures == [], path


def test_after_a_failed_ask_the_error_summary_has_the_focus_and_leads_to_each_field(page):
    page.goto("/de/ask/")
    page.get_by_role("button", name="Frage senden").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    # The script is deferred: the summary is in the page before the script has run and moved the focus.
    page.wait_for_function("() => document.activeElement.hasAttribute('data-error-summary')")
    labelled_by = page.evaluate("() => document.activeElement.getAttribute('aria-labelledby')")
    assert labelled_by == "error-summary-title"
    # The first link leads to the topic question: the first radio of its group takes the focus.
    summary.locator("a[href='#id_topic_0']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_topic_0"
    # The group announces its question, its error and that it is invalid.
    group = page.locator("fieldset[role=radiogroup]:has(#id_topic_0)")
    assert group.locator("legend").inner_text() == "Worum geht es in deiner Frage?"
    assert group.get_attribute("aria-invalid") == "true"
    described = group.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text().strip() != ""
    # Every other field with an error is tied to its message.
    for name in ("id_body", "id_account-username", "id_account-password1"):
        field = page.locator(f"#{name}")
        assert field.get_attribute("aria-invalid") == "true", name
        assert f"{name}_error" in field.get_attribute("aria-describedby"), name
    # The password rules are read with the field (not only after a refusal).
    assert "id_account-password1_helptext" in page.locator("#id_account-password1").get_attribute(
        "aria-describedby"
    )
