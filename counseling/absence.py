"""The one absence rule: is a counselor present at a moment? Routing, the chat desk, the ask page and the
young person's notice all ask here, so they can never disagree.

A counselor sets an absence with `counseling.services.absence_set` (the only writer): "away" and an
optional last day of the absence (`absent_until`). They are away from the moment it is set until the end
of that day in German time, and present again from the following midnight; without a day, until they
end it. The absence is a closed period in the availability engine (hub/availability.py), the same
dated-exception mechanism as a site's closures.

`present_filter` is the same rule as a query filter, for lists of counselors (one query, no loop).
"""

from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.models import CounselorProfile
from hub import availability

SPOKEN_CACHE_KEY = "counseling:languages-spoken-now"
ABSENCE_MAX_DAYS = 2 * 366
LATEST_LAST_DAY = date(9000, 1, 1)  # beyond it (a stored year 9999) the day after cannot be computed
SPOKEN_CACHE_SECONDS = 60  # the ask page's notice may lag a minute behind a staff change

_WHOLE_DAY = (availability.MIDNIGHT, availability.MIDNIGHT)
_ALWAYS = tuple(availability.WeeklyHours(day, *_WHOLE_DAY) for day in range(7))


def moment_of(at: datetime | date | None) -> datetime:
    """A day (as older callers pass it) stands for the start of that day in German time."""
    if at is None:
        return timezone.now()
    if isinstance(at, datetime):
        return at
    return datetime.combine(at, time(0), tzinfo=availability.BERLIN)


def absence_ends_at(profile: CounselorProfile) -> datetime | None:
    """The moment the counselor is back: the midnight (German time) after their last day away."""
    if profile.absent_until is None or profile.absent_until >= LATEST_LAST_DAY:
        return None  # open-ended; also a stored date too far ahead to compute with (year 9999)
    return datetime.combine(profile.absent_until + timedelta(days=1), time(0), tzinfo=availability.BERLIN)


def last_day_validate(until: date | None) -> date | None:
    """The one check of an absence's last day, for every form that sets one: not in the past, and not
    beyond two years (longer is no absence but a deactivation)."""
    if until is None:
        return None
    today = timezone.localdate()
    if until < today:
        raise ValidationError(_("Please choose today or a day in the future."))
    if until > today + timedelta(days=ABSENCE_MAX_DAYS):
        raise ValidationError(_("An absence can be set for at most two years."))
    return until


def absence_schedule(profile: CounselorProfile, *, at: datetime) -> availability.Schedule:
    """Always open, minus the absence as a closed period (open-ended absences run past `at`)."""
    if not profile.is_absent:
        return availability.Schedule(weekly=_ALWAYS, observe_holidays=False)
    ends = absence_ends_at(profile) or at + timedelta(days=1)
    starts = min(at, ends) - timedelta(days=1)
    return availability.Schedule(weekly=_ALWAYS, observe_holidays=False, closed_periods=((starts, ends),))


def is_present(profile: CounselorProfile, at: datetime | date | None = None) -> bool:
    moment = moment_of(at)
    return availability.is_open(absence_schedule(profile, at=moment), moment)


def last_day(profile: CounselorProfile, at: datetime | date | None = None) -> date | None:
    """An absent counselor's last day away (None: present, or no day given)."""
    if is_present(profile, at):
        return None
    return profile.absent_until


def present_filter(at: datetime | None = None) -> Q:
    """`is_present` for a CounselorProfile queryset (same boundary: the day after the last day away, in
    German time)."""
    today = moment_of(at).astimezone(availability.BERLIN).date()
    return Q(is_absent=False) | Q(absent_until__isnull=False, absent_until__lt=today)


def _in_counseling_role():
    from django.contrib.auth import get_user_model

    from counseling.routing import COUNSELING_ROLES

    memberships = get_user_model().groups.through.objects
    return memberships.filter(user_id=OuterRef("user_id"), group__name__in=COUNSELING_ROLES)


def languages_spoken_now(*, at: datetime | None = None) -> frozenset[str]:
    """Languages at least one active, present counselor speaks. One query, cached for a minute (the ask
    page shows it to every visitor); `absence_set` drops the cache."""
    if at is None and (cached := cache.get(SPOKEN_CACHE_KEY)) is not None:
        return frozenset(cached)
    rows = (
        CounselorProfile.objects.filter(user__is_active=True)
        .filter(present_filter(at))
        .filter(Exists(_in_counseling_role()))
        .values_list("languages", flat=True)
    )
    spoken = frozenset(language for languages in rows for language in (languages or []))
    if at is None:
        cache.set(SPOKEN_CACHE_KEY, sorted(spoken), SPOKEN_CACHE_SECONDS)
    return spoken


def spoken_languages_changed() -> None:
    cache.delete(SPOKEN_CACHE_KEY)
