"""Legal and information pages (Wagtail): the imprint, the privacy notice and its plain-language summary
for young people – later the accessibility statement, Leichte Sprache and DGS pages.

One page per kind, translated field by field (wagtail-modeltranslation, hub/legal/translation.py). German is
the binding text; a reader gets their language, or the German text with a note where a translation is
missing. Readers come through /<lang>/legal/<kind>/ (hub/legal/views.py), never Wagtail's page serving.

To add a kind: a member of `LegalKind` (its label is the footer link), default texts under
hub/legal/content/<kind>/<lang>.html, and a migration for the new choice.
"""

from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from hub.cms import ReaderUrlMixin

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class LegalKind(models.TextChoices):
    """Footer order. The value is the page's address: /<lang>/legal/<value>/."""

    IMPRINT = "imprint", _("Imprint")
    PRIVACY = "privacy", _("Privacy notice")
    PRIVACY_SUMMARY = "privacy-summary", _("What happens to what I write here?")


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
