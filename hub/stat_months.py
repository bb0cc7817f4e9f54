"""The monthly figures the statistics page reads (`StatMonth`): added to in the transaction that records an
event, rebuilt from the events on demand (`manage.py stats_rebuild`), and grouped for a table.

Why monthly sums: the page used to count the raw events (about 12 per case, 600,000 rows at 50,000
cases) on every request. An event adds 1 to the row of its full combination and to one row per
dimension (site, provider group, channel, language, topic, country of residence). An unfiltered table
by language reads the language rows of twelve months (a few hundred); a filtered one reads the
combinations of the year.

Why first answers keep a list of durations: a median cannot be summed. A histogram exact to the
minute would hold about one row per answer (answers rarely share a minute within a month, site,
language and topic), and coarser buckets would make the median approximate. So a first-answer row keeps
the minutes of each of its answers (JSON, in no order); a table merges the lists of its rows and takes
the exact median (`statistics.median`). At 50,000 cases that is some 24,000 numbers a year, read in one
query from a few hundred rows; taking the median from the raw events cost 150 ms of scattered reads.
Counts and the share within 48 hours (`within` / `n`) are plain sums.

Contention: the upsert locks its rows until the recording transaction commits. Services keep those
transactions short; if they ever queue behind each other, move `stat_month_add` to a Celery task.
"""

import json
from datetime import date

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, TruncMonth

from hub.models import StatEvent, StatMonth

# The report's row dimensions and filters, as columns of StatMonth and StatEvent.
DIMENSION_FIELD = {
    "site": "site_ref",
    "provider_group": "provider_group_ref",
    "channel": "channel",
    "language": "language",
    "topic": "topic",
    "country": "country",
}
_DIMENSION_COLUMNS = list(DIMENSION_FIELD.values())
_KEY = ["dimension", "month", "kind", *_DIMENSION_COLUMNS]
FIRST_ANSWER = "first_answer"


def stat_month_add(event: StatEvent) -> None:
    """Add one event to its month's rows (creating them when it is the first). Call it in the event's
    transaction, so that the figures and the events never disagree."""
    table = connection.ops.quote_name(StatMonth._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*_KEY, "n", "within", "minutes"])
    key = ", ".join(connection.ops.quote_name(c) for c in _KEY)
    values = _dimension_values(event)
    head = [event.day.replace(day=1), event.kind]
    answer = event.kind == FIRST_ANSWER
    counted = [1, 1 if answer and event.flag else 0, json.dumps([event.value or 0] if answer else [])]
    rows = [["", *head, *values.values(), *counted]]
    for dimension, column in DIMENSION_FIELD.items():
        alone = {c: values[c] if c == column else _not_stated(c) for c in _DIMENSION_COLUMNS}
        rows.append([dimension, *head, *alone.values(), *counted])
    if connection.vendor == "postgresql":
        as_json, appended = "%s::jsonb", f"{table}.minutes || EXCLUDED.minutes"
    else:  # SQLite (the embedded default): one number is added at a time
        as_json, appended = "json(%s)", f"json_insert({table}.minutes, '$[#]', EXCLUDED.minutes ->> 0)"
    placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(rows[0]) - 1) + [as_json]) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {placeholders} "  # noqa: S608 - only our own names
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n, "
        f"within = {table}.within + EXCLUDED.within, minutes = {appended}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _dimension_values(event) -> dict:
    return {column: _stated(getattr(event, column), column) for column in _DIMENSION_COLUMNS}


def _not_stated(column: str) -> int | str:
    return 0 if column.endswith("_ref") else ""


def _stated(value, column: str) -> int | str:
    return (int(value) if column.endswith("_ref") else str(value)) if value else _not_stated(column)


@transaction.atomic
def stat_months_rebuild(*, batch_size: int = 5000, models_from=None) -> int:
    """Replace every monthly figure by the sums of the events; returns the number of rows written.
    `models_from` is a migration's app registry (the migration that adds the table fills it).

    On PostgreSQL the table is locked first: an event recorded meanwhile waits and is then added to the
    rebuilt figures, instead of being counted twice or lost."""
    registry = models_from or apps
    event_model, month_model = registry.get_model("hub", "StatEvent"), registry.get_model("hub", "StatMonth")
    # A migration's models may predate a dimension (0010 ran before the country of residence was added).
    known = {f.name for f in month_model._meta.get_fields()}
    dimension_columns = [c for c in _DIMENSION_COLUMNS if c in known]
    dimension_field = {d: c for d, c in DIMENSION_FIELD.items() if c in known}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {month_model._meta.db_table} IN EXCLUSIVE MODE")
    month_model.objects.all().delete()
    events = event_model.objects.annotate(month=TruncMonth("day"))
    sums = {"n": Count("id"), "within": Count("id", filter=Q(kind=FIRST_ANSWER, flag=True))}
    groupings = [("", dimension_columns)] + [(d, [c]) for d, c in dimension_field.items()]
    minutes: dict = {}
    for answer in events.filter(kind=FIRST_ANSWER).values("month", "value", *dimension_columns).iterator():
        stated = {c: _stated(answer[c], c) for c in dimension_columns}
        for dimension, columns in groupings:
            key = (dimension, answer["month"], *(stated[c] for c in columns))
            minutes.setdefault(key, []).append(answer["value"] or 0)
    written, batch = 0, []
    for dimension, columns in groupings:
        grouped = events.values("month", "kind", *columns).annotate(**sums).order_by()
        for row in grouped.iterator(chunk_size=batch_size):
            row.update({c: _stated(row[c], c) for c in columns})
            if row["kind"] == FIRST_ANSWER:
                row["minutes"] = minutes[(dimension, row["month"], *(row[c] for c in columns))]
            batch.append(month_model(dimension=dimension, **row))
            if len(batch) >= batch_size:
                written += len(month_model.objects.bulk_create(batch))
                batch = []
    return written + len(month_model.objects.bulk_create(batch))


def stat_months_grouped(*, year: int, month: int | None, filters: dict, by: str):
    """({row key: {kind: n}}, {row key: within}, {row key: [minutes]}) for one year (or one month of it),
    in two queries. Row keys: the month number, or the dimension's value with "not stated" as None."""
    wanted = {d: v for d, v in filters.items() if v not in ("", None)}
    figures = StatMonth.objects.filter(month__gte=_start(year, month), month__lt=_end(year, month))
    if wanted:
        figures = figures.filter(dimension="", **{DIMENSION_FIELD[d]: v for d, v in wanted.items()})
    else:  # any one dimension's rows add up to the whole: the channel's are few
        figures = figures.filter(dimension="channel" if by == "month" else by)
    figures = figures.annotate(row=ExtractMonth("month") if by == "month" else models.F(DIMENSION_FIELD[by]))
    grouped = figures.values_list("row", "kind").annotate(n=Sum("n"), within=Sum("within"))
    counts: dict = {}
    within: dict = {}
    for key, kind, n, kept in grouped.order_by():
        key = key or None  # 0 and "" are "not stated"
        counts.setdefault(key, {})[kind] = counts.get(key, {}).get(kind, 0) + n
        if kind == FIRST_ANSWER:
            within[key] = within.get(key, 0) + kept
    minutes: dict = {}
    for key, durations in figures.filter(kind=FIRST_ANSWER).values_list("row", "minutes"):
        minutes.setdefault(key or None, []).extend(durations)
    return counts, within, minutes


def _start(year: int, month: int | None) -> date:
    return date(year, month or 1, 1)


def _end(year: int, month: int | None) -> date:
    last = month or 12
    return date(year + last // 12, last % 12 + 1, 1)


def years_with_figures() -> list[int]:
    first_last = StatMonth.objects.aggregate(first=models.Min("month"), last=models.Max("month"))
    if first_last["first"] is None:
        return []
    return list(range(first_last["first"].year, first_last["last"].year + 1))
