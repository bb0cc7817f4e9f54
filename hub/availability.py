"""One availability engine for every app: chat hours, callback and appointment slots, "open now", and
the 48-hour answer clock.

Pure on purpose (no database, no models): each caller builds a `Schedule` from its own rows, so the
rules live in one place and tests need no fixtures. Wall-clock rules are Europe/Berlin; any aware
datetime goes in, Berlin-aware datetimes come out.

Internally every instant is UTC, because Python subtracts two datetimes sharing a tzinfo by wall clock
(a 25-hour October day would be 24 hours long) and never calls a time in the repeated autumn hour equal
to one in another zone. Callers should measure and compare results the same way: via `.timestamp()` or
`.astimezone(UTC)`.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

BERLIN = ZoneInfo("Europe/Berlin")
MIDNIGHT = time(0, 0)
_ONE_DAY = timedelta(days=1)
# Half-open intervals: "is `at` open" is the same question as "is [at, at + tick) open".
_TICK = timedelta(microseconds=1)
# How far free_slots looks back for the real start of an interval that is already running.
_LOOKBACK_DAYS = 366

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: time
    closes: time  # MIDNIGHT means "until the end of that day"; otherwise closes > opens

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if self.opens.tzinfo or self.closes.tzinfo:
            raise ValueError("WeeklyHours are Berlin wall-clock times and take no tzinfo")
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
        for period in self.closed_periods:
            for moment in period:
                _utc(moment)  # fail when built, not on first use deep inside a view


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    free: int  # places left


def working_days(federal_state: str | None = None) -> Schedule:
    """Monday–Friday, whole days, minus public holidays: the calendar behind "48 hours, not counting
    weekends and holidays". Consecutive days merge, so Mon 00:00 – Sat 00:00 is one interval."""
    return Schedule(
        weekly=tuple(WeeklyHours(weekday, MIDNIGHT, MIDNIGHT) for weekday in range(5)),
        federal_state=federal_state,
    )


def open_intervals(schedule: Schedule, *, start: datetime, end: datetime) -> list[Interval]:
    """Merged, sorted open intervals clipped to [start, end)."""
    return [(_berlin(s), _berlin(e)) for s, e in _open_utc(schedule, _utc(start), _utc(end))]


def is_open(schedule: Schedule, at: datetime) -> bool:
    moment = _utc(at)
    return bool(_open_utc(schedule, moment, moment + _TICK))


def next_openings(
    schedule: Schedule, *, after: datetime, count: int = 1, horizon_days: int = 366
) -> list[Interval]:
    """The next `count` open intervals that end after `after`; one already running is reported from its
    real start, so "open since 09:00" can be shown. Intervals are clipped to `horizon_days` either side."""
    moment = _utc(after)
    limit = moment + timedelta(days=horizon_days)
    origin = _running_start(schedule, moment, horizon_days=horizon_days)
    found: list[Interval] = []
    for s, e in _iter_open(schedule, origin, limit) if count > 0 else ():
        if s >= limit:
            break
        if e > moment:
            found.append((_berlin(max(s, origin)), _berlin(min(e, limit))))
            if len(found) == count:
                break  # before the lazy scan reads further days
    return found


def add_open_time(
    schedule: Schedule, *, start: datetime, duration: timedelta, horizon_days: int = 366
) -> datetime:
    """The earliest moment at which `duration` of open time has elapsed since `start`.

    Counted in real elapsed time, so an open DST night counts as 23 or 25 hours. With working_days() this
    is the answer clock: Fri 14:00 + 48h is Tue 14:00."""
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    moment = _utc(start)
    limit = moment + timedelta(days=horizon_days)
    left = duration
    if not left:
        return _berlin(moment)
    for s, e in _iter_open(schedule, moment, limit):
        span = min(e, limit) - max(s, moment)
        if span >= left:
            return _berlin(max(s, moment) + left)
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

    Slots start at each open interval's real start and then every `step` (default length + buffer) of
    wall-clock time, so a 10:00 grid stays on 10:00 across DST. A slot never crosses an interval end,
    starts at or after now + notice, and is offered only with places left: capacity minus the bookings
    overlapping the slot widened by `buffer` on both sides."""
    step = length + buffer if step is None else step
    if length <= timedelta(0) or step <= timedelta(0) or buffer < timedelta(0) or notice < timedelta(0):
        raise ValueError("length and step must be positive, buffer and notice not negative")
    lo, hi = _utc(start), _utc(end)
    not_before = max(lo, _utc(now) + notice)
    taken = _BookingIndex(bookings)
    anchor = _running_start(schedule, lo, horizon_days=_LOOKBACK_DAYS)
    slots = []
    for s, e in _open_utc(schedule, anchor, hi):
        for begin in _slot_starts(s, e, step=step, length=length, not_before=not_before):
            free = capacity - taken.overlapping(begin - buffer, begin + length + buffer)
            if free > 0:
                slots.append(Slot(start=_berlin(begin), end=_berlin(begin + length), free=free))
    return slots


def in_zone(moment: datetime, tz_name: str) -> datetime:
    """`moment` on the clock of the viewer, who may be a youth in another country."""
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {tz_name!r}") from None
    return _utc(moment).astimezone(zone)


# --- internals: everything below works on UTC instants -------------------------------------------


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


def _berlin(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


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


def _day_intervals(schedule: Schedule, day: date, rules: dict[int, list[WeeklyHours]]) -> list[Interval]:
    """One day's opening hours as UTC intervals, before merging and closed periods."""
    holiday = schedule.observe_holidays and day in _public_holidays(schedule.federal_state, day.year)
    if holiday or day in schedule.closed_days:
        return []
    found = []
    for rule in rules.get(day.weekday(), ()):
        close_day = day + _ONE_DAY if rule.closes == MIDNIGHT else day
        # First occurrence for opens, second for closes: an interval spanning the repeated autumn hour
        # is as long as it really is.
        opens = _wall_to_utc(datetime.combine(day, rule.opens), fold=0)
        closes = _wall_to_utc(datetime.combine(close_day, rule.closes), fold=1)
        if opens < closes:  # e.g. 02:00-02:30 on the spring day does not exist at all
            found.append((opens, closes))
    return sorted(found)


def _iter_open(schedule: Schedule, lo: datetime, hi: datetime) -> Iterator[Interval]:
    """Merged open intervals of the Berlin days from lo's to hi's, lazily, so a search can stop early.
    Not clipped: the first may start before lo, the last end after hi."""
    periods = [(_utc(s), _utc(e)) for s, e in schedule.closed_periods]
    cuts = sorted((s, e) for s, e in periods if s < e)  # an empty cut would split an interval in two
    return _subtract(_merged_days(schedule, lo, hi), cuts)


def _merged_days(schedule: Schedule, lo: datetime, hi: datetime) -> Iterator[Interval]:
    rules: dict[int, list[WeeklyHours]] = {}
    for rule in schedule.weekly:
        rules.setdefault(rule.weekday, []).append(rule)
    day, last = _wall(lo).date(), _wall(hi).date()
    pending: Interval | None = None
    while day <= last:
        for s, e in _day_intervals(schedule, day, rules):
            if pending and s <= pending[1]:
                pending = (pending[0], max(pending[1], e))
            else:
                if pending:
                    yield pending
                pending = (s, e)
        day += _ONE_DAY
    if pending:
        yield pending


def _subtract(intervals: Iterable[Interval], cuts: list[Interval]) -> Iterator[Interval]:
    """Remove closed periods (sorted by start) in one sweep; a cut ending before an interval ends before
    every later one too, so the pointer only moves forward."""
    first = 0
    for s, e in intervals:
        while first < len(cuts) and cuts[first][1] <= s:
            first += 1
        for cut_start, cut_end in cuts[first:]:
            if cut_start >= e:
                break
            if cut_start > s:
                yield (s, cut_start)
            s = max(s, cut_end)
        if s < e:
            yield (s, e)


def _open_utc(schedule: Schedule, lo: datetime, hi: datetime) -> list[Interval]:
    clipped = ((max(s, lo), min(e, hi)) for s, e in _iter_open(schedule, lo, hi))
    return [(s, e) for s, e in clipped if s < e]


def _running_start(schedule: Schedule, at: datetime, *, horizon_days: int) -> datetime:
    """The real start of the interval open at `at` (`at` itself when closed). Looks back in doubling
    steps, so the usual case costs a day or two and a 24/7 schedule stops at the horizon."""
    back = 1
    while True:
        since = at - timedelta(days=back)
        running = _open_utc(schedule, since, at + _TICK)
        if not running or running[-1][1] <= at:
            return at
        if running[-1][0] > since or back >= horizon_days:
            return running[-1][0]
        back = min(back * 2, horizon_days)


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


class _BookingIndex:
    """Counts bookings overlapping a window in O(log n): those starting before its end minus those
    ended by its start (disjoint groups, as long as empty bookings are left out)."""

    def __init__(self, bookings: Iterable[Interval]) -> None:
        pairs = [(_utc(s), _utc(e)) for s, e in bookings]
        if any(e < s for s, e in pairs):
            raise ValueError("a booking ends before it starts")
        self._starts = sorted(s for s, e in pairs if s < e)
        self._ends = sorted(e for s, e in pairs if s < e)

    def overlapping(self, lo: datetime, hi: datetime) -> int:
        return bisect_left(self._starts, hi) - bisect_right(self._ends, lo)
