from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class HubConfig(AppConfig):
    # Two configs live in this module, so Django picks none by itself for "hub" unless one is the default.
    default = True
    name = "hub"
    verbose_name = _("Hub")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save

        from hub import sockets
        from hub.cms import translated_filter_fields_declare

        translated_filter_fields_declare()
        # Shared page fragments are versioned by the data they show: a change draws a new version.
        from hub.fragments import connect_signals

        connect_signals()
        # Open websockets must hear at once when a session ends or an account is deactivated.
        user_logged_out.connect(sockets.sockets_after_logout, dispatch_uid="hub.sockets.logout")
        post_save.connect(
            sockets.sockets_after_user_saved, sender=get_user_model(), dispatch_uid="hub.sockets.user_saved"
        )


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the CMS user editor narrowed to staff accounts (hub/cms_users.py)."""

    user_viewset = "hub.cms_users.StaffUserViewSet"
