"""The staff inbox and case page in Chromium: rows that arrive by themselves, a dense inbox on a laptop, both
pages at phone width without sideways scrolling, the reply box in view, and keyboard shortcuts that can be
switched off."""

from counseling import services
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
ROW = "[data-inbox-rows] tr[data-case]"


def rows_in_view(page) -> int:
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).filter((row) => {
             const box = row.getBoundingClientRect();
             return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
           }).length""",
        ROW,
    )


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def in_view(page, selector) -> bool:
    return page.evaluate(
        """(selector) => { const box = document.querySelector(selector).getBoundingClientRect();
             return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight; }""",
        selector,
    )


def test_a_new_question_and_a_new_message_appear_in_the_open_inbox_marked_unread(new_page, screenshot_dir):
    counselor = counselor_with_profile("counselor_ina", ["de", "ar"], topics=["work"])
    youth = UserFactory(username="mondlicht", roles=[Role.YOUTH])
    earlier = outside_the_browser_loop(lambda: make_case(youth=youth, language="de"))
    staff = new_page()
    staff.set_viewport_size(LAPTOP)
    staff_log_in(staff, counselor)
    staff.goto(f"/de/staff/cases/{earlier.public_id}/")  # read: no unread mark any more
    staff.goto("/de/staff/cases/")
    staff.wait_for_selector("[data-inbox][data-live=true]")
    assert staff.locator(f"#case-{earlier.public_id}.unread").count() == 0

    newcomer = UserFactory(username="sonnenblume", roles=[Role.YOUTH])
    case = outside_the_browser_loop(lambda: make_case(youth=newcomer, language="ar"))
    row = staff.locator(f"#case-{case.public_id}.unread")
    row.wait_for()
    assert "sonnenblume" in row.inner_text() and row.locator(".badge-unread").count() == 1
    assert staff.title().startswith("(1)")

    outside_the_browser_loop(lambda: services.message_send(case=earlier, author=youth, body="Noch etwas"))
    staff.locator(f"#case-{earlier.public_id}.unread").wait_for()
    assert staff.title().startswith("(2)")
    assert "Noch etwas" not in staff.content()  # the inbox never shows what was written
    staff.screenshot(path=str(screenshot_dir / "staff-inbox-live.png"))

    # A case nobody covers waits in the queue: it appears in the open queue box of a counselor of its
    # language, and leaves it when a colleague takes it.
    staff.goto("/de/staff/cases/?box=queue")
    staff.wait_for_selector("[data-inbox][data-live=true]")
    queued = outside_the_browser_loop(lambda: make_case(language="ar", topic="housing"))
    assert queued.counselor is None
    staff.locator(f"#case-{queued.public_id}.unread form[data-take]").wait_for()
    colleague = counselor_with_profile("counselor_omar", ["ar"])
    outside_the_browser_loop(lambda: services.case_take(case=queued, counselor=colleague))
    staff.locator(f"#case-{queued.public_id}").wait_for(state="detached")


def test_the_inbox_and_the_case_page_fit_a_laptop_and_a_phone(page, screenshot_dir):
    counselor = counselor_with_profile("counselor_dana", ["de"], capacity=100)
    youth = UserFactory(username="ein_sehr_langer_spitzname_2009", roles=[Role.YOUTH])

    def fill():
        cases = [make_case(youth=youth, language="de", topic="work") for _ in range(30)]
        for number in range(12):
            services.message_send(case=cases[0], author=youth, body=f"Nachricht {number} " + "lang " * 40)
        services.message_send(case=cases[0], author=counselor, body="Die letzte Antwort der Beraterin.")
        services.message_send(case=cases[0], author=youth, body="Die allerletzte Nachricht.")
        return cases[0]

    case = outside_the_browser_loop(fill)
    page.set_viewport_size(LAPTOP)
    staff_log_in(page, counselor)

    page.goto("/de/staff/cases/")
    page.screenshot(path=str(screenshot_dir / "staff-inbox-1366.png"))
    assert rows_in_view(page) >= 12
    assert serious_violations(page) == []
    page.goto(f"/de/staff/cases/{case.public_id}/")
    page.screenshot(path=str(screenshot_dir / "staff-case-1366.png"))
    last = page.locator(".thread > li").last
    assert "allerletzte" in last.inner_text()
    assert in_view(page, "#reply textarea[name=body]")
    assert page.evaluate(
        """() => { const last = document.querySelector('.thread > li:last-child').getBoundingClientRect();
                   const box = document.querySelector('.thread-box').getBoundingClientRect();
                   return last.bottom <= box.bottom + 1 && last.top >= box.top - 1 && box.bottom > 0; }"""
    )
    assert serious_violations(page) == []

    page.set_viewport_size(PHONE)
    page.goto("/de/staff/cases/")
    page.screenshot(path=str(screenshot_dir / "staff-inbox-390.png"), full_page=True)
    assert scroll_width(page) <= 390
    assert serious_violations(page) == []
    page.goto(f"/de/staff/cases/{case.public_id}/")
    page.screenshot(path=str(screenshot_dir / "staff-case-390.png"), full_page=True)
    assert scroll_width(page) <= 390
    page.goto(f"/ar/staff/cases/{case.public_id}/")
    assert scroll_width(page) <= 390


def test_keyboard_shortcuts_move_reply_take_search_and_can_be_switched_off(page):
    # Away, so that nothing is routed to them: their cases are assigned, the Ukrainian one waits.
    counselor = counselor_with_profile("counselor_kai", ["de", "uk"], capacity=100, is_absent=True)
    cases = outside_the_browser_loop(
        lambda: [assign_to(make_case(language="de"), counselor) for _ in range(3)]
    )
    queued = outside_the_browser_loop(lambda: make_case(language="uk"))
    assert queued.counselor is None
    staff_log_in(page, counselor)
    page.goto("/de/staff/cases/")
    ids = page.eval_on_selector_all(ROW, "(rows) => rows.map((row) => row.dataset.case)")
    assert set(ids) == {str(case.public_id) for case in cases}

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator(f"#case-{ids[1]}.current").count() == 1
    page.keyboard.press("k")
    assert page.locator(f"#case-{ids[0]}.current").count() == 1
    page.keyboard.press("r")  # the chosen case, at its reply box
    page.wait_for_url(f"**/staff/cases/{ids[0]}/#reply")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.name") == "body"
    page.keyboard.type("j/k?")  # typing in the reply: no shortcut fires
    assert page.input_value("#reply textarea[name=body]") == "j/k?"
    page.locator("h1").click()
    page.keyboard.press("j")  # the next case of the inbox
    page.wait_for_url(f"**/staff/cases/{ids[1]}/")

    page.goto("/de/staff/cases/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "status"  # the filter, opened
    page.goto("/de/staff/cases/?box=queue")
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("t")
    assert page.url.endswith(f"/staff/cases/{queued.public_id}/")

    page.goto("/de/staff/cases/")
    page.keyboard.press("?")
    dialog = page.locator("dialog[data-shortcuts]")
    assert dialog.is_visible()
    dialog.locator("[data-shortcuts-enabled]").uncheck()
    page.keyboard.press("Escape")
    page.reload()
    page.keyboard.press("j")
    page.keyboard.press("?")
    assert page.locator("tr.current").count() == 0 and not dialog.is_visible()
    page.click("[data-shortcuts-open]")  # the list stays reachable to switch them on again
    assert dialog.is_visible()
    dialog.locator("[data-shortcuts-enabled]").check()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert page.locator("tr.current").count() == 1
