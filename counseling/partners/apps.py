from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "counseling.partners"
    label = "partners"
    verbose_name = _("Network partners")
    default_auto_field = "django.db.models.BigAutoField"
