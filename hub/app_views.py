"""The installable web app: its manifest (one per language), the service worker and the offline page.

The service worker (templates/hub/sw.js) keeps only the static shell and the offline pages; it never
stores a page of the portal, so nothing of a case can be read from the device's caches
(tests/browser/test_installable_app_journey.py looks into them). Quick exit's Clear-Site-Data
("storage") removes the worker and its caches with everything else (hub/quick_exit.py).
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# Colours of hub.css (--brand, --tint): the title bar and the splash screen of the installed app.
THEME_COLOR, BACKGROUND_COLOR = "#005f87", "#f3f5f9"
ICONS = [
    ("hub/img/app-icon-192.png", "192x192", "any"),
    ("hub/img/app-icon-512.png", "512x512", "any"),
    ("hub/img/app-icon-maskable-512.png", "512x512", "maskable"),
]
# What the service worker keeps for offline use: the shell every page needs, nothing else.
SHELL = ["hub/css/hub.css", "hub/js/hub.js", "hub/js/app.js", "hub/img/favicon.svg", *(i[0] for i in ICONS)]


@require_safe
def manifest(request):
    """The app in the language of the URL. One `id` for all languages: installing it in Arabic and in
    German is the same app. Its scope is the whole site, so switching the language stays in the app."""
    data = {
        "id": "/",
        "name": _("JMD digital-hub – advice for young people"),
        "short_name": _("JMD hub"),
        "description": _(
            "Free and anonymous advice for young people aged 12 to 27 who have moved to Germany."
        ),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("hub:start"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_safe
def offline(request):
    """Shown by the service worker when a page cannot be loaded; fetched (without cookies) and kept by
    it in every language when it installs."""
    return render(request, "hub/offline.html")


def _per_language(make) -> dict:
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = make()
    return result


@cache
def _worker_config() -> tuple[str, str]:
    """The worker's settings as JSON, and a version that changes whenever they do (the browser installs
    a changed worker, which fetches the shell again). Computed once per process."""
    config = {
        "shell": [static(path) for path in SHELL],
        "offline": _per_language(lambda: reverse("hub:offline")),
        "notice": _per_language(
            lambda: {
                "title": _("You have a new message"),
                "body": _("Sign in to read it."),
                "url": reverse("hub:youth_home"),
            }
        ),
        "icon": static(ICONS[0][0]),
        "languages": [code for code, _name in settings.LANGUAGES],
        "rtl": list(settings.LANGUAGES_BIDI),
        "default": settings.LANGUAGE_CODE,
    }
    text = json.dumps(config, ensure_ascii=False, sort_keys=True)
    return text, hashlib.sha256(text.encode()).hexdigest()[:12]


@require_safe
def service_worker(request):
    """At the site root, so that its scope is the whole site. Never cached by the browser's HTTP cache:
    an update must reach the device at the next visit."""
    config, version = _worker_config()
    response = render(
        request, "hub/sw.js", {"config": config, "version": version}, content_type="text/javascript"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
