"""Tests of a data migration: the migration run on rows written with the schema before it."""

from django.db import connection


class OneMigration:
    """One migration undone and done again inside the test's transaction (PostgreSQL's DDL is transactional,
    so the test's rollback restores the latest schema; no migrating back and forth of every later migration).

    Migrating back with MigrationExecutor unapplies every migration that depends on the target and renders
    the models of every app for each (35 s of CPU for one test, 107 s on a loaded machine), then the test
    has to be transactional (emptying every table after it) and migrate forward again. A data migration's
    test needs only its own migration run on rows written with the schema before it: this, in 0.3 s.
    """

    def __init__(self, app_label: str, name: str):
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(connection)
        self.migration = loader.get_migration(app_label, name)
        # The state before it holds only its ancestors' apps: far fewer models to render than the project.
        self.state = loader.project_state((app_label, name), at_end=False)

    @property
    def old_apps(self):
        """The models as they were before the migration."""
        return self.state.apps

    def undo(self) -> None:
        with connection.schema_editor(atomic=True) as editor:
            self.migration.unapply(self.state.clone(), editor)

    def apply(self) -> None:
        # Rows written since undo() leave deferred foreign-key checks pending, and PostgreSQL refuses to
        # ALTER a table with pending trigger events: check them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with connection.schema_editor(atomic=True) as editor:
            self.migration.apply(self.state.clone(), editor)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
