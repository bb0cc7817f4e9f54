"""Feedback after a closed case: the young person's answers (writes), the coordinators' and site leads'
results (reads), and its retention purge. The row and why it cannot be traced: counseling/feedback_models.py.

- Asked once per case, only of the case's own young person and only while it is closed; the flag on
  the case is set in a transaction of its own, before the answer is written in another: PostgreSQL
  stamps every row a transaction writes with that transaction's id (`xmin`, readable by anyone who may
  read the tables), so one transaction for both would link the answer to the case.
- Results: counts per site, channel, language or month under the statistics' rules (hub/statistics.py,
  the one owner of suppression); the parts of each question add up to the row's answers, so those
  sums are suppressed as well as the columns.
- Free texts show only from the end of their month plus `TEXT_DELAY_DAYS` (no day is stored, so the
  delay counts from the month's end: at least 30 days after the answer), in random order, without any
  date, and only where the selection holds at least `statistics.THRESHOLD` answers old enough.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from counseling import sealing
from counseling.feedback_models import CaseFeedback, ComeBack, Helped
from counseling.models import Case, CaseStatus
from hub import statistics
from hub.retention import Purge, delete_ids, policy_cutoff
from hub.statistics import Channel, Row, Table

TEXT_DELAY_DAYS = 30
TEXT_MAX = 2000
TEXTS_SHOWN = 200
TEXT_PURPOSE = "case-feedback.text"


class FeedbackRefused(Exception):
    """Not this person's closed case, or the questions were answered already."""


def feedback_open(case: Case, user) -> bool:
    """Whether the questions are asked: the case's own young person (not a network partner), the case
    closed, not answered before."""
    return (
        case.status == CaseStatus.CLOSED
        and not case.feedback_given
        and case.youth_id is not None
        and getattr(user, "pk", None) == case.youth_id
    )


def case_channel(case: Case) -> str:
    """How the case was counseled, as the statistics name channels."""
    if hasattr(case, "chat"):
        return Channel.CHAT
    if case.callbacks.exists():
        return Channel.CALLBACK
    return Channel.MAIL


def month_of(day: date) -> date:
    return day.replace(day=1)


def feedback_give(*, case: Case, user, helped: str, come_back: str, text: str = "") -> CaseFeedback:
    """Store the answers without the case; raises FeedbackRefused when they may not be given (again)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not feedback_open(locked, user):
            raise FeedbackRefused
        Case.objects.filter(pk=locked.pk).update(feedback_given=True)
    case.feedback_given = True
    # A transaction of its own (see the module's docstring). Should it fail, the answer is lost, never
    # given twice.
    row = CaseFeedback(
        wrapped_key=sealing.new_wrapped_key(),
        site_ref=locked.site_id,
        channel=case_channel(locked),
        language=locked.language,
        month=month_of(timezone.localdate()),
        helped=Helped(helped),
        come_back=ComeBack(come_back),
    )
    if text:
        row.text = sealing.seal(row, text, purpose=TEXT_PURPOSE)
    row.save(force_insert=True)
    return row


# --- who sees what ---------------------------------------------------------------------------------------

VIEW_ALL = "counseling.view_casefeedback"  # coordinators (hub/roles.py)
VIEW_LED_SITES = "counseling.view_site_casefeedback"  # site leads: the sites they lead


def feedback_scope(user) -> frozenset[int] | None | bool:
    """None: every site; a set of site ids: those only; False: no results at all (counselors…)."""
    if user.has_perm(VIEW_ALL):
        return None
    if user.has_perm(VIEW_LED_SITES):
        from counseling.access import lead_site_ids

        return frozenset(lead_site_ids(user))
    return False


def feedback_visible(scope: frozenset[int] | None) -> QuerySet:
    rows = CaseFeedback.objects.all()
    return rows if scope is None else rows.filter(site_ref__in=scope)


def _selected(scope, *, year: int, month: int | None, filters: dict) -> QuerySet:
    start = date(year, month or 1, 1)
    last = month or 12
    end = date(year + last // 12, last % 12 + 1, 1)
    rows = feedback_visible(scope).filter(month__gte=start, month__lt=end)
    for key in ("site_ref", "channel", "language"):
        if filters.get(key) not in (None, ""):
            rows = rows.filter(**{key: filters[key]})
    return rows


def feedback_years() -> list[int]:
    """The statistics' years and those with feedback, newest first."""
    span = CaseFeedback.objects.aggregate(first=Min("month"), last=Max("month"))
    found = set(range(span["first"].year, span["last"].year + 1)) if span["first"] else set()
    return sorted(found | set(statistics.years_with_data()), reverse=True)


# --- results ---------------------------------------------------------------------------------------------

DIMENSIONS = {
    "month": statistics.DIMENSIONS["month"],
    "site": statistics.DIMENSIONS["site"],
    "channel": statistics.DIMENSIONS["channel"],
    "language": statistics.DIMENSIONS["language"],
}
_FIELD_OF = {"month": "month", "site": "site_ref", "channel": "channel", "language": "language"}
HELPED_COLUMNS = {f"helped_{choice.value}": choice for choice in Helped}
COME_BACK_COLUMNS = {f"back_{choice.value}": choice for choice in ComeBack}


def columns() -> list[tuple[str, str]]:
    helped = pgettext_lazy("feedback results", "Helped: %(answer)s")
    back = pgettext_lazy("feedback results", "Would come back: %(answer)s")
    return [
        ("answers", _("Answers")),
        *((key, helped % {"answer": choice.label}) for key, choice in HELPED_COLUMNS.items()),
        *((key, back % {"answer": choice.label}) for key, choice in COME_BACK_COLUMNS.items()),
    ]


def _counts() -> dict:
    counts = {"answers": Count("pk")}
    counts |= {key: Count("pk", filter=Q(helped=choice)) for key, choice in HELPED_COLUMNS.items()}
    counts |= {key: Count("pk", filter=Q(come_back=choice)) for key, choice in COME_BACK_COLUMNS.items()}
    return counts


def feedback_table(scope, *, year: int, month: int | None = None, filters=None, by: str = "month") -> Table:
    """One query: the counts per row of the chosen dimension, suppressed as the statistics are."""
    field = _FIELD_OF[by]
    grouped = _selected(scope, year=year, month=month, filters=filters or {}).values(field)
    found = {
        (row.pop(field).month if by == "month" else row.pop(field) or None): row
        for row in grouped.annotate(**_counts()).order_by()
    }
    if by == "month":
        keys = [month] if month else list(range(1, 13))
    else:
        keys = sorted(found, key=lambda k: (k is None, k))
    labels = statistics.row_labels(by, keys)
    keys_columns = [key for key, _label in columns()]
    rows = [Row(key, labels[key], _cells(found.get(key, {}), keys_columns)) for key in keys]
    sums = {column: sum(counts.get(column, 0) for counts in found.values()) for column in keys_columns}
    total = Row("total", str(_("Total")), _cells(sums, keys_columns))
    _suppress(rows, total, keys_columns)
    return Table(by, columns(), rows, total)


def _cells(counts: dict, keys_columns: list[str]) -> dict:
    return {column: statistics.count_cell(counts.get(column, 0)) for column in keys_columns}


def _suppress(rows: list[Row], total: Row, keys_columns: list[str]) -> None:
    """Every column adds up to the total row; in every row, the answers to each question add up to
    that row's answers (both questions are required)."""
    groups = [([row.cells[column] for row in rows], total.cells[column]) for column in keys_columns]
    for row in [*rows, total]:
        for question in (HELPED_COLUMNS, COME_BACK_COLUMNS):
            groups.append(([row.cells[column] for column in question], row.cells["answers"]))
    statistics.suppress_groups(groups)


# --- free texts ------------------------------------------------------------------------------------------


def texts_visible_from(today: date) -> date:
    """Months before this one are old enough: their end lies at least TEXT_DELAY_DAYS back."""
    return month_of(today - timedelta(days=TEXT_DELAY_DAYS))


@dataclass(frozen=True)
class FreeTexts:
    texts: list[str]
    withheld: bool  # too few old-enough answers in the selection to show any text


def feedback_texts(scope, *, year: int, month: int | None = None, filters=None, today=None) -> FreeTexts:
    """The free texts old enough to be read, in random order, without date or any other attribute."""
    today = today or timezone.localdate()
    old_enough = _selected(scope, year=year, month=month, filters=filters or {}).filter(
        month__lt=texts_visible_from(today)
    )
    if old_enough.count() < statistics.THRESHOLD:
        return FreeTexts([], withheld=old_enough.exclude(text=b"").exists())
    rows = old_enough.exclude(text=b"").order_by("?").only("public_id", "wrapped_key", "text")
    return FreeTexts([feedback_text(row) for row in rows[:TEXTS_SHOWN]], withheld=False)


def feedback_text(row: CaseFeedback) -> str:
    token = bytes(row.text or b"")
    return sealing.unseal(row, token, purpose=TEXT_PURPOSE) if token else ""


# --- retention -------------------------------------------------------------------------------------------


def _due(now):
    # Whole months only: a row is due once its month ended before the cut-off.
    cutoff = timezone.localdate(policy_cutoff("case_feedback", now=now))
    return CaseFeedback.objects.filter(month__lt=month_of(cutoff))


CASE_FEEDBACK = Purge("case_feedback", _("Feedback after counseling"), _due, delete_ids(CaseFeedback))
