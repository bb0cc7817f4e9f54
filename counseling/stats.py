"""Counseling's calls into the statistics (hub/statistics.py): what a case counts as, without the case."""

from datetime import datetime

from django.utils import timezone

from counseling.models import Case
from hub.statistics import Channel, StatKind, stat_record


def case_stat(kind: str, case: Case, *, channel: str = Channel.MAIL, **extra) -> None:
    site = case.site if case.site_id else None
    stat_record(
        kind,
        site=site,
        channel=channel,
        language=case.language,
        topic=case.topic,
        country=case.country_of_residence,
        **extra,
    )


def case_activity(case: Case, *, previous: datetime | None, channel: str = Channel.MAIL) -> None:
    """A case counts once per month as active: at its first message (or chat, callback) of the month."""
    now = timezone.localdate()
    if previous is not None:
        before = timezone.localdate(previous)
        if (before.year, before.month) == (now.year, now.month):
            return
    case_stat(StatKind.ACTIVE_CASE, case, channel=channel)


def case_opened(case: Case, *, channel: str) -> None:
    case_stat(StatKind.ENQUIRY, case, channel=channel)
    case_activity(case, previous=None, channel=channel)


def first_answer(case: Case, *, answered_at: datetime) -> None:
    """Minutes from the enquiry to the first published answer, and whether the 48-hour clock was kept."""
    minutes = max(0, int((answered_at - case.created_at).total_seconds() // 60))
    kept = case.answer_due_at is None or answered_at <= case.answer_due_at
    case_stat(StatKind.FIRST_ANSWER, case, value=minutes, flag=kept)
