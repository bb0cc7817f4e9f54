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

        from django.db.models.signals import post_delete

        from knowledge.models import ArticlePage
        from knowledge.services import on_article_deleted

        # SQLite's FTS5 rows have no foreign key to cascade with (knowledge/search_index.py).
        post_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="knowledge.fts")
