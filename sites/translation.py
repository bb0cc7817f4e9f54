from modeltranslation.translator import TranslationOptions, register

from sites.models import Site


@register(Site)
class SiteTranslationOptions(TranslationOptions):
    fields = ("description", "accessibility_notes", "directions")
