"""hub/prepared.py: a read whose SQL the ORM builds once per process, run with new values."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, OuterRef

from hub.models import User
from hub.prepared import PreparedRead
from hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sql_is_built_once_and_run_with_each_requests_values():
    built = []

    def build(user_id):
        built.append(user_id)
        return User.objects.filter(pk=user_id).values(
            joined=F("date_joined"),  # a field's own converter applies
            is_someone_else=Exists(User.objects.exclude(pk=OuterRef("pk"))),
        )

    read = PreparedRead(User, build, user_id=int)
    first, second = UserFactory(), UserFactory()
    assert read.rows(user_id=first.pk) == [{"joined": first.date_joined, "is_someone_else": True}]
    assert read.rows(user_id=second.pk) == [{"joined": second.date_joined, "is_someone_else": True}]
    assert read.rows(user_id=0) == []
    assert len(built) == 1 and built[0] < 0  # built once, from a marker no row holds


def test_a_value_that_is_not_a_parameter_is_refused():
    read = PreparedRead(User, lambda user_id: User.objects.filter(pk=1).values("username"), user_id=int)
    with pytest.raises(ImproperlyConfigured):
        read.rows(user_id=1)


def test_model_instances_with_their_related_rows_by_uuid(django_assert_num_queries):
    """objects(): Django's own instances from the compiled statement, select_related included; a uuid
    marker takes each request's id."""
    from counseling.models import Case
    from counseling.tests.factories import make_case

    read = PreparedRead(
        Case,
        lambda public_id: Case.objects.select_related("youth").filter(public_id=public_id),
        public_id=uuid.UUID,
    )
    first, second = make_case(), make_case()
    for case in (first, second):
        with django_assert_num_queries(1):
            (found,) = read.objects(public_id=case.public_id)
            assert found.pk == case.pk and found.youth.username == case.youth.username
            assert found.created_at == case.created_at
    assert read.objects(public_id=str(first.public_id))[0].pk == first.pk
    assert read.objects(public_id=uuid.uuid4()) == []


def test_model_instances_are_converted_by_converters_found_once(monkeypatch):
    """objects() runs find no converters anew (a third of a run's cost: issue 19); each column is still
    converted as the ORM converts it (a JSON list, an aware time)."""
    from datetime import timedelta

    from django.db.models.sql.compiler import SQLCompiler
    from django.utils import timezone

    from counseling.models import CallbackRequest
    from counseling.tests.factories import make_case

    slot = timezone.now() + timedelta(days=2)
    requests = [
        CallbackRequest.objects.create(
            case=make_case(), slots=[slot.isoformat()], last_slot_ends_at=slot + timedelta(minutes=30)
        )
        for _ in range(2)
    ]
    read = PreparedRead(
        CallbackRequest,
        lambda case_id: CallbackRequest.objects.select_related("case").filter(case_id=case_id),
        case_id=int,
    )
    read.objects(case_id=requests[0].case_id)  # compiled
    found = []
    real = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler, "get_converters", lambda self, expressions: found.append(1) or real(self, expressions)
    )
    for request in requests:
        (row,) = read.objects(case_id=request.case_id)
        assert row.slots == [slot.isoformat()] and row.last_slot_ends_at == request.last_slot_ends_at
        assert row.case.public_id == request.case.public_id
    assert found == []


def _prepared_statements(table: str) -> int:
    """How many statements on `table` this connection has prepared (PostgreSQL's own list)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{table}%"])
        return cursor.fetchone()[0]


def test_rows_are_prepared_once_per_connection(django_assert_num_queries):
    """PostgreSQL plans a read once per connection instead of on every run (server-side binding); where
    queries are counted, Django's own cursor runs it and the count sees it."""
    read = PreparedRead(User, lambda user_id: User.objects.filter(pk=user_id).values("username"), user_id=int)
    first, second = UserFactory(), UserFactory()

    before = _prepared_statements("hub_user")
    assert read.rows(user_id=first.pk) == [{"username": first.username}]
    assert read.rows(user_id=second.pk) == [{"username": second.username}]
    assert read.rows(user_id=0) == []
    assert _prepared_statements("hub_user") == before + 1
    with django_assert_num_queries(1):
        assert read.rows(user_id=first.pk) == [{"username": first.username}]


def test_model_instances_are_prepared_once_per_connection(django_assert_num_queries):
    """objects() too (the case read of every case page, the socket's user): one prepared statement for
    every run, each run still giving its own rows with their related rows; a counted run is counted."""
    from counseling.models import Case
    from counseling.tests.factories import make_case

    read = PreparedRead(
        Case,
        lambda public_id: Case.objects.select_related("youth").filter(public_id=public_id),
        public_id=uuid.UUID,
    )
    first, second = make_case(), make_case()

    before = _prepared_statements("counseling_case")
    for case in (first, second, first):
        (found,) = read.objects(public_id=case.public_id)
        assert found.pk == case.pk and found.youth.username == case.youth.username
    assert read.objects(public_id=uuid.uuid4()) == []
    assert _prepared_statements("counseling_case") == before + 1
    with django_assert_num_queries(1):
        assert read.objects(public_id=second.public_id)[0].pk == second.pk
