from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from hub.roles import is_staff_member


def portal(request):
    """What the base template needs on every page: the language switcher and the user's area."""
    languages = [
        {
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "bidi": code in settings.LANGUAGES_BIDI,
            "url": translate_url(request.get_full_path(), code),
        }
        for code, _name in settings.LANGUAGES
    ]
    user = getattr(request, "user", None)
    return {
        "portal_languages": languages,
        "is_staff_member": bool(user and user.is_authenticated and is_staff_member(user)),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
