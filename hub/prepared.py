"""A read that a page runs on every request, with its SQL built by the ORM once per process.

Django compiles a queryset's SQL anew each time it runs. For a statement with a few subqueries that is
most of its cost: on the young person's case page (issue 19) each EXISTS took about 0.5 ms of CPU to
build, while PostgreSQL answered the whole statement in a tenth of that. `PreparedRead` takes a function
that builds the queryset (a `.values()` of named expressions) from marker values, compiles it once per
database alias, and then runs the same SQL with the request's values in the markers' places, with the
ORM's own converters on each row: the queryset stays the one definition of what is read.

Markers are integers no row holds (far below zero) and stand for ids; every other value in the queryset
is a constant of the statement. Only integers: other types are adapted per backend on the way to SQL.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet

_MARKER_BASE = -(2**62)


class PreparedRead:
    def __init__(self, model: type[Model], build: Callable[..., QuerySet], *names: str):
        self.model, self.build, self.names = model, build, names
        self._statements: dict[str, tuple] = {}  # by alias: compiled once (a race compiles it twice)

    def rows(self, **values: int) -> list[dict]:
        """The rows for these values (one per marker name), as {column name: value}."""
        alias = router.db_for_read(self.model)
        statement = self._statements.get(alias) or self._compile(alias)
        sql, params, slots, converters, columns = statement
        params = list(params)
        for position, name in slots:
            params[position] = int(values[name])
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        rows = []
        for row in fetched:
            row = list(row)
            for position, (functions, expression) in converters.items():
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
            rows.append(dict(zip(columns, row, strict=True)))
        return rows

    def _compile(self, alias: str) -> tuple:
        markers = {name: _MARKER_BASE - number for number, name in enumerate(self.names)}
        compiler = self.build(**markers).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in markers.items()}
        slots = [
            (position, by_value[value])
            for position, value in enumerate(params)
            if type(value) is int and value in by_value
        ]
        if {name for _position, name in slots} != set(self.names):
            raise ImproperlyConfigured(f"{self.build.__qualname__}: every marker must be a parameter")
        expressions = [column for column, _sql, _alias in compiler.select]
        columns = [label or column.target.attname for column, _sql, label in compiler.select]
        statement = (sql, tuple(params), slots, compiler.get_converters(expressions), columns)
        self._statements[alias] = statement
        return statement
