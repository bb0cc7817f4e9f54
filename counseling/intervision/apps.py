from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntervisionConfig(AppConfig):
    name = "counseling.intervision"
    label = "intervision"
    verbose_name = _("Intervision")
    default_auto_field = "django.db.models.BigAutoField"
