"""Reading the legal pages: the footer's links (one cached query), a page in the reader's language, and the
retention periods in force for the page's live block."""

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext

from hub.legal.models import GERMAN_ONLY_KINDS, LegalKind, LegalPage, SignLanguageVideo
from hub.retention import HOURS, policies_current

SOURCE_LANGUAGE = "de"  # the binding text

# The periods that concern young people, in words for them (the privacy notice lists every period with
# the coordinators' wording).
YOUTH_LABELS = {
    "closed_cases": _("Your questions, the answers and your files – after your case is closed"),
    "inactive_cases": _("A case that is still open – after the last message in it"),
    "inactive_youth": _("Your account, if you never ask a question"),
    "guest_chats": _("A chat without an account – after the chat"),
    "chat_rounds": _("Group chat rounds – after the round"),
    "callback_numbers": _("Your phone number for a callback – after the last time you chose"),
    "registrations": _("Appointments and group sign-ups – after the date"),
    "forum_hidden_posts": _("Forum posts a moderator has hidden – after hiding"),
}


def legal_kinds_live() -> list[str]:
    """The kinds with a live page, in footer order: one query, then kept until a page changes (a new
    "legal" fragment version, hub/fragments.py: no round trip of its own on each page)."""
    from hub import fragments

    try:
        return fragments.cached(
            "legal-kinds", depends=("legal",), build=_legal_kinds_query, per_language=False
        )
    except DatabaseError:
        return []  # the error page of a broken database still renders, without the links


def _legal_kinds_query() -> list[str]:
    live = set(LegalPage.objects.live().values_list("kind", flat=True))
    return [kind for kind in LegalKind.values if kind in live]


def legal_links() -> list[dict]:
    """The footer links in the active language."""
    return [
        {"kind": kind, "label": LegalKind(kind).label, "url": reverse("legal:page", kwargs={"kind": kind})}
        for kind in legal_kinds_live()
    ]


def legal_page_live(kind: str) -> LegalPage | None:
    return LegalPage.objects.live().filter(kind=kind).first()


def legal_reading(page: LegalPage, *, language: str) -> dict:
    """The page in the reader's language, else the German binding text (with a note saying so). A page
    written for German readers (Leichte Sprache) is German in every language, with a note of its own."""
    german_only = page.kind in GERMAN_ONLY_KINDS
    shown = language if page.has_language(language) and not german_only else SOURCE_LANGUAGE
    return {
        "page": page,
        "language": language,
        "shown_language": shown,
        "shown_bidi": shown in settings.LANGUAGES_BIDI,
        "german_only": german_only and language != SOURCE_LANGUAGE,
        "not_translated": shown != language and not german_only,
        "is_translation": shown != SOURCE_LANGUAGE,
        "title": getattr(page, f"title_{shown}", "") or page.title_de or page.title,
        "body": getattr(page, f"body_{shown}"),
        "german_url": page.reader_url(SOURCE_LANGUAGE),
    }


def retention_rows(*, youth: bool) -> list[dict]:
    """Each period in force as a row (label, "180 days"), in the active language."""
    rows = []
    for policy, value, _default in policies_current():
        if youth and policy.key not in YOUTH_LABELS:
            continue
        label = YOUTH_LABELS[policy.key] if youth else policy.label
        rows.append({"key": policy.key, "label": label, "period": period_text(value, policy.unit)})
    return rows


def period_text(value: int, unit: str) -> str:
    if value == 0:
        return pgettext("retention period", "immediately")
    if unit == HOURS:
        return npgettext("retention period", "%(count)s hour", "%(count)s hours", value) % {"count": value}
    return npgettext("retention period", "%(count)s day", "%(count)s days", value) % {"count": value}


def sign_language_videos() -> list[SignLanguageVideo]:
    """The published videos of the DGS page with their files (one query)."""
    return list(SignLanguageVideo.objects.filter(is_published=True).select_related("video", "captions"))
