"""The strict policy (default-src 'none', each resource type named) blocks nothing the pages need.

Chromium reports every blocked load, inline script or style, connection and form target as a
`securitypolicyviolation` event and a console error; pages of young people, counselors and the
coordinator are opened on uvicorn (websockets of live chat, the chat desk, video and notices included)
and none may report one.
"""

import pytest

from counseling import rounds
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from counseling.tests.test_rounds_and_video import next_tuesday_at
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests.browser.test_accounts_journeys import log_in
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.effectiveDirective} ${event.blockedURI} ${where}`);
});
"""

YOUTH_PUBLIC = [
    "/de/",
    "/ar/",
    "/de/knowledge/",
    "/de/knowledge/?q=schule",
    "/de/accounts/signup/",
    "/de/accounts/login/",
    "/de/ask/",
    "/de/chat/",
    "/de/callback/",
    "/de/sites/",
    "/de/forum/",
    "/de/learn/",
]


def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_console = []
    page.on(
        "console",
        lambda message: (
            page.csp_console.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def violations_on(page, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        page.wait_for_timeout(800)  # scripts run, sockets connect, media start
        reported = page.evaluate("window.__cspViolations") + page.csp_console
        page.csp_console.clear()
        if reported:
            found[path] = reported
    return found


def test_youth_pages_report_no_violation(new_page):
    youth = UserFactory(username="csp_youth", roles=[Role.YOUTH])
    counselor = counselor_with_profile("csp_counselor", ["de"])
    case = outside_the_browser_loop(lambda: assign_to(make_case(youth=youth), counselor))
    page = watched(new_page())
    assert violations_on(page, YOUTH_PUBLIC) == {}
    log_in(page, "csp_youth")
    case_pages = [f"/de/cases/{case.public_id}/", f"/de/cases/{case.public_id}/video/"]
    assert violations_on(page, ["/de/me/", "/de/cases/", *case_pages, "/de/forum/"]) == {}


def test_staff_pages_report_no_violation(new_page):
    youth = UserFactory(username="csp_youth2", roles=[Role.YOUTH])
    counselor = counselor_with_profile("csp_counselor2", ["de"])
    case = outside_the_browser_loop(lambda: assign_to(make_case(youth=youth), counselor))
    chat_round = outside_the_browser_loop(
        lambda: rounds.round_schedule(
            moderator=counselor,
            title="Ausbildung",
            topic="work",
            language="de",
            starts_at=next_tuesday_at(11),
            ends_at=next_tuesday_at(12),
        )  # fmt: skip
    )
    page = watched(new_page())
    staff_log_in(page, counselor)
    paths = [
        f"/de/staff/cases/rounds/{chat_round.public_id}/",  # the join QR code, an SVG data: URI
        "/de/staff/",
        "/de/staff/cases/",
        f"/de/staff/cases/{case.public_id}/",
        f"/de/staff/cases/{case.public_id}/video/",
        "/de/staff/cases/chats/",
        "/de/staff/cases/callbacks/",
        "/de/staff/learning/",
    ]
    assert violations_on(page, paths) == {}

    coordinator = staff_with_totp(username="csp_coordinator", roles=[Role.COORDINATOR])
    page = watched(new_page())
    staff_log_in(page, coordinator)
    assert violations_on(page, ["/de/staff/statistics/", "/de/staff/audit/", "/de/staff/invitations/"]) == {}


def test_the_watch_catches_a_violation(new_page):
    # The check itself works: a script without the nonce is reported.
    page = watched(new_page())
    page.goto("/de/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__cspViolations")
