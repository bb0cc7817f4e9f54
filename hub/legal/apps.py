from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "hub.legal"
    label = "legal"
    verbose_name = _("Legal information")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from hub.legal import selectors, services
        from hub.legal.models import LegalPage

        # Like knowledge's section: the legal pages exist, editable, after every migrate.
        post_migrate.connect(services.on_post_migrate, sender=self, dispatch_uid="legal.pages")
        # The footer's cached list of live pages is dropped whenever one changes (publish, unpublish,
        # move, delete – each saves or deletes the row), in every process alike (the cache is shared).
        for signal in (post_save, post_delete):
            signal.connect(selectors.legal_links_forget, sender=LegalPage, dispatch_uid=f"legal.{signal}")
