"""The knowledge search's stored index (knowledge/search_index.py).

PostgreSQL: a row of stored tsvectors per article, one column per portal language, each with a GIN index
(PostgreSQL only, hence SQL here rather than Meta.indexes). SQLite: the FTS5 table instead. Both are
filled from the existing articles.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

LANGUAGES = ("de", "en", "ar", "ru", "tr", "sq", "uk", "fr")


def index_structures_create(apps, schema_editor):
    from knowledge.search_index import FTS_CREATE, VECTORS_TABLE

    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for code in LANGUAGES:
            schema_editor.execute(
                f"CREATE INDEX knowledge_search_{code}_gin ON {VECTORS_TABLE} USING gin (vector_{code})"
            )
    elif vendor == "sqlite":
        schema_editor.execute(FTS_CREATE)


def index_structures_drop(apps, schema_editor):
    from knowledge.search_index import FTS_TABLE

    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    # PostgreSQL's indexes go with the table.


def index_fill(apps, schema_editor):
    # Only where there are articles: on a fresh database Page's per-language columns come after migrate
    # (hub/cms.py, page_tree_ready). The runtime code on purpose: the index is exactly what a save writes.
    if apps.get_model("knowledge", "ArticlePage").objects.exists():
        from knowledge.search_index import search_index_rebuild

        search_index_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_articles"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchVectors",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_vectors",
                        serialize=False,
                        to="knowledge.articlepage",
                    ),
                ),
                *((f"vector_{code}", django.contrib.postgres.search.SearchVectorField(null=True)) for code in LANGUAGES),
            ],
        ),
        migrations.RunPython(index_structures_create, index_structures_drop),
        migrations.RunPython(index_fill, migrations.RunPython.noop),
    ]
