from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "hub.legal"
    label = "legal"
    verbose_name = _("Legal information")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from hub.legal import services

        # Like knowledge's section: the legal pages exist, editable, after every migrate.
        post_migrate.connect(services.on_post_migrate, sender=self, dispatch_uid="legal.pages")
        # The footer's list of live pages is versioned with the "legal" fragments (hub/fragments.py):
        # publish, unpublish, move and delete each save or delete the row and draw a new version.
