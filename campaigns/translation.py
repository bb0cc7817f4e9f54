from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from campaigns.models import CampaignPage


@register(CampaignPage)
class CampaignPageTR(TranslationOptions):
    fields = ("message", "call_to_action_label", "share_text")
