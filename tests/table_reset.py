"""The emptying of the tables after a transactional test (pytest-django's `transactional_db`, `live_server`),
made cheaper on PostgreSQL.

Django's TransactionTestCase empties every table with `flush` after such a test: one TRUNCATE of all
~300 tables (PostgreSQL makes new files for each table and index) and then the post_migrate signal, sent
once per installed app, which writes every content type and permission anew and runs our own handlers
(legal, knowledge, campaign pages) about forty times. With 150 transactional tests that cost about half a
second of CPU each, in the worker and in PostgreSQL.

Here the tables are emptied with DELETE in one transaction instead (Django's foreign keys are deferred
on PostgreSQL, so the order does not matter; an empty table costs next to nothing; a table whose trigger
refuses DELETE is truncated as before), and the content types
and permissions are kept: they are exactly what post_migrate would write again, so it need not run. Rows
of theirs a test added are deleted, so the tables end as a flush leaves them. Anything else (SQLite, a
test with `available_apps` or serialized rollback) takes Django's own way.
"""

from django.db import connections, transaction
from django.test import TransactionTestCase

_django_fixture_teardown = TransactionTestCase._fixture_teardown
# Per database: the highest content type and permission ids after migrating (`remember`).
_kept_up_to: dict[str, tuple[int, int]] = {}
_guarded: dict[str, set[str]] = {}


def install() -> None:
    TransactionTestCase._fixture_teardown = _fixture_teardown


def _fixture_teardown(self) -> None:
    if self.available_apps is not None or self.serialized_rollback:
        return _django_fixture_teardown(self)
    names = self._databases_names(include_mirrors=False)
    if any(connections[name].vendor != "postgresql" or name not in _kept_up_to for name in names):
        return _django_fixture_teardown(self)
    for name in names:
        tables_empty(connections[name])


def remember(connection) -> None:
    """Note the content types and permissions of the freshly migrated test database: those are kept."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    if connection.vendor != "postgresql":
        return
    _kept_up_to[connection.alias] = (
        ContentType.objects.using(connection.alias).order_by("-id").values_list("id", flat=True).first() or 0,
        Permission.objects.using(connection.alias).order_by("-id").values_list("id", flat=True).first() or 0,
    )


def tables_empty(connection) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        content_types, permissions = _kept_up_to[connection.alias]
        if connection.alias not in _guarded:
            # A table whose triggers refuse a DELETE (the audit log is append-only) is truncated, as by flush.
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND (t.tgtype & 8) = 8 AND c.relnamespace = 'public'::regnamespace"
            )
            _guarded[connection.alias] = {row[0] for row in cursor.fetchall()}
        guarded = _guarded[connection.alias]
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        # Table names from Django's introspection, quoted; ids are integers: nothing from outside.
        statements = [
            f"DELETE FROM {quote(table)}"  # noqa: S608
            for table in sorted(tables)
            if table not in kept | guarded
        ]
        if truncated := sorted(guarded & set(tables)):
            statements.append(f"TRUNCATE {', '.join(quote(table) for table in truncated)} CASCADE")
        for model, up_to in ((Permission, permissions), (ContentType, content_types)):
            statements.append(f"DELETE FROM {quote(model._meta.db_table)} WHERE id > {int(up_to)}")  # noqa: S608
        cursor.execute("; ".join(statements))
