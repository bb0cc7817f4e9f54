from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Hub")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save

        from hub import sockets

        # Open websockets must hear at once when a session ends or an account is deactivated.
        user_logged_out.connect(sockets.sockets_after_logout, dispatch_uid="hub.sockets.logout")
        post_save.connect(
            sockets.sockets_after_user_saved, sender=get_user_model(), dispatch_uid="hub.sockets.user_saved"
        )
