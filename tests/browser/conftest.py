"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.workers import worker_port

# Features this suite switches off: two pages of this browser connect a video call over this machine
# with host candidates of plain addresses (not mDNS names); no spare renderer, which Chromium starts
# ahead for the next navigation and a new context (every test has its own) cannot use (2 browser test
# modules started 25 renderer processes with it, 18 without).
OWN_DISABLED_FEATURES = ["WebRtcHideLocalIpsWithMdns", "SpareRendererForSitePerProcess"]


def playwright_disabled_features() -> list[str]:
    """The features Playwright's own launch arguments switch off (its chromiumSwitches: no HTTPS upgrade
    of http:// addresses, no optimization hints or network time queries, no media router…).

    Chromium keeps only the last `--disable-features` of its command line, and Playwright puts ours after
    its own: passing ours alone switched all of Playwright's back on. Playwright's Python package does
    not expose its list, so it is read from the driver it ships (tests/browser/test_browser_flags.py
    checks the browser's own command line)."""
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    listed = re.search(r"disabledFeatures = \[(.*?)\]\.filter", bundle.read_text(encoding="utf-8"), re.S)
    if listed is None:
        pytest.fail(f"Playwright's disabled features are no longer listed in {bundle}: see this function")
    return re.findall(r'^\s*"(\w+)",?$', listed.group(1), re.M)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Video calls: a fake camera and microphone, no permission prompt, and loopback peer connections.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
]


def chromium_args() -> list[str]:
    features = dict.fromkeys([*playwright_disabled_features(), *OWN_DISABLED_FEATURES])
    return [*CHROMIUM_ARGS, "--disable-features=" + ",".join(features)]


def executable(name: str, variable: str) -> str:
    path = os.environ.get(variable) or shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: `make test` installs Debian's {name} package")
    return path


@pytest.fixture(scope="package")
def playwright_driver():
    """Playwright's driver, started once per run of the browser tests on a worker. Its sync API keeps an
    event loop running in this thread while it is up, so it must stop before tests outside tests/browser/
    run (the package scope does that), and Django must allow sync ORM calls."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_driver):
    """Chromium for the browser tests: Debian's chromium-headless-shell, the headless build of the same
    Chromium (Blink, V8, its network stack) that Playwright itself runs headless by default. Launched once
    per run of the browser tests on a worker (each test gets a context of its own: cookies, storage, cache,
    service workers): launching it for each module cost seconds of CPU, and the workers share out a
    module's tests. The browser tests come one after another (tests/parallel.slow_tests_first keeps the
    collection order within its groups), so a worker launches it about once per group.

    Why not the full browser for every test: the 73 browser tests took 114 s of CPU with it and 84 s with
    the headless shell (run one after the other, 2026-12-06); its own process and each context's renderer
    cost more. Tests of what only the full browser does (showing notifications) take `full_browser`
    through the `full_chromium` mark."""
    browser = playwright_driver.chromium.launch(
        executable_path=executable("chromium-headless-shell", "CHROMIUM_HEADLESS_SHELL"), args=chromium_args()
    )
    yield WithoutServiceWorkers(browser)
    browser.close()


@pytest.fixture(scope="package")
def full_browser(playwright_driver):
    """Debian's full Chromium (the browser people install), for the tests marked `full_chromium`."""
    browser = playwright_driver.chromium.launch(
        executable_path=executable("chromium", "CHROMIUM"), args=chromium_args()
    )
    yield WithoutServiceWorkers(browser)
    browser.close()


class WithoutServiceWorkers:
    """The browser, whose new contexts run no service worker unless a test asks for one
    (`service_workers="allow"`, or the `service_worker` mark on tests using the `page` fixture). The app's
    worker (templates/hub/sw.js) would otherwise install in every fresh context and fetch the shell and an
    offline page first, for every test, and sit between each navigation and the server: its own journeys
    (test_installable_app_journey.py) test it, the others test the pages."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


class RequestLog(list):
    def foreign(self, origin: str) -> list[str]:
        own = urlsplit(origin).netloc
        return [url for url in self if not url.startswith("data:") and urlsplit(url).netloc != own]


@pytest.fixture
def page(live_server, request):
    """A fresh phone-sized browser context; every request it makes is recorded in page.requests. In the
    full browser for tests marked `full_chromium`, else in the headless shell."""
    full = request.node.get_closest_marker("full_chromium")
    browser = request.getfixturevalue("full_browser" if full else "browser")
    workers = "allow" if request.node.get_closest_marker("service_worker") else "block"
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, service_workers=workers
    )
    page = context.new_page()
    page.requests = RequestLog()
    page.on("request", lambda sent: page.requests.append(sent.url))
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    directory = (
        Path(os.environ.get("TEST_OUTPUT_DIR", Path(settings.BASE_DIR) / "test-output")) / "screenshots"
    )
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def asgi_server(transactional_db):
    """The ASGI application under uvicorn in a thread: HTTP and websockets, as in production (pytest-
    django's live server speaks WSGI only). Test settings close database connections after each use, so
    the server's threads do not hold the test database open."""
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from hub import asgi

    # Static files from the apps' folders, as the live server serves them (production collects them).
    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(asgi.django_asgi_app),
            "websocket": asgi.application.application_mapping["websocket"],
        }
    )

    port = worker_port()
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def new_page(browser, asgi_server):
    """Pages on the ASGI server, each in its own context (its own cookies: one person each)."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=asgi_server)
        contexts.append(context)
        page = context.new_page()
        page.requests = RequestLog()
        page.on("request", lambda request: page.requests.append(request.url))
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def wait_until(page, expression: str, *, timeout: float = 30) -> None:
    """Wait until a JavaScript expression is true, polled from here. Playwright's wait_for_function may
    compile its predicate inside the page (new Function), which the portal's CSP forbids ('unsafe-eval'),
    and then fails only when the condition is not already true at the first look."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {timeout} s: {expression}"
        page.wait_for_timeout(100)
