from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "counseling.forum"
    label = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"
