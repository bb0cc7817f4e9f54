"""Tests of a data migration run the schema back to before it. They must leave the schema at the latest
migration again, or every later test on that database misses whatever depends on the migrations
unapplied on the way back (another app's migration depending on them included)."""

import contextlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@contextlib.contextmanager
def schema_at(targets):
    """The schema migrated to `targets` inside the block, then back to the latest migration of every app.
    Yields the executor, whose loader gives the old models (`executor.loader.project_state(targets)`)."""
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(targets)
        yield executor
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
