from modeltranslation.translator import TranslationOptions, register

from sites.models import GroupOffer, Site


@register(Site)
class SiteTranslationOptions(TranslationOptions):
    fields = ("description", "accessibility_notes", "directions")


@register(GroupOffer)
class GroupOfferTranslationOptions(TranslationOptions):
    fields = ("title", "description")
