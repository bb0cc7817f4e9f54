"""Knowledge base pages (Wagtail): articles for young people (public) and for staff (internal).

Title, slug and body are translated field by field (wagtail-modeltranslation, knowledge/translation.py);
German is the source. Readers never reach these pages through Wagtail's own page serving: the public
URLs are /<lang>/knowledge/... (knowledge/views.py), which check the audience first.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from hub.cms import ReaderUrlMixin
from hub.topics import Topic

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public (young people and visitors)")
    INTERNAL = "internal", _("Internal (staff only)")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"))
    text = blocks.TextBlock(label=_("What to do"), required=False)


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"))

    class Meta:
        template = "knowledge/blocks/steps.html"
        icon = "list-ol"
        label = _("Steps")


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(label=_("Answer"), features=TEXT_FEATURES)

    class Meta:
        template = "knowledge/blocks/faq.html"
        icon = "help"
        label = _("Question and answer")


class ContactBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    text = blocks.TextBlock(label=_("Text"), required=False)

    class Meta:
        template = "knowledge/blocks/contact.html"
        icon = "mail"
        label = _("Contact box (ask a question)")


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Link text"), required=False)


class DownloadsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    files = blocks.ListBlock(DownloadBlock(), label=_("Downloads"))

    class Meta:
        template = "knowledge/blocks/downloads.html"
        icon = "download"
        label = _("Downloads")


class ArticleBlocks(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    steps = StepsBlock()
    faq = FaqBlock()
    contact = ContactBlock()
    downloads = DownloadsBlock()


class KnowledgeIndexPage(Page):
    """The folder the articles live in (one per portal); readers use /<lang>/knowledge/."""

    intro = RichTextField(blank=True, verbose_name=_("Introduction"), features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["knowledge.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge base")

    def serve(self, request, *args, **kwargs):
        return redirect("knowledge:index")


class ArticlePage(ReaderUrlMixin, Page):
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC, db_index=True
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for lists."))
    body = StreamField(ArticleBlocks(), blank=True, verbose_name=_("content"))
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("When should someone check that this is still right?"),
    )
    # Derived on save (never edited): plain text for the search, and per language a fingerprint of its
    # content with the time it last changed, so editors see missing and outdated translations.
    search_text = models.TextField(editable=False, blank=True, default="")
    translation_state = models.JSONField(editable=False, default=dict)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("audience"), InlinePanel("topic_links", label=_("Topics")), FieldPanel("review_by")],
            heading=_("Knowledge base"),
        ),
        *Page.settings_panels,
    ]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []
    template = "knowledge/article.html"  # the editors' preview; readers come through knowledge/views.py

    class Meta:
        verbose_name = _("article")

    def save(self, *args, **kwargs):
        # Every way content goes live (admin publish, scheduled publish, revert, demo) passes here, so the
        # derived fields cannot drift from the text. Saves of other columns only (e.g. a draft's
        # bookkeeping) leave them alone.
        update_fields = kwargs.get("update_fields")
        content_changed = update_fields is None or {"title", "body", "summary"} & {
            f.split("_")[0] for f in update_fields
        }
        if content_changed:
            self.refresh_derived_text()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, *derived_field_names()]
        result = super().save(*args, **kwargs)
        if content_changed:
            from knowledge.search_index import articles_index_update

            # The search index is derived like search_text, in the same transaction as the content.
            articles_index_update([self.pk])
        return result

    def refresh_derived_text(self) -> None:
        from knowledge.text import stream_plain_text

        now = timezone.now().isoformat()
        state = dict(self.translation_state or {})
        for code, _name in settings.LANGUAGES:
            title = getattr(self, f"title_{code}", "") or ""
            body = getattr(self, f"body_{code}", None)
            text = stream_plain_text(body) if body else ""
            summary = getattr(self, f"summary_{code}", "") or ""
            setattr(self, f"search_text_{code}", f"{summary}\n{text}".strip())
            if not title.strip() or not text.strip():
                state.pop(code, None)
                continue
            digest = _fingerprint(title, summary, body)
            if state.get(code, {}).get("hash") != digest:
                state[code] = {"hash": digest, "at": now}
        self.translation_state = state

    def has_language(self, code: str) -> bool:
        return code in (self.translation_state or {})

    def is_outdated(self, code: str) -> bool:
        state = self.translation_state or {}
        if code == "de" or code not in state or "de" not in state:
            return False
        return state[code]["at"] < state["de"]["at"]

    def reader_url(self, language: str) -> str:
        slug = getattr(self, f"slug_{language}", "") or self.slug_de or self.slug
        with override(language):
            return reverse("knowledge:article", kwargs={"page_id": self.pk, "slug": slug})

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        from knowledge.access import article_visible

        if not article_visible(request.user, self):
            raise Http404
        return redirect(self.reader_url(request.LANGUAGE_CODE or "de"))

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors import article_reading

        context = super().get_context(request, *args, **kwargs)
        context.update(article_reading(self, language=getattr(request, "LANGUAGE_CODE", "de")))
        return context


def derived_field_names() -> list[str]:
    return ["translation_state", *(f"search_text_{code}" for code, _name in settings.LANGUAGES)]


def _fingerprint(title: str, summary: str, body) -> str:
    blocks = _without_block_ids(list(body.raw_data)) if body else []
    raw = json.dumps([title, summary, blocks], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _without_block_ids(value):
    # Block ids are bookkeeping, not content, and not stable: a body built in code gets new ids when it
    # comes back from a revision, which changed every language's fingerprint at once and so hid that the
    # translations were older than a changed German text.
    if isinstance(value, dict):
        return {key: _without_block_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list | tuple):
        return [_without_block_ids(item) for item in value]
    return value


class ArticleSearchVectors(models.Model):
    """PostgreSQL's stored search vectors of an article, one per portal language, each GIN-indexed
    (written and matched by knowledge/search_index.py; unused on SQLite, which has its FTS5 table).

    Apart from the page on purpose: Wagtail's revisions and page loads never carry them, and saving a page
    object loaded before the last index update cannot write old vectors back."""

    article = models.OneToOneField(
        ArticlePage, on_delete=models.CASCADE, primary_key=True, related_name="search_vectors"
    )
    vector_de = SearchVectorField(null=True)
    vector_en = SearchVectorField(null=True)
    vector_ar = SearchVectorField(null=True)
    vector_ru = SearchVectorField(null=True)
    vector_tr = SearchVectorField(null=True)
    vector_sq = SearchVectorField(null=True)
    vector_uk = SearchVectorField(null=True)
    vector_fr = SearchVectorField(null=True)

    def __str__(self):
        return f"search vectors of article {self.article_id}"


class ArticleTopic(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)

    panels = [FieldPanel("topic")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "topic"], name="knowledge_topic_once")]

    def __str__(self):
        return self.get_topic_display()


class HelpfulVote(models.Model):
    """ "Was this helpful?" – counters per article and language, nothing about who clicked."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="helpful_votes")
    language = models.CharField(max_length=8)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="knowledge_vote_row")]

    def __str__(self):
        return f"{self.language}: {self.yes} yes, {self.no} no"


class SearchMiss(models.Model):
    """A search that found nothing: the normalised words, language and day with a count – never who."""

    query = models.CharField(max_length=100)
    language = models.CharField(max_length=8)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "language", "day"], name="knowledge_search_miss_row")
        ]

    def __str__(self):
        return f"{self.query} ({self.language}, {self.day}): {self.count}"
