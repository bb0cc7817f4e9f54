from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from hub.roles import is_network_partner, is_staff_member


def portal(request):
    """What the base template needs on every page: the language switcher and the user's area."""
    current = get_language()
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            # The path does not resolve (a 404 page): offer that language's start page instead.
            url = f"/{code}/"
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": code in settings.LANGUAGES_BIDI,
                "url": url,
            }
        )
    user = getattr(request, "user", None)
    return {
        "portal_languages": languages,
        "is_staff_member": bool(user and user.is_authenticated and is_staff_member(user)),
        "is_network_partner": bool(user and user.is_authenticated and is_network_partner(user)),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
