"""After a transactional test the tables are as Django's flush and post_migrate leave them
(tests/table_reset.py): empty, but for every content type and permission."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from hub.models import AuditEntry
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests import table_reset

pytestmark = pytest.mark.django_db(transaction=True)


def _rows_per_table():
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - Django's own table names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps Django's flush")
def test_the_reset_empties_every_table_but_keeps_what_post_migrate_would_write():
    content_types, permissions = ContentType.objects.count(), Permission.objects.count()
    user = UserFactory(username="amira", roles=[Role.YOUTH])
    AuditEntry.objects.create(
        actor=user, action="test", target_type="user", target_id=str(user.pk)
    )  # append-only: DELETE is refused, TRUNCATE is not
    extra = ContentType.objects.create(app_label="gone", model="gone")
    Permission.objects.create(codename="gone", name="gone", content_type=extra)

    table_reset.tables_empty(connection)

    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    assert {table: n for table, n in _rows_per_table().items() if n and table not in kept} == {}
    assert (ContentType.objects.count(), Permission.objects.count()) == (content_types, permissions)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert (ContentType.objects.count(), Permission.objects.count()) == (content_types, permissions)
