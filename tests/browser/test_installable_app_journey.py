"""The installable app in real Chromium (issue 21): Chromium's own installability check passes, the
offline page shows in the page's language when the network is gone, the service worker's caches hold no
page of the portal (a case page visited while signed in included), and a push shows the generic notice.

Push in this browser: Chromium subscribes through Google's push service (FCM), which cannot be reached
here, so the test tries `pushManager.subscribe` and, when that fails, hands the push to the service
worker through the DevTools protocol (ServiceWorker.deliverPushMessage), as the push service would.
"""

import json

import pytest

from counseling.tests.factories import make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.conftest import RequestLog, chromium_args, executable, wait_until
from tests.browser.test_accounts_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

SECRET = "Mein Aufenthaltstitel läuft im März ab, was jetzt?"

CACHED_URLS = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push({url: new URL(request.url).pathname, type: response.headers.get("Content-Type") || "",
                  body: await response.clone().text()});
    }
  }
  return found;
}"""


NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({title: n.title, body: n.body, url: n.data.url}))"""


def controlled(page) -> None:
    """Until the worker controls the page (installed, shell fetched, activated, clients claimed)."""
    wait_until(page, "navigator.serviceWorker.controller !== null")


def test_chromium_finds_the_app_installable(playwright_driver, live_server, db, tmp_path):
    # The full browser, whose install offer this is, with a persistent profile: Chromium never offers to
    # install from an incognito-like context, which is what Playwright's ordinary contexts are.
    context = playwright_driver.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=executable("chromium", "CHROMIUM"),
        args=chromium_args(),
        base_url=live_server.url,
    )
    try:
        check_installable(context.pages[0] if context.pages else context.new_page())
    finally:
        context.close()


def check_installable(page):
    page.requests = RequestLog()
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto("/ar/")
    controlled(page)
    session = page.context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = session.send("Page.getAppManifest")
    assert manifest["url"].endswith("/ar/manifest.webmanifest")
    data = json.loads(manifest["data"])
    assert data["dir"] == "rtl" and data["lang"] == "ar" and data["start_url"] == "/ar/"
    assert data["name"] != "JMD digital-hub – advice for young people"  # in Arabic, not English
    assert not manifest.get("errors")
    assert page.requests.foreign(page.url) == []


def test_without_network_the_offline_page_shows_in_the_pages_language(page, db):
    page.goto("/ru/knowledge/")
    controlled(page)
    page.goto("/ar/")  # each language's offline page is kept once a page in it has been opened
    for _attempt in range(50):
        if page.evaluate("async () => Boolean(await caches.match('/ar/offline/'))"):
            break
        page.wait_for_timeout(100)
    page.context.set_offline(True)
    page.goto("/ru/sites/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() != "No connection"
    assert page.locator("link[rel=stylesheet]").count() == 1
    # The styles come from the worker's copy: the page looks like the portal, offline too.
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == (
        "rgb(0, 95, 135)"
    )
    page.goto("/ar/ask/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.context.set_offline(False)
    page.goto("/ru/sites/")
    assert "/sites/" in page.url and page.locator("h1").count()


def test_the_caches_hold_no_case_page_after_a_signed_in_visit(page, db):
    youth = UserFactory(username="leyla", roles=[Role.YOUTH])
    case = make_case(youth=youth, body=SECRET)
    log_in(page, "leyla")
    page.goto("/de/me/")
    controlled(page)
    page.goto(f"/de/cases/{case.public_id}/")
    assert SECRET in page.content()
    page.goto("/de/me/")
    cached = page.evaluate(CACHED_URLS)
    assert cached, "the worker keeps the shell"
    html = [entry for entry in cached if "html" in entry["type"]]
    # Offline pages only: German (the default) and the languages read here; never a portal page.
    assert {entry["url"] for entry in html} == {"/de/offline/"}
    for entry in cached:
        assert SECRET not in entry["body"] and str(case.public_id) not in entry["url"]
        assert "leyla" not in entry["body"], entry["url"]  # the offline pages were fetched signed out


@pytest.mark.full_chromium  # the headless shell shows no notifications
def test_a_push_shows_the_generic_notice_in_the_subscriptions_language(page, db):
    UserFactory(username="dana", roles=[Role.YOUTH])
    page.context.grant_permissions(["notifications"])
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    session.send("ServiceWorker.enable")
    log_in(page, "dana")
    page.goto("/uk/me/")
    controlled(page)
    page.locator("[data-push-switch] input[type=checkbox]").wait_for(state="attached")
    wait_until(page, "!document.querySelector('[data-push-toggle]').disabled")
    subscribed = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          const key = document.querySelector("[data-push-switch]").dataset.publicKey;
          try {
            const text = key.replace(/-/g, "+").replace(/_/g, "/");
            const padded = atob(text + "===".slice((text.length + 3) % 4));
            const raw = Uint8Array.from(padded, (c) => c.charCodeAt(0));
            await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: raw});
            return "subscribed";
          } catch (error) { return "failed: " + error.name; }
        }"""
    )
    page.subscribe_outcome = subscribed
    print("pushManager.subscribe:", subscribed)  # noqa: T201 - the report says which path worked
    live = [r for r in registrations if r["scopeURL"].endswith("/") and not r.get("isDeleted")]
    registration = live[-1]
    notices = []
    # A push service delivers again when the worker did not take a message; so does the test (a busy
    # machine may still be starting the worker). The notices share one tag: a repeat replaces, never adds.
    for _delivery in range(5):
        session.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": page.url.split("/uk/")[0],
                "registrationId": registration["registrationId"],
                "data": json.dumps({"t": "new", "l": "uk"}),
            },
        )
        for _attempt in range(40):
            notices = page.evaluate(NOTIFICATIONS)
            if notices:
                break
            page.wait_for_timeout(100)
        if notices:
            break
    assert len(notices) == 1, registrations
    [notice] = notices
    assert notice["url"] == "/uk/me/"
    assert notice["title"] and "JMD" not in notice["title"] + notice["body"]
    assert notice["title"] != "You have a new message"  # Ukrainian, from the service worker's texts


def test_quick_exit_removes_the_worker_and_its_caches(page, db):
    """Quick exit leaves no trace: its Clear-Site-Data ("storage") unregisters the worker and empties
    its caches, so no offline page or icon of the portal stays on the device."""
    page.context.route(
        "https://de.wikipedia.org/**",
        lambda route: route.fulfill(body="<h1>Wetter</h1>", content_type="text/html"),
    )
    page.goto("/en/knowledge/")
    controlled(page)
    assert page.evaluate("async () => (await caches.keys()).length") == 1
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("https://de.wikipedia.org/**")
    # Back on the portal's origin, on a page that registers nothing (JSON), to look into its storage.
    page.goto("/health/")
    left = {}
    for _attempt in range(150):  # the beacon's answer (with Clear-Site-Data) may come after the navigation
        left = page.evaluate(
            """async () => ({caches: (await caches.keys()).length,
                             workers: (await navigator.serviceWorker.getRegistrations()).length})"""
        )
        if left == {"caches": 0, "workers": 0}:
            break
        page.wait_for_timeout(100)
    assert left == {"caches": 0, "workers": 0}


def test_without_a_service_worker_the_switch_says_notifications_cannot_be_shown(browser, live_server, db):
    """A browser that runs no worker (blocked here, as in some private windows) is told so on /me/ instead
    of keeping the "needs JavaScript" text beside a switch that never wakes."""
    youth = UserFactory(username="no_worker_youth", roles=[Role.YOUTH])
    context = browser.new_context(base_url=live_server.url, service_workers="block")
    page = context.new_page()
    log_in(page, youth.username)
    page.goto("/en/me/")
    status = page.locator("[data-push-status]")
    assert status.inner_text() == "This needs JavaScript in your browser."
    wait_until(page, "document.querySelector('[data-push-status]').textContent.includes('cannot show')")
    assert status.inner_text() == "This browser cannot show notifications from websites."
    assert page.locator("[data-push-toggle]").is_disabled()
    context.close()
