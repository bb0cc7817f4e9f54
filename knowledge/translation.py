from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from knowledge.models import ArticlePage, KnowledgeIndexPage


@register(KnowledgeIndexPage)
class KnowledgeIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(ArticlePage)
class ArticlePageTR(TranslationOptions):
    # search_text is derived per language on save; translated like the text it is made from.
    fields = ("summary", "body", "search_text")
    fallback_undefined = {"search_text": ""}
