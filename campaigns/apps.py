from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from allauth.account.signals import user_signed_up

        from campaigns.referrals import on_user_signed_up

        user_signed_up.connect(on_user_signed_up, dispatch_uid="campaigns.referral_signup")
