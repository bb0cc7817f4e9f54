"""Legal and information pages (Wagtail): the imprint, the privacy notice and its plain-language summary
for young people, and the BITV 2.0 pages: the accessibility statement (with its feedback form,
`AccessibilityFeedback`), information in Leichte Sprache and the sign-language (DGS) videos
(`SignLanguageVideo`, a CMS snippet whose files are CMS documents served with hub/documents.py's checks).

One page per kind, translated field by field (wagtail-modeltranslation, hub/legal/translation.py). German is
the binding text; a reader gets their language, or the German text with a note where a translation is
missing. Readers come through /<lang>/legal/<kind>/ (hub/legal/views.py), never Wagtail's page serving.

To add a kind: a member of `LegalKind` (its label is the footer link), default texts under
hub/legal/content/<kind>/<lang>.html, and a migration for the new choice.
"""

import uuid

from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from hub.cms import ReaderUrlMixin
from hub.sealed import SealedField, WrappedKeyField

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class LegalKind(models.TextChoices):
    """Footer order. The value is the page's address: /<lang>/legal/<value>/."""

    IMPRINT = "imprint", _("Imprint")
    PRIVACY = "privacy", _("Privacy notice")
    PRIVACY_SUMMARY = "privacy-summary", _("What happens to what I write here?")
    # BITV 2.0 (issue 17).
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    EASY_LANGUAGE = "easy-language", _("Easy-to-read German (Leichte Sprache)")
    SIGN_LANGUAGE = "sign-language", _("German Sign Language (DGS)")


# Pages written for German readers whatever the interface language: Leichte Sprache is a form of German.
# They show the German text with lang="de" and a note saying so, never a "not translated yet" note.
GERMAN_ONLY_KINDS = frozenset({LegalKind.EASY_LANGUAGE})


class RetentionSelection(models.TextChoices):
    ALL = "all", _("Every period (for the privacy notice)")
    YOUTH = "youth", _("What concerns young people, in plain words")


class RetentionPeriodsBlock(blocks.StructBlock):
    """The retention periods in force, read from hub/retention.py when the page is shown, so the text
    cannot go stale when a coordinator changes a period."""

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    selection = blocks.ChoiceBlock(
        choices=RetentionSelection.choices, default=RetentionSelection.ALL, label=_("Which periods")
    )

    class Meta:
        template = "legal/blocks/retention.html"
        icon = "time"
        label = _("Retention periods (always current)")

    def get_context(self, value, parent_context=None):
        from hub.legal.selectors import retention_rows

        context = super().get_context(value, parent_context)
        context["rows"] = retention_rows(youth=value["selection"] == RetentionSelection.YOUTH)
        return context


class LegalBlocks(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    retention = RetentionPeriodsBlock()


class LegalIndexPage(Page):
    """The folder the legal pages live in (one per portal)."""

    max_count = 1
    subpage_types = ["legal.LegalPage"]

    class Meta:
        verbose_name = _("legal information")

    def serve(self, request, *args, **kwargs):
        return redirect("hub:start")


class LegalPage(ReaderUrlMixin, Page):
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=LegalKind.choices,
        unique=True,
        help_text=_("Which page this is; the footer of every page links to it."),
    )
    body = StreamField(LegalBlocks(), blank=True, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [FieldPanel("kind"), *Page.settings_panels]
    parent_page_types = ["legal.LegalIndexPage"]
    subpage_types = []
    template = "legal/page.html"  # the editors' preview; readers come through hub/legal/views.py

    class Meta:
        verbose_name = _("legal page")

    def has_language(self, code: str) -> bool:
        body = getattr(self, f"body_{code}", None)
        return bool(body and len(body))

    def reader_url(self, language: str) -> str:
        with override(language):
            return reverse("legal:page", kwargs={"kind": self.kind})

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        return redirect(self.reader_url(getattr(request, "LANGUAGE_CODE", None) or "de"))

    def get_context(self, request, *args, **kwargs):
        from hub.legal.selectors import legal_reading

        context = super().get_context(request, *args, **kwargs)
        context.update(legal_reading(self, language=getattr(request, "LANGUAGE_CODE", None) or "de"))
        return context


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the accessibility statement's form. Anyone may write, signed in
    or not, and it is not tied to an account: the text and the optional address may name a person, so they
    are sealed with the row's own key (deleting the row makes them unreadable). Coordinators read and
    answer them (hub/legal/feedback.py); the retention purge removes them after its period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wrapped_key = WrappedKeyField()
    message = SealedField(purpose="accessibility-feedback.message")
    page = SealedField(purpose="accessibility-feedback.page", blank=True, default=b"")
    email = SealedField(purpose="accessibility-feedback.email", blank=True, default=b"")
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.public_id)  # never the text: it may name a person


class SignLanguageVideo(models.Model):
    """A video in German Sign Language for the DGS page. The video and its captions (WebVTT) are CMS
    documents, so they are served by this portal (no video platform) through hub/documents.py."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the video explains"), blank=True)
    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file (MP4 or WebM)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("captions (WebVTT file, .vtt)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("shown on the page"), default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("video"),
        FieldPanel("captions"),
        FieldPanel("sort_order"),
        FieldPanel("is_published"),
    ]

    class Meta:
        verbose_name = _("sign-language video")
        verbose_name_plural = _("sign-language videos")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.title
