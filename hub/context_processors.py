from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import get_language, get_language_info

from hub.roles import is_network_partner, is_staff_member


def portal(request):
    """What the base template needs on every page: the language switcher and the user's area."""
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    languages = [
        {**entry, "url": f"{entry['url']}?{query}" if query and entry["translated"] else entry["url"]}
        for entry in _switcher(escape_uri_path(request.path), get_language())
    ]
    user = getattr(request, "user", None)
    return {
        "portal_languages": languages,
        "is_staff_member": bool(user and user.is_authenticated and is_staff_member(user)),
        "is_network_partner": bool(user and user.is_authenticated and is_network_partner(user)),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }


@lru_cache(maxsize=4096)
def _switcher(path: str, current: str) -> tuple[dict, ...]:
    """The switcher's entries for a path (without its query, which translate_url keeps as it is): the
    same for every request to that path, and resolving it in eight languages cost more than the rest
    of the base template. Bounded: paths that do not resolve are as many as people can type."""
    languages = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        translated = not (url == path and code != current)
        if not translated:
            # The path does not resolve (a 404 page): offer that language's start page instead.
            url = f"/{code}/"
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": code in settings.LANGUAGES_BIDI,
                "url": url,
                "translated": translated,
            }
        )
    return tuple(languages)
