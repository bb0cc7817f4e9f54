"""One availability engine for every app: chat hours, callback and appointment slots, "open now" and the
48-hour answer clock. Pure (no database): callers build a `Schedule` from their own rows, so the rules
live in one place. Wall-clock rules are Europe/Berlin; any aware datetime goes in, Berlin-aware comes out.

Internally every instant is UTC: Python subtracts datetimes sharing a tzinfo by wall clock (a 25-hour
October day would last 24 hours) and never calls a time in the repeated autumn hour equal to one in
another zone. Callers should measure and compare results the same way, via `.timestamp()` or UTC.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

BERLIN = ZoneInfo("Europe/Berlin")
MIDNIGHT = time(0, 0)
_TICK = timedelta(microseconds=1)  # intervals are half-open: "open at t" means [t, t + tick) is open

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: time
    closes: time  # MIDNIGHT means "until the end of that day"; otherwise closes > opens

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if self.closes != MIDNIGHT and self.closes <= self.opens:
            raise ValueError(f"closes {self.closes} must be after opens {self.opens} (or midnight)")


@dataclass(frozen=True)
class Schedule:
    weekly: tuple[WeeklyHours, ...] = ()  # several entries per weekday allowed (e.g. 9-12 and 13-17)
    federal_state: str | None = None  # None: only nationwide holidays
    closed_days: frozenset[date] = frozenset()
    closed_periods: tuple[Interval, ...] = ()  # aware [start, end), e.g. a staff absence
    observe_holidays: bool = True

    def __post_init__(self) -> None:
        if self.federal_state is not None and self.federal_state not in holidays.Germany.subdivisions:
            raise ValueError(f"unknown federal state {self.federal_state!r}")
        if any(_utc(s) > _utc(e) for s, e in self.closed_periods):  # fail when built, not in a view
            raise ValueError("a closed period ends before it starts")


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    free: int  # places left


def working_days(federal_state: str | None = None) -> Schedule:
    """Monday–Friday, whole days, minus public holidays: the calendar behind "48 hours, not counting
    weekends and holidays". Consecutive days merge, so Mon 00:00 – Sat 00:00 is one interval."""
    weekly = tuple(WeeklyHours(weekday, MIDNIGHT, MIDNIGHT) for weekday in range(5))
    return Schedule(weekly=weekly, federal_state=federal_state)


def open_intervals(schedule: Schedule, *, start: datetime, end: datetime) -> list[Interval]:
    """Merged, sorted open intervals clipped to [start, end)."""
    found = _open_utc(schedule, _utc(start), _utc(end))
    return [(s.astimezone(BERLIN), e.astimezone(BERLIN)) for s, e in found]


def is_open(schedule: Schedule, at: datetime) -> bool:
    moment = _utc(at)
    return bool(_open_utc(schedule, moment, moment + _TICK))


def next_openings(
    schedule: Schedule, *, after: datetime, count: int = 1, horizon_days: int = 366
) -> list[Interval]:
    """The next `count` open intervals that end after `after`; one already running is reported from its
    real start, so "open since 09:00" can be shown. The last may be cut off at the horizon."""
    moment = _utc(after)
    limit = moment + timedelta(days=horizon_days)
    origin = _running_start(schedule, moment)
    found: list[Interval] = []
    for s, e in _iter_open(schedule, origin, limit) if count > 0 else ():
        if s >= limit:
            break
        if e > moment:
            found.append((max(s, origin).astimezone(BERLIN), min(e, limit).astimezone(BERLIN)))
            if len(found) == count:
                break  # before the lazy scan reads further days
    return found


def add_open_time(
    schedule: Schedule, *, start: datetime, duration: timedelta, horizon_days: int = 366
) -> datetime:
    """The earliest moment at which `duration` of open time has elapsed since `start`.

    Counted in real elapsed time, so an open DST day counts as 23 or 25 hours. With working_days() this
    is the answer clock: Fri 14:00 + 48h is Tue 14:00."""
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    moment = _utc(start)
    limit = moment + timedelta(days=horizon_days)
    left = duration
    if not left:
        return moment.astimezone(BERLIN)
    for s, e in _iter_open(schedule, moment, limit):
        span = min(e, limit) - max(s, moment)
        if span >= left:
            return (max(s, moment) + left).astimezone(BERLIN)
        left -= max(span, timedelta(0))
    raise ValueError(f"{duration} of open time is not reached within {horizon_days} days")


def free_slots(
    schedule: Schedule,
    *,
    start: datetime,
    end: datetime,
    length: timedelta,
    now: datetime,
    step: timedelta | None = None,
    buffer: timedelta = timedelta(0),
    notice: timedelta = timedelta(0),
    capacity: int = 1,
    bookings: Iterable[Interval] = (),
) -> list[Slot]:
    """Bookable slots of `length` inside open intervals within [start, end).

    Slots start at each open interval's real start, then every `step` (default length + buffer) of wall
    clock, so a 10:00 grid stays on 10:00 across DST. A slot never crosses an interval end, starts at or
    after now + notice, and needs places left: capacity minus bookings overlapping it widened by buffer."""
    step = length + buffer if step is None else step
    if length <= timedelta(0) or step <= timedelta(0) or buffer < timedelta(0) or notice < timedelta(0):
        raise ValueError("length and step must be positive, buffer and notice not negative")
    lo, hi = _utc(start), _utc(end)
    not_before = max(lo, _utc(now) + notice)
    overlapping = _overlap_counter(bookings)
    anchor = _running_start(schedule, lo)
    slots = []
    for s, e in _open_utc(schedule, anchor, hi):
        for begin in _slot_starts(s, e, step=step, length=length, not_before=not_before):
            free = capacity - overlapping(begin - buffer, begin + length + buffer)
            if free > 0:
                slots.append(Slot(begin.astimezone(BERLIN), (begin + length).astimezone(BERLIN), free))
    return slots


def in_zone(moment: datetime, tz_name: str) -> datetime:
    """`moment` on the clock of the viewer, who may be a youth in another country."""
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {tz_name!r}") from None
    return _utc(moment).astimezone(zone)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


def _wall(moment: datetime) -> datetime:
    """Berlin wall clock as a naive datetime, so wall times can be stepped and compared as clock readings."""
    return moment.astimezone(BERLIN).replace(tzinfo=None)


def _wall_to_utc(wall: datetime, *, fold: int) -> datetime:
    """The instant of a Berlin wall time. In the autumn repeat `fold` picks the occurrence (0 first,
    1 second); a time in the spring gap moves forward to the first instant after the gap."""
    instant = wall.replace(tzinfo=BERLIN, fold=fold).astimezone(UTC)
    if _wall(instant) == wall:
        return instant
    # In a gap, fold=1 resolves with the summer offset (landing before the gap), fold=0 after it; the
    # transition lies between, on a whole second, so bisect on seconds.
    lo = int(wall.replace(tzinfo=BERLIN, fold=1).timestamp())
    hi = int(wall.replace(tzinfo=BERLIN, fold=0).timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _wall(datetime.fromtimestamp(mid, UTC)) >= wall else (mid, hi)
    return datetime.fromtimestamp(hi, UTC)


@lru_cache(maxsize=512)
def _public_holidays(federal_state: str | None, year: int) -> frozenset[date]:
    # Building a holidays calendar is slow compared with scanning a day; callers scan the same years.
    return frozenset(holidays.Germany(subdiv=federal_state, years=year))


def _day_intervals(schedule: Schedule, day: date) -> list[Interval]:
    """One day's opening hours as UTC intervals, before merging and closed periods."""
    holiday = schedule.observe_holidays and day in _public_holidays(schedule.federal_state, day.year)
    if holiday or day in schedule.closed_days:
        return []
    found = []
    for rule in [rule for rule in schedule.weekly if rule.weekday == day.weekday()]:
        close_day = day + timedelta(days=1) if rule.closes == MIDNIGHT else day
        # First occurrence for opens, second for closes: across the repeated autumn hour it counts fully.
        opens = _wall_to_utc(datetime.combine(day, rule.opens), fold=0)
        closes = _wall_to_utc(datetime.combine(close_day, rule.closes), fold=1)
        if opens < closes:  # e.g. 02:00-02:30 on the spring day does not exist at all
            found.append((opens, closes))
    return sorted(found)


def _iter_open(schedule: Schedule, lo: datetime, hi: datetime) -> Iterator[Interval]:
    """Merged open intervals of the Berlin days from lo's to hi's, lazily, so a search can stop early.
    Not clipped: the first may start before lo, the last end after hi."""
    return _subtract(_merged_days(schedule, lo, hi), schedule.closed_periods)


def _merged_days(schedule: Schedule, lo: datetime, hi: datetime) -> Iterator[Interval]:
    day, last = _wall(lo).date(), _wall(hi).date()
    pending: Interval | None = None
    while day <= last:
        for s, e in _day_intervals(schedule, day):
            if pending and s <= pending[1]:
                pending = (pending[0], max(pending[1], e))
            else:
                if pending:
                    yield pending
                pending = (s, e)
        day += timedelta(days=1)
    if pending:
        yield pending


def _subtract(intervals: Iterable[Interval], periods: Iterable[Interval]) -> Iterator[Interval]:
    """Remove closed periods in one sweep: sorted, a cut ending before one interval ends before every
    later one too, so `first` only moves forward. Empty cuts are dropped: they would split an interval."""
    cuts = sorted(cut for cut in ((_utc(s), _utc(e)) for s, e in periods) if cut[0] < cut[1])
    first = 0
    for s, e in intervals:
        while first < len(cuts) and cuts[first][1] <= s:
            first += 1
        i = first
        while i < len(cuts) and cuts[i][0] < e:
            if cuts[i][0] > s:
                yield (s, cuts[i][0])
            s, i = max(s, cuts[i][1]), i + 1
        if s < e:
            yield (s, e)


def _open_utc(schedule: Schedule, lo: datetime, hi: datetime) -> list[Interval]:
    clipped = ((max(s, lo), min(e, hi)) for s, e in _iter_open(schedule, lo, hi))
    return [(s, e) for s, e in clipped if s < e]


def _running_start(schedule: Schedule, at: datetime) -> datetime:
    """The real start of the interval open at `at` (`at` itself when closed). An interval open for over a
    week (a 24/7 schedule) is reported from a midnight a week back: no caller shows more, and slot grids
    stay anchored on a whole hour."""
    running = [s for s, e in _iter_open(schedule, at - timedelta(days=7), at) if s <= at < e]
    return running[0] if running else at


def _slot_starts(
    s: datetime, e: datetime, *, step: timedelta, length: timedelta, not_before: datetime
) -> Iterator[datetime]:
    """Slot starts on a wall-clock grid from s (first occurrence in the repeated autumn hour). A grid
    point less than `step` of real time after the previous start is dropped: the spring gap folds
    several points onto one instant, and dropping (not pushing) keeps later slots on the grid."""
    wall0 = _wall(s)
    # Jump close to not_before; one step early because wall and real time differ on DST days.
    k = max(0, (_wall(not_before) - wall0) // step - 1)
    previous: datetime | None = None
    while True:
        begin = max(s, _wall_to_utc(wall0 + k * step, fold=0))
        k += 1
        if begin + length > e:
            return
        if previous is not None and begin < previous + step:
            continue
        previous = begin
        if begin >= not_before:
            yield begin


def _overlap_counter(bookings: Iterable[Interval]) -> Callable[[datetime, datetime], int]:
    """Counts bookings overlapping [lo, hi) in O(log n): those starting before hi minus those ended by
    lo (disjoint groups, as long as empty bookings are left out)."""
    pairs = [(_utc(s), _utc(e)) for s, e in bookings]
    if any(e < s for s, e in pairs):
        raise ValueError("a booking ends before it starts")
    starts, ends = sorted(s for s, e in pairs if s < e), sorted(e for s, e in pairs if s < e)
    return lambda lo, hi: bisect_left(starts, hi) - bisect_right(ends, lo)
