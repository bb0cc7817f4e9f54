from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from hub.legal.models import LegalPage


@register(LegalPage)
class LegalPageTR(TranslationOptions):
    fields = ("body",)
