"""The sign-language videos in the CMS (section "Rechtliches" → DGS videos) and who may fetch their files."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.legal.models import SignLanguageVideo


class SignLanguageVideoViewSet(SnippetViewSet):
    model = SignLanguageVideo
    icon = "media"
    menu_label = _("Sign-language videos")
    add_to_admin_menu = True
    list_display = ["title", "sort_order", "is_published"]


register_snippet(SignLanguageVideoViewSet)


def _published_videos(user, object_ids: set[str]) -> bool:
    # A published video and its captions are public like the DGS page itself; a hidden one is for editors.
    return SignLanguageVideo.objects.filter(pk__in=object_ids, is_published=True).exists()


@hooks.register("register_document_readers")
def sign_language_document_readers():
    return {SignLanguageVideo: _published_videos}
