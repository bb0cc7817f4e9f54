"""Counseling statistics for coordinators and funders, without anyone being identifiable.

Figures come from `StatEvent` rows recorded when things happen (`stat_record`, called by the services
of counseling, sites and learning). The rows carry no person and no case, so the retention purge and
account deletions leave last year's figures as they were. The page reads monthly sums of them
(hub/stat_months.py), added to in the same transaction.

What a cell may say (one rule each, all in `Cell.shown`):
- A count of 1 to 4 shows as "< 5" (primary suppression): true, and nothing more.
- Totals are shown; so that such a cell cannot be worked out as "total minus the others", a column with
  exactly one "< 5" also hides its next-smallest count. That cell may be large, so it says "suppressed",
  never "< 5" (secondary suppression).
- A median or share is not a count and is never suppressed as one: it is shown when it rests on at least
  5 first answers (even where that count itself is hidden: neither figure gives the count away), and
  otherwise says "too few answers" without any number. With no answers at all it is "–".
- Rows whose site, channel, language or topic was not recorded are one row, "not stated".
Comparing two different filter selections can still narrow things down; the page is for coordinators
only and every CSV export is audited.
"""

import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from hub.models import StatEvent
from hub.stat_months import stat_month_add, stat_months_grouped, years_with_figures

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
    # A case from abroad handed to the JMD nearest to where the young person arrived (counseling/arrival.py).
    ARRIVAL = "arrival", _("Arrivals handed to a local JMD")


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
    country: str = "",
    value: int | None = None,
    flag: bool | None = None,
) -> StatEvent:
    """Count one event. `site` is any object with `pk` and `provider_group_id` (a sites.Site) or None;
    nothing that identifies a person is accepted. Call it inside the service's transaction."""
    on = on or timezone.now()
    day = timezone.localdate(on) if isinstance(on, datetime) else on
    # The event and its monthly rows together; inside the service's transaction without a savepoint of
    # their own (two statements more for each of the several events a case records).
    with transaction.atomic(savepoint=False):
        event = StatEvent.objects.create(
            kind=StatKind(kind),
            day=day,
            site_ref=getattr(site, "pk", None),
            provider_group_ref=getattr(site, "provider_group_id", None),
            channel=channel,
            language=language,
            topic=topic,
            country=country,
            value=value,
            flag=flag,
        )
        stat_month_add(event)
    return event


# --- reading ---------------------------------------------------------------------------------------------

DIMENSIONS = {
    "month": _("Month"),
    "site": _("Site"),
    "provider_group": _("Provider group"),
    "channel": _("Channel"),
    "language": _("Language"),
    "topic": _("Topic"),
    "country": _("Country of residence"),
}
COUNT_KINDS = [kind for kind in StatKind if kind != StatKind.FIRST_ANSWER]


class Hidden(models.TextChoices):
    """Why a cell shows no number."""

    SMALL = "small"  # a count of 1 to 4
    SECONDARY = "secondary"  # any count, hidden so that a small one cannot be worked out from the total
    TOO_FEW = "too_few"  # a median or share resting on 1 to 4 answers


@dataclass
class Cell:
    value: float | int | None
    hidden: str = ""
    is_count: bool = True

    @property
    def suppressed(self) -> bool:
        return bool(self.hidden)

    @property
    def shown(self) -> str:
        if self.hidden == Hidden.SMALL:
            return f"< {THRESHOLD}"
        if self.hidden == Hidden.SECONDARY:
            return pgettext("statistics cell", "suppressed")
        if self.hidden == Hidden.TOO_FEW:
            return pgettext("statistics cell", "too few answers")
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return formats.number_format(self.value, 1)
        return str(self.value)


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
    return Cell(n, hidden=Hidden.SMALL if 0 < n < THRESHOLD else "")


def _answer_cells(answered: int, within: int, median_minutes: float | None) -> tuple[Cell, Cell]:
    """Median hours and the share within 48 hours: figures about the answers, not counts."""
    if not answered or median_minutes is None:
        return Cell(None, is_count=False), Cell(None, is_count=False)
    if answered < THRESHOLD:
        return Cell(None, Hidden.TOO_FEW, is_count=False), Cell(None, Hidden.TOO_FEW, is_count=False)
    median_hours = round(median_minutes / 60, 1)
    return Cell(median_hours, is_count=False), Cell(round(100 * within / answered), is_count=False)


def _cells(counts: dict, within: int, median_minutes: float | None) -> dict:
    cells = {kind: _count_cell(counts.get(kind, 0)) for kind in COUNT_KINDS}
    answered = counts.get(StatKind.FIRST_ANSWER, 0)
    cells["first_answers"] = _count_cell(answered)
    cells["median_hours"], cells["within_48h"] = _answer_cells(answered, within, median_minutes)
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
    selection = {"year": year, "month": month, "filters": filters or {}, "by": by}
    counts, within, minutes = stat_months_grouped(**selection)
    medians = {key: pystats.median(durations) for key, durations in minutes.items() if durations}
    every = [m for durations in minutes.values() for m in durations]
    medians["total"] = pystats.median(every) if every else None
    if by == "month":
        keys = [month] if month else list(range(1, 13))
    else:
        keys = sorted(counts, key=lambda k: (k is None, k))
    labels = row_labels(by, keys)
    rows = [
        Row(key, labels[key], _cells(counts.get(key, {}), within.get(key, 0), medians.get(key)))
        for key in keys
    ]
    total_counts: Counter = Counter()
    for per_kind in counts.values():
        total_counts.update(per_kind)
    total = Row("total", str(_("Total")), _cells(total_counts, sum(within.values()), medians.get("total")))
    _suppress_secondary(rows, total)
    return Table(by, columns(), rows, total)


def _suppress_secondary(rows: list[Row], total: Row) -> None:
    """With the total shown, a single small count in a column could be computed: hide one more."""
    for column, total_cell in total.cells.items():
        if total_cell.is_count:
            suppress_parts([row.cells[column] for row in rows], total_cell)


def count_cell(n: int) -> Cell:
    """A count under the rules above, for other tables that follow them (counseling/feedback.py)."""
    return _count_cell(n)


def suppress_parts(parts: list[Cell], whole: Cell) -> bool:
    """Counts that add up to `whole`. A shown whole with a single hidden part would give that part away
    (whole minus the others), and a hidden whole with every part shown would be their sum: either way
    the next-smallest shown part is hidden too – or, with no other part to hide, the whole itself (only
    where a part was hidden for another sum; a small part alone makes the whole small too). True when a
    cell was hidden."""
    hidden = [cell for cell in parts if cell.suppressed]
    if not (len(hidden) == 1 if not whole.suppressed else not hidden and whole.value):
        return False
    candidates = [cell for cell in parts if not cell.suppressed and cell.value]
    if candidates:
        min(candidates, key=lambda cell: cell.value).hidden = Hidden.SECONDARY
        return True
    if not whole.suppressed and whole.value:
        whole.hidden = Hidden.SECONDARY
        return True
    return False


def suppress_groups(groups: list[tuple[list[Cell], Cell]]) -> None:
    """Secondary suppression for a table whose counts add up in more than one direction (columns to the
    total row, and parts of a row to its own total): repeated until no group gives a cell away."""
    while any([suppress_parts(parts, whole) for parts, whole in groups]):
        pass


def row_labels(dimension: str, keys) -> dict:
    """A label for every key: None is "not stated", a code or number no longer known shows as itself."""
    if dimension == "month":
        from django.utils.dates import MONTHS

        known = {k: str(MONTHS[k]) for k in keys}
    elif dimension == "channel":
        known = dict(Channel.choices)
    elif dimension == "topic":
        from hub.topics import Topic

        known = dict(Topic.choices)
    elif dimension == "language":
        from django.conf import settings

        known = dict(settings.LANGUAGES)
    elif dimension == "country":
        from hub.countries import country_name

        known = {key: country_name(key) for key in keys if key}
    else:
        # Sites and provider groups live in the sites app; the project package may look them up by name.
        from django.apps import apps

        model = apps.get_model("sites", "Site" if dimension == "site" else "ProviderGroup")
        known = {obj.pk: obj for obj in model.objects.filter(pk__in=[k for k in keys if k])}
    not_stated = pgettext("statistics row", "not stated")
    return {key: str(known.get(key, key)) if key is not None else not_stated for key in keys}


def years_with_data() -> list[int]:
    return sorted(set(years_with_figures()) | {timezone.localdate().year}, reverse=True)


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
