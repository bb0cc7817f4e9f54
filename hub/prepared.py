"""Reads that a page runs on every request, with their SQL built by the ORM once per process.

Django compiles a queryset's SQL anew each time it runs, and for the few reads of a hot page that is most
of their cost: on the young person's case page (issue 19) the case with its chat took ~1 ms of CPU to
build and PostgreSQL a tenth of that to answer, each EXISTS of a statement ~0.5 ms. `PreparedRead` takes a
function that builds the queryset from marker values, compiles it once per database alias, and then runs
the same SQL with the request's values in the markers' places:

- `rows(**values)`: a `.values()` queryset of named expressions, as dicts, with the ORM's converters;
- `objects(**values)`: a queryset of model instances (select_related included), built by Django's own
  iterable from the compiled statement and its columns' converters (a copy of the compiler per run:
  nothing shared is changed).

Both run on a cursor that PostgreSQL prepares their statement on once per pooled connection
(`_preparing_cursor`).

The queryset stays the one definition of what is read. Markers stand for ids: integers no row holds and
UUIDs no row holds, declared with their type (`PreparedRead(Case, build, public_id=uuid.UUID)`); every
other value in the queryset is a constant of the statement.
"""

import copy
import uuid
from collections.abc import Callable
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet

_INT_BASE = -(2**62)
_UUID_BASE = 0xF0F0_0000_0000_4000_8000_0000_0000_0000


def _marker(kind: type, number: int):
    if kind is int:
        return _INT_BASE - number
    if kind is uuid.UUID:
        return uuid.UUID(int=_UUID_BASE + number)
    raise ImproperlyConfigured(f"markers are int or uuid.UUID, not {kind.__name__}")


def _filled(compiled, value):
    """The request's value in the form the marker's parameter took (a backend without a uuid type takes
    its hex)."""
    if isinstance(compiled, uuid.UUID | str):  # only a uuid marker compiles to either
        value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        return value if isinstance(compiled, uuid.UUID) else value.hex
    return int(value)


@cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


def _preparing_cursor(connection):
    """A cursor whose statements PostgreSQL prepares once per connection (server-side binding).

    Django's psycopg cursors bind values on the client, so PostgreSQL parses and plans every read anew:
    the case page's facts statement took 0.37 ms to plan and 0.06 ms to run on a warm connection (2-3 ms
    to plan on a new one), on the same cores as the server. A pooled connection keeps what it prepared.
    Where queries are logged (DEBUG, a test that counts them) and on any other database, Django's own
    cursor runs the read: its log shows the statement with its values, which a server-bound cursor's does
    not."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django opens its connections with preparation off (None), which psycopg applies even to an
        # explicit prepare=True. Django's own cursors bind on the client and never prepare whatever
        # this says; only this cursor's statements are prepared.
        raw.prepare_threshold = 2**31 - 1
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_preparing_cursor_class()(raw))


class PreparedRead:
    def __init__(self, model: type[Model], build: Callable[..., QuerySet], **markers: type):
        self.model, self.build, self.markers = model, build, markers
        # By alias and backend: compiled once (a race compiles it twice, harmlessly).
        self._statements: dict[tuple[str, str], dict] = {}

    def rows(self, **values) -> list[dict]:
        """The rows of a `.values()` queryset for these values, as {column name: value}."""
        alias, statement, params = self._statement(values)
        connection = connections[alias]
        with _preparing_cursor(connection) as cursor:
            cursor.execute(statement["sql"], params)
            fetched = cursor.fetchall()
        rows = []
        for row in fetched:
            row = list(row)
            for position, (functions, expression) in statement["converters"].items():
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
            rows.append(dict(zip(statement["columns"], row, strict=True)))
        return rows

    def objects(self, **values) -> list[Model]:
        """The model instances of the queryset for these values."""
        alias, statement, params = self._statement(values)
        connection = connections[alias]
        run = copy.copy(statement["compiler"])
        run.connection, run.using = connection, alias
        sql = statement["sql"]
        run.as_sql = lambda *args, **kwargs: (sql, params)

        def execute_sql(*args, **kwargs):
            # What the compiler returns for Django's model iterable (MULTI: chunks of rows), from the
            # same preparing cursor as rows(): the case read of every case page was planned anew each time.
            with _preparing_cursor(connection) as cursor:
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
            if run.has_extra_select:
                fetched = [row[: run.col_count] for row in fetched]
            return [fetched]

        run.execute_sql = execute_sql
        # The columns' converters are the statement's too: finding them anew took a third of the run.
        run.get_converters = lambda expressions: statement["object_converters"]
        query = copy.copy(statement["query"])
        query.get_compiler = lambda *args, **kwargs: run
        return list(QuerySet(model=statement["query"].model, query=query, using=alias))

    def _statement(self, values: dict) -> tuple[str, dict, list]:
        alias = router.db_for_read(self.model)
        statement = self._statements.get((alias, connections[alias].vendor)) or self._compile(alias)
        params = list(statement["params"])
        for position, name in statement["slots"]:
            params[position] = _filled(params[position], values[name])
        return alias, statement, params

    def _compile(self, alias: str) -> dict:
        markers = {name: _marker(kind, number) for number, (name, kind) in enumerate(self.markers.items())}
        queryset = self.build(**markers)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        by_form = {}
        for name, marker in markers.items():
            by_form[(type(marker), marker)] = name
            if isinstance(marker, uuid.UUID):
                by_form[(str, marker.hex)] = name
        slots = [
            (position, by_form[(type(value), value)])
            for position, value in enumerate(params)
            if isinstance(value, int | str | uuid.UUID) and (type(value), value) in by_form
        ]
        if {name for _position, name in slots} != set(markers):
            raise ImproperlyConfigured(f"{self.build.__qualname__}: every marker must be a parameter")
        expressions = [column for column, _sql, _label in compiler.select]
        statement = {
            "sql": sql,
            "params": tuple(params),
            "slots": slots,
            "query": queryset.query,
            "compiler": compiler,
            "converters": compiler.get_converters(expressions),
            # What results_iter asks for: every selected column's, related rows' included.
            "object_converters": compiler.get_converters(
                [s[0] for s in compiler.select[: compiler.col_count]]
            ),
            "columns": [label or column.target.attname for column, _sql, label in compiler.select],
        }
        self._statements[(alias, connections[alias].vendor)] = statement
        return statement
