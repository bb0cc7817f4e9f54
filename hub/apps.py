from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Hub")

    def ready(self):
        from hub.cms import translated_filter_fields_declare

        translated_filter_fields_declare()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the CMS user editor narrowed to staff accounts (hub/cms_users.py)."""

    user_viewset = "hub.cms_users.StaffUserViewSet"
