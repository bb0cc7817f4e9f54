"""Counseling statistics for coordinators and funders, without anyone being identifiable.

Figures come from `StatEvent` rows recorded when things happen (`stat_record`, called by the services
of counseling, sites and – after the merge – learning). The rows carry no person and no case, so the
retention purge and account deletions leave last year's figures as they were.

Small numbers are suppressed: a count of 1 to 4 shows as "< 5", and a median or share is only given
when it rests on at least 5 cases. Totals are shown; so that a suppressed cell cannot be worked out as
"total minus the others", a column with exactly one suppressed cell also hides its next-smallest cell
(secondary suppression). Comparing two different filter selections can still narrow things down; the
page is for coordinators only and every CSV export is audited.
"""

import statistics as pystats
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.models import StatEvent

THRESHOLD = 5
WITHIN_HOURS = 48


class StatKind(models.TextChoices):
    ENQUIRY = "enquiry", _("New enquiries")
    ACTIVE_CASE = "active_case", _("Active cases")
    MESSAGE = "message", _("Messages")
    FIRST_ANSWER = "first_answer", _("First answers")
    CHAT = "chat", _("Chats held")
    CALLBACK = "callback", _("Callbacks done")
    VIDEO = "video", _("Video calls")
    APPOINTMENT = "appointment", _("Appointments")
    GROUP_PARTICIPANT = "group_participant", _("Group-offer participants")
    COURSE_COMPLETION = "course_completion", _("Course completions")


class Channel(models.TextChoices):
    MAIL = "mail", _("Mail")
    CHAT = "chat", _("Live chat")
    CALLBACK = "callback", _("Callback")
    VIDEO = "video", _("Video")
    ON_SITE = "on_site", _("On-site appointment")
    PHONE = "phone", _("Phone appointment")
    GROUP = "group", _("Group offer")


def stat_record(
    kind: str,
    *,
    on: date | datetime | None = None,
    site=None,
    channel: str = "",
    language: str = "",
    topic: str = "",
    value: int | None = None,
    flag: bool | None = None,
) -> StatEvent:
    """Count one event. `site` is any object with `pk` and `provider_group_id` (a sites.Site) or None;
    nothing that identifies a person is accepted. Call it inside the service's transaction."""
    on = on or timezone.now()
    day = timezone.localdate(on) if isinstance(on, datetime) else on
    return StatEvent.objects.create(
        kind=StatKind(kind),
        day=day,
        site_ref=getattr(site, "pk", None),
        provider_group_ref=getattr(site, "provider_group_id", None),
        channel=channel,
        language=language,
        topic=topic,
        value=value,
        flag=flag,
    )


# --- reading ---------------------------------------------------------------------------------------------

DIMENSIONS = {
    "month": _("Month"),
    "site": _("Site"),
    "provider_group": _("Provider group"),
    "channel": _("Channel"),
    "language": _("Language"),
    "topic": _("Topic"),
}
_DIMENSION_FIELD = {
    "site": "site_ref",
    "provider_group": "provider_group_ref",
    "channel": "channel",
    "language": "language",
    "topic": "topic",
}
COUNT_KINDS = [kind for kind in StatKind if kind != StatKind.FIRST_ANSWER]


@dataclass
class Cell:
    value: float | int | None
    suppressed: bool = False

    @property
    def shown(self) -> str:
        if self.suppressed:
            return f"< {THRESHOLD}"
        return "" if self.value is None else str(self.value)


@dataclass
class Row:
    key: object
    label: str
    cells: dict = field(default_factory=dict)


@dataclass
class Table:
    dimension: str
    columns: list
    rows: list
    total: Row


def _count_cell(n: int) -> Cell:
    return Cell(n, suppressed=0 < n < THRESHOLD)


def _answer_cells(minutes: list[int], within: int) -> tuple[Cell, Cell]:
    if len(minutes) < THRESHOLD:
        hidden = bool(minutes)
        return Cell(None, suppressed=hidden), Cell(None, suppressed=hidden)
    median_hours = round(pystats.median(minutes) / 60, 1)
    return Cell(median_hours), Cell(round(100 * within / len(minutes)))


def stat_events(*, year: int, month: int | None = None, filters: dict | None = None):
    events = StatEvent.objects.filter(day__year=year)
    if month:
        events = events.filter(day__month=month)
    for dimension, wanted in (filters or {}).items():
        if wanted not in ("", None):
            events = events.filter(**{_DIMENSION_FIELD[dimension]: wanted})
    return events


def _grouped(events, dimension: str):
    """{row key: {kind: count}} and {row key: ([minutes], within)} in two queries."""
    if dimension == "month":
        events = events.annotate(row=ExtractMonth("day"))
    else:
        events = events.annotate(row=models.F(_DIMENSION_FIELD[dimension]))
    counts: dict = {}
    for row, kind, n in events.values_list("row", "kind").annotate(n=Count("id")).order_by():
        counts.setdefault(row, {})[kind] = n
    answers: dict = {}
    for row, minutes, flag in events.filter(kind=StatKind.FIRST_ANSWER).values_list("row", "value", "flag"):
        bucket = answers.setdefault(row, ([], [0]))
        bucket[0].append(minutes or 0)
        bucket[1][0] += bool(flag)
    return counts, answers


def _cells(counts: dict, answers: tuple) -> dict:
    cells = {kind: _count_cell(counts.get(kind, 0)) for kind in COUNT_KINDS}
    minutes, within = answers if answers else ([], [0])
    cells["first_answers"] = _count_cell(len(minutes))
    cells["median_hours"], cells["within_48h"] = _answer_cells(minutes, within[0])
    return {key: cells[key] for key, _label in columns()}


def columns() -> list[tuple[str, str]]:
    cols = [(kind.value, kind.label) for kind in COUNT_KINDS]
    cols.insert(3, ("first_answers", _("First answers")))
    cols.insert(4, ("median_hours", _("First answer, median (hours)")))
    cols.insert(5, ("within_48h", _("First answer within 48 h (%)")))
    return cols


def stat_table(
    *, year: int, month: int | None = None, filters: dict | None = None, by: str = "month"
) -> Table:
    events = stat_events(year=year, month=month, filters=filters)
    counts, answers = _grouped(events, by)
    keys = sorted(set(counts) | set(answers), key=lambda k: (k is None, k))
    if by == "month" and not month:
        keys = list(range(1, 13))
    labels = row_labels(by, keys)
    rows = [
        Row(key, labels.get(key, str(key)), _cells(counts.get(key, {}), answers.get(key))) for key in keys
    ]
    total_counts: dict = {}
    for per_kind in counts.values():
        for kind, n in per_kind.items():
            total_counts[kind] = total_counts.get(kind, 0) + n
    all_minutes = [m for minutes, _within in answers.values() for m in minutes]
    all_within = sum(within[0] for _minutes, within in answers.values())
    total = Row("total", str(_("Total")), _cells(total_counts, (all_minutes, [all_within])))
    _suppress_secondary(rows, total)
    return Table(by, columns(), rows, total)


def _suppress_secondary(rows: list[Row], total: Row) -> None:
    """With the total shown, a single hidden cell in a column could be computed: hide one more."""
    for column, total_cell in total.cells.items():
        if column in ("median_hours", "within_48h") or total_cell.suppressed:
            continue
        hidden = [row for row in rows if row.cells[column].suppressed]
        if len(hidden) != 1:
            continue
        candidates = [row for row in rows if not row.cells[column].suppressed and row.cells[column].value]
        if candidates:
            smallest = min(candidates, key=lambda row: row.cells[column].value)
            smallest.cells[column] = Cell(smallest.cells[column].value, suppressed=True)


def row_labels(dimension: str, keys) -> dict:
    if dimension == "month":
        return _month_names(keys)
    if dimension == "channel":
        return dict(Channel.choices)
    if dimension == "topic":
        from hub.topics import Topic

        return dict(Topic.choices)
    if dimension == "language":
        from django.conf import settings

        return {code: str(name) for code, name in settings.LANGUAGES} | {
            k: k for k in keys if k not in dict(settings.LANGUAGES)
        }
    # Sites and provider groups live in the sites app; the project package may look them up by name.
    from django.apps import apps

    model = apps.get_model("sites", "Site" if dimension == "site" else "ProviderGroup")
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=[k for k in keys if k])}


def _month_names(keys) -> dict:
    from django.utils.dates import MONTHS

    return {k: str(MONTHS[k]) for k in keys if k}


def years_with_data() -> list[int]:
    years = {d.year for d in StatEvent.objects.dates("day", "year")}
    return sorted(years | {timezone.localdate().year}, reverse=True)


# --- charts ----------------------------------------------------------------------------------------------


LABEL_WIDTH = 120  # the row labels left of the bars (SVG units; the chart is 360 wide)


@dataclass
class Bar:
    label: str
    shown: str
    y: int
    width: str  # SVG numbers as plain strings: the template must not localise "12.5" into "12,5"
    value_x: str
    suppressed: bool


def bar_chart(table: Table, column: str, *, width: int = 180, row_height: int = 26) -> dict:
    """Horizontal bars, one per row, for an SVG drawn by the template; suppressed rows get no bar."""
    values = [row.cells[column].value or 0 for row in table.rows if not row.cells[column].suppressed]
    largest = max(values, default=0) or 1
    bars = []
    for i, row in enumerate(table.rows):
        cell = row.cells[column]
        length = 0.0 if cell.suppressed else width * (cell.value or 0) / largest
        x_value = f"{length + LABEL_WIDTH + 6:.1f}"
        bars.append(
            Bar(row.label, cell.shown or "0", i * row_height, f"{length:.1f}", x_value, cell.suppressed)
        )
    return {"bars": bars, "height": max(len(bars), 1) * row_height, "width": width, "row_height": row_height}
