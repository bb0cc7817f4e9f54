"""The installable app's server side (hub/app_views.py): a manifest per language, the service worker's
headers and what it is told to keep. Chromium's own check: tests/browser/test_installable_app_journey.py."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("code", CODES)
def test_every_language_has_its_manifest(client, code):
    response = client.get(f"/{code}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["lang"] == code and data["start_url"] == f"/{code}/" and data["scope"] == "/"
    assert data["dir"] == ("rtl" if code in settings.LANGUAGES_BIDI else "ltr")
    assert data["display"] == "standalone" and data["id"] == "/"
    assert {(icon["sizes"], icon["purpose"]) for icon in data["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in data["icons"]:
        # A committed file of ours, nothing from outside.
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]
    if code != "en":
        english = json.loads(client.get("/en/manifest.webmanifest").content)
        assert data["name"] != english["name"] and data["description"] != english["description"]


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    # The page's policy allows a worker from this origin only.
    page = client.get("/de/")
    assert "worker-src 'self'" in page["Content-Security-Policy"]
    assert 'rel="manifest" href="/de/manifest.webmanifest"' in page.content.decode()


def test_the_worker_keeps_only_the_shell_and_the_offline_pages(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", body)[1])
    assert all(url.startswith(settings.STATIC_URL) for url in config["shell"])
    assert config["offline"] == {code: f"/{code}/offline/" for code in CODES}
    assert set(config["notice"]) == set(CODES)
    for code, notice in config["notice"].items():
        assert notice["url"] == f"/{code}/me/" and "JMD" not in notice["title"] + notice["body"]


def test_the_offline_page_is_storable_for_an_anonymous_fetch_and_private_when_signed_in(client, youth):
    response = client.get("/ar/offline/")
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "") and "no-store" not in response.get(
        "Cache-Control", ""
    )
    assert 'dir="rtl"' in response.content.decode()
    client.force_login(youth)
    assert "no-store" in client.get("/ar/offline/")["Cache-Control"]
