"""Middleware for a young person's privacy and notices (issue 15): signed-in pages are never kept by
the browser, and the language a person uses is remembered for their notices."""

from django.contrib.auth import get_user_model
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path


class SignedInNoStoreMiddleware:
    """Pages shown to a signed-in person are never stored by the browser: after a quick exit or a sign
    out, Back must ask the server again (and get the signed-out page), not show the cached one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class UserLanguageMiddleware:
    """Remembers the language a signed-in person last used (the one in the URL), so that notices are
    written in it and their links open pages in it. One UPDATE when it changes, none otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = request.user
        language = get_language_from_path(request.path_info)
        if user.is_authenticated and language and user.language != language:
            get_user_model().objects.filter(pk=user.pk).update(language=language)
            user.language = language
        return response
