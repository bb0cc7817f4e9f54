from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from allauth.account.signals import user_signed_up
        from django.db.models.signals import post_migrate

        from campaigns.referrals import on_user_signed_up
        from campaigns.services import on_post_migrate

        user_signed_up.connect(on_user_signed_up, dispatch_uid="campaigns.referral_signup")
        # Like Django's own permissions: the campaigns section exists, editable, after every migrate.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="campaigns.section")
