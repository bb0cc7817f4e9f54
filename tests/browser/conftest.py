"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Playwright's sync API keeps an event loop running in this thread
    while it is up, so it must stop before other tests run, and Django must allow sync ORM calls."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog(list):
    def foreign(self, origin: str) -> list[str]:
        own = urlsplit(origin).netloc
        return [url for url in self if not url.startswith("data:") and urlsplit(url).netloc != own]


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized browser context; every request it makes is recorded in page.requests."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.requests = RequestLog()
    page.on("request", lambda request: page.requests.append(request.url))
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
