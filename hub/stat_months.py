"""The monthly figures the statistics page reads (`StatMonth`): added to in the transaction that records an
event, rebuilt from the events on demand (`manage.py stats_rebuild`), and grouped for a table.

Why monthly sums: the page used to count the raw events (about 13 per case, 650,000 rows at 50,000
cases) on every request. A month's events collapse into one row per combination of kind, site, provider
group, channel, language and topic, and a year has twelve months.

Why a histogram for first answers: a median cannot be summed, but a count per duration can. A first
answer's row carries its duration in whole minutes (what the event records), so the median of any
selection is computed exactly from the merged histogram, the same as from the raw events.

Contention: the upsert locks the one row of its combination until the recording transaction commits.
Services keep those transactions short, and two events of the same month, kind, site, channel, language
and topic at the same instant are rare; if they ever queue, move `stat_month_add` to a Celery task.
"""

from collections import Counter
from datetime import date

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, TruncMonth

from hub.models import StatEvent, StatMonth

# The report's row dimensions and filters, as columns of StatMonth.
DIMENSION_FIELD = {
    "site": "site_ref",
    "provider_group": "provider_group_ref",
    "channel": "channel",
    "language": "language",
    "topic": "topic",
}
_KEY = ["month", "kind", "site_ref", "provider_group_ref", "channel", "language", "topic", "minutes"]
FIRST_ANSWER = "first_answer"


def stat_month_add(event: StatEvent) -> None:
    """Add one event to its month's row (created when it is the first). Call it in the event's
    transaction, so that the figures and the events never disagree."""
    table = connection.ops.quote_name(StatMonth._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*_KEY, "n", "within"])
    key = ", ".join(connection.ops.quote_name(c) for c in _KEY)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(_KEY) + 2))}) "  # noqa: S608 - names are ours
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n, "
        f"within = {table}.within + EXCLUDED.within"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, _row_of(event))


def _row_of(event: StatEvent) -> list:
    answer = event.kind == FIRST_ANSWER
    return [
        event.day.replace(day=1),
        event.kind,
        event.site_ref or 0,
        event.provider_group_ref or 0,
        event.channel or "",
        event.language or "",
        event.topic or "",
        (event.value or 0) if answer else 0,
        1,
        1 if answer and event.flag else 0,
    ]


@transaction.atomic
def stat_months_rebuild(*, batch_size: int = 5000, models_from=None) -> int:
    """Replace every monthly figure by the sums of the events; returns the number of rows written.
    `models_from` is a migration's app registry (the migration that adds the table fills it).

    On PostgreSQL the table is locked first: an event recorded meanwhile waits and is then added to the
    rebuilt figures, instead of being counted twice or lost."""
    registry = models_from or apps
    event_model, month_model = registry.get_model("hub", "StatEvent"), registry.get_model("hub", "StatMonth")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {month_model._meta.db_table} IN EXCLUSIVE MODE")
    month_model.objects.all().delete()
    answer = Q(kind=FIRST_ANSWER)
    sums = (
        event_model.objects.annotate(
            month=TruncMonth("day"),
            minutes=models.Case(
                models.When(answer, then=models.functions.Coalesce("value", 0)),
                default=0,
                output_field=models.PositiveIntegerField(),
            ),
        )
        .values("month", "kind", "site_ref", "provider_group_ref", "channel", "language", "topic", "minutes")
        .annotate(n=Count("id"), within=Count("id", filter=answer & Q(flag=True)))
        .order_by()
    )
    written, batch = 0, []
    for row in sums.iterator(chunk_size=batch_size):
        row.update(site_ref=row["site_ref"] or 0, provider_group_ref=row["provider_group_ref"] or 0)
        batch.append(month_model(**row))
        if len(batch) >= batch_size:
            written += len(month_model.objects.bulk_create(batch))
            batch = []
    return written + len(month_model.objects.bulk_create(batch))


def stat_months_grouped(*, year: int, month: int | None, filters: dict, by: str):
    """({row key: {kind: n}}, {row key: (Counter {minutes: n}, within)}) for one year (or one month of
    it), in one query. Row keys: the month number, or the dimension's value with "not stated" as None."""
    start = date(year, month or 1, 1)
    end = date(year + (month or 12) // 12, (month or 12) % 12 + 1, 1)
    figures = StatMonth.objects.filter(month__gte=start, month__lt=end)
    for dimension, wanted in filters.items():
        if wanted not in ("", None):
            figures = figures.filter(**{DIMENSION_FIELD[dimension]: wanted})
    row = ExtractMonth("month") if by == "month" else models.F(DIMENSION_FIELD[by])
    grouped = (
        figures.annotate(row=row)
        .values_list("row", "kind", "minutes")
        .annotate(n=Sum("n"), within=Sum("within"))
        .order_by()
    )
    counts: dict = {}
    answers: dict = {}
    for key, kind, minutes, n, within in grouped:
        key = key or None  # 0 and "" are "not stated"
        per_kind = counts.setdefault(key, {})
        per_kind[kind] = per_kind.get(kind, 0) + n
        if kind == FIRST_ANSWER:
            histogram, kept = answers.get(key, (Counter(), 0))
            histogram[minutes] += n
            answers[key] = (histogram, kept + within)
    return counts, answers


def histogram_median(histogram: Counter) -> float | None:
    """The median of the values a {value: how often} histogram holds (the mean of the middle two)."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = {(total - 1) // 2, total // 2}
    picked, seen = [], 0
    for value in sorted(histogram):
        before, seen = seen, seen + histogram[value]
        picked += [value for position in sorted(middle) if before <= position < seen]
    return sum(picked) / len(picked)


def years_with_figures() -> list[int]:
    first_last = StatMonth.objects.aggregate(first=models.Min("month"), last=models.Max("month"))
    if first_last["first"] is None:
        return []
    return list(range(first_last["first"].year, first_last["last"].year + 1))
