"""A site's hours and closures as a Schedule for the availability engine (hub/availability.py)."""

from datetime import timedelta

from hub.availability import Schedule, WeeklyHours
from sites.models import HoursKind, Site


def site_schedule(site: Site, kind: str = HoursKind.ON_SITE) -> Schedule:
    """Uses prefetched `hours` and `closures` when the caller has them, so lists stay at constant queries."""
    weekly = tuple(
        WeeklyHours(weekday=row.weekday, opens=row.opens, closes=row.closes)
        for row in site.hours.all()
        if row.kind == kind
    )
    closed_days = frozenset(
        closure.starts_on + timedelta(days=offset)
        for closure in site.closures.all()
        for offset in range((closure.ends_on - closure.starts_on).days + 1)
    )
    return Schedule(weekly=weekly, federal_state=site.federal_state, closed_days=closed_days)


def sites_with_schedules(queryset):
    return queryset.prefetch_related("hours", "closures")
