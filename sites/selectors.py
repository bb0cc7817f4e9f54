from dataclasses import dataclass
from datetime import datetime, timedelta

from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from hub import availability
from sites.models import HoursKind, Site
from sites.schedules import site_schedule


def sites_editable_by(user):
    """Sites whose profile the user may change: all for coordinators, their own for site leads."""
    sites = Site.objects.select_related("provider_group")
    if user.has_perm("sites.change_site"):
        return sites
    return get_objects_for_user(user, "sites.change_site", klass=sites, accept_global_perms=False)


def site_public(slug: str) -> Site:
    """A site for its public pages (every site is public); 404 if there is none."""
    sites = Site.objects.select_related("provider_group").prefetch_related("hours", "closures")
    return get_object_or_404(sites, slug=slug)


@dataclass(frozen=True)
class OpeningStatus:
    open_now: bool
    until: datetime | None  # when the running opening ends
    next_start: datetime | None  # when the next opening starts (if closed now)


def opening_status(site: Site, *, kind: str = HoursKind.ON_SITE, now: datetime) -> OpeningStatus:
    schedule = site_schedule(site, kind)
    upcoming = availability.next_openings(schedule, after=now, count=1, horizon_days=60)
    if not upcoming:
        return OpeningStatus(open_now=False, until=None, next_start=None)
    start, end = upcoming[0]
    if start <= now:
        return OpeningStatus(open_now=True, until=end, next_start=None)
    return OpeningStatus(open_now=False, until=None, next_start=start)


def site_week_hours(site: Site) -> list[tuple[str, list]]:
    """Weekly hours grouped by kind (label, rows), for the site page."""
    grouped: dict[str, list] = {}
    for row in site.hours.all():
        grouped.setdefault(row.kind, []).append(row)
    return [(label, grouped[kind]) for kind, label in HoursKind.choices if kind in grouped]


def upcoming_closures(site: Site, *, today):
    return [closure for closure in site.closures.all() if closure.ends_on >= today][:5]


def hours_calendar(site: Site, *, now: datetime, weeks: int = 8) -> list[tuple[str, datetime, datetime]]:
    """The concrete openings of the next weeks for the .ics feed (holidays and closures already left out)."""
    events = []
    for kind in HoursKind.values:
        schedule = site_schedule(site, kind)
        if schedule.weekly:
            intervals = availability.open_intervals(schedule, start=now, end=now + timedelta(weeks=weeks))
            events += [(kind, start, end) for start, end in intervals]
    return sorted(events, key=lambda event: event[1])
