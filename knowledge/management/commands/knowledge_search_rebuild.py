"""Rebuild the knowledge base's search index (PostgreSQL's stored vectors, or SQLite's FTS5 table) from
the articles' stored content: after a bulk import, a restore or a change of the stemming. Safe to run at
any time and twice; searches keep working meanwhile (one transaction)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from knowledge.search_index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the knowledge base's search index from the articles."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} articles indexed for the knowledge search."))
