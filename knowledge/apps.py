from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from django.db.models.signals import post_migrate

        from knowledge.services import on_post_migrate

        # Like Django's own permissions: the knowledge section exists, editable, after every migrate.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="knowledge.section")
