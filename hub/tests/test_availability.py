"""The availability engine: opening hours, holidays per federal state, closures, DST, slots, answer clock."""

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.availability import (
    BERLIN,
    MIDNIGHT,
    Schedule,
    WeeklyHours,
    add_open_time,
    free_slots,
    in_zone,
    is_open,
    next_openings,
    open_intervals,
    working_days,
)

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
MINUTES_30 = 30 * MINUTE
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def hours(start: datetime, end: datetime) -> float:
    # Through timestamps: Berlin-aware subtraction would use wall clock and hide the DST hour.
    return (end.timestamp() - start.timestamp()) / 3600


def total_hours(intervals: list[tuple[datetime, datetime]]) -> float:
    return sum(hours(s, e) for s, e in intervals)


def every_day(opens: time, closes: time, **kwargs) -> Schedule:
    return Schedule(weekly=tuple(WeeklyHours(day, opens, closes) for day in range(7)), **kwargs)


def day_of(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    midnight = datetime.combine(day, MIDNIGHT, tzinfo=BERLIN)
    # Berlin-aware + 1 day is the next midnight on the wall clock, whatever the day's real length.
    return open_intervals(schedule, start=midnight, end=midnight + timedelta(days=1))


TUESDAY_10_17 = Schedule(weekly=(WeeklyHours(1, time(10), time(17)),))
TUE_TO_THU = Schedule(weekly=tuple(WeeklyHours(day, time(10), time(17)) for day in (1, 2, 3)))
MONDAY_SPLIT = Schedule(weekly=(WeeklyHours(0, time(9), time(12)), WeeklyHours(0, time(13), time(17))))
MORNING = every_day(time(10), time(12))


# --- weekly hours -----------------------------------------------------------------------------------


def test_weekly_hours_open_from_opening_until_just_before_closing():
    assert is_open(TUESDAY_10_17, berlin(2026, 1, 13, 10))
    assert is_open(TUESDAY_10_17, berlin(2026, 1, 13, 16, 59, 59))
    assert not is_open(TUESDAY_10_17, berlin(2026, 1, 13, 9, 59))
    assert not is_open(TUESDAY_10_17, berlin(2026, 1, 13, 17))
    assert not is_open(TUESDAY_10_17, berlin(2026, 1, 14, 12))  # Wednesday


def test_two_intervals_on_one_day_and_sunday_closed():
    assert day_of(MONDAY_SPLIT, date(2026, 1, 12)) == [
        (berlin(2026, 1, 12, 9), berlin(2026, 1, 12, 12)),
        (berlin(2026, 1, 12, 13), berlin(2026, 1, 12, 17)),
    ]
    not_sunday = Schedule(weekly=tuple(WeeklyHours(day, time(9), time(17)) for day in range(6)))
    assert day_of(not_sunday, date(2026, 1, 17)) != []
    assert day_of(not_sunday, date(2026, 1, 18)) == []


def test_midnight_closing_runs_to_end_of_day_and_merges_with_the_next_morning():
    late = Schedule(weekly=(WeeklyHours(4, time(18), MIDNIGHT), WeeklyHours(5, MIDNIGHT, time(2))))
    intervals = open_intervals(late, start=berlin(2026, 1, 16), end=berlin(2026, 1, 18))
    assert intervals == [(berlin(2026, 1, 16, 18), berlin(2026, 1, 17, 2))]
    assert is_open(late, berlin(2026, 1, 16, 23, 59, 59))


def test_open_intervals_are_clipped_to_the_window_and_accept_any_zone():
    start = datetime(2026, 1, 13, 10, 30, tzinfo=UTC)  # 11:30 in Berlin
    assert open_intervals(TUESDAY_10_17, start=start, end=berlin(2026, 1, 13, 12)) == [
        (berlin(2026, 1, 13, 11, 30), berlin(2026, 1, 13, 12))
    ]


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        WeeklyHours(7, time(9), time(17))
    with pytest.raises(ValueError):
        WeeklyHours(0, time(17), time(9))
    with pytest.raises(ValueError):
        Schedule(federal_state="XX")
    with pytest.raises(ValueError):
        is_open(TUESDAY_10_17, datetime(2026, 1, 13, 12))  # noqa: DTZ001 - naive on purpose


# --- public holidays per federal state ------------------------------------------------------------

STATE_HOLIDAYS = [
    # (day, federal state, closed?)
    (date(2026, 1, 6), "BY", True),  # Heilige Drei Könige, Tuesday
    (date(2026, 1, 6), "BW", True),
    (date(2026, 1, 6), "ST", True),
    (date(2026, 1, 6), "BE", False),
    (date(2026, 10, 31), "SN", True),  # Reformationstag, Saturday
    (date(2026, 10, 31), "BB", True),
    (date(2026, 10, 31), "HH", True),
    (date(2026, 10, 31), "BY", False),
    (date(2026, 6, 4), "NW", True),  # Fronleichnam, Thursday
    (date(2026, 6, 4), "BY", True),
    (date(2026, 6, 4), "BE", False),
    (date(2026, 3, 8), "BE", True),  # Internationaler Frauentag, Sunday
    (date(2026, 3, 8), "BY", False),
    (date(2026, 11, 18), "SN", True),  # Buß- und Bettag, Wednesday
    (date(2026, 11, 18), "BY", False),
    (date(2027, 1, 6), "BY", True),  # Wednesday
    (date(2027, 5, 27), "BW", True),  # Fronleichnam 2027
    (date(2027, 5, 27), "HH", False),
]


@pytest.mark.parametrize(("day", "state", "closed"), STATE_HOLIDAYS)
def test_public_holidays_close_only_in_their_federal_state(day, state, closed):
    assert (day in holidays.Germany(subdiv=state, years=day.year)) is closed  # the table itself is right
    schedule = every_day(time(9), time(17), federal_state=state)
    assert (day_of(schedule, day) == []) is closed
    assert day_of(every_day(time(9), time(17)), day) != []  # no state: only nationwide holidays


def test_nationwide_holiday_closes_everywhere_unless_holidays_are_ignored():
    easter_monday = date(2026, 4, 6)
    assert day_of(every_day(time(9), time(17)), easter_monday) == []
    assert day_of(every_day(time(9), time(17), federal_state="HB"), easter_monday) == []
    assert day_of(every_day(time(9), time(17), observe_holidays=False), easter_monday) != []


# --- closures -------------------------------------------------------------------------------------


def test_closed_day_removes_exactly_that_day():
    schedule = every_day(time(9), time(17), closed_days=frozenset({date(2026, 2, 10)}))
    assert day_of(schedule, date(2026, 2, 10)) == []
    assert total_hours(day_of(schedule, date(2026, 2, 9))) == 8
    assert total_hours(day_of(schedule, date(2026, 2, 11))) == 8


def test_closed_period_removes_exactly_that_time():
    absence = (berlin(2026, 2, 10, 12), berlin(2026, 2, 10, 14, 30))
    schedule = every_day(time(9), time(17), closed_periods=(absence,))
    assert day_of(schedule, date(2026, 2, 10)) == [
        (berlin(2026, 2, 10, 9), berlin(2026, 2, 10, 12)),
        (berlin(2026, 2, 10, 14, 30), berlin(2026, 2, 10, 17)),
    ]
    assert not is_open(schedule, berlin(2026, 2, 10, 13))
    assert total_hours(day_of(schedule, date(2026, 2, 11))) == 8


def test_closed_period_across_days_and_in_utc():
    absence = (datetime(2026, 2, 10, 15, tzinfo=UTC), datetime(2026, 2, 11, 9, tzinfo=UTC))  # 16:00 → 10:00
    schedule = every_day(time(9), time(17), closed_periods=(absence,))
    assert open_intervals(schedule, start=berlin(2026, 2, 10), end=berlin(2026, 2, 12)) == [
        (berlin(2026, 2, 10, 9), berlin(2026, 2, 10, 16)),
        (berlin(2026, 2, 11, 10), berlin(2026, 2, 11, 17)),
    ]


# --- daylight saving time ----------------------------------------------------------------------------

SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)


@pytest.mark.parametrize(("day", "day_hours", "night_hours"), [(SPRING, 23, 2), (AUTUMN, 25, 4)])
def test_dst_days_have_their_real_length(day, day_hours, night_hours):
    assert total_hours(day_of(every_day(MIDNIGHT, MIDNIGHT), day)) == day_hours
    [(opens, closes)] = day_of(every_day(time(1), time(4)), day)
    assert (opens.hour, closes.hour) == (1, 4)
    assert hours(opens, closes) == night_hours
    [(opens, closes)] = day_of(MORNING, day)
    assert (opens.hour, closes.hour, hours(opens, closes)) == (10, 12, 2)


def test_opening_inside_the_spring_gap_moves_to_the_first_real_instant():
    schedule = every_day(time(2, 30), time(4))
    [(opens, closes)] = day_of(schedule, SPRING)
    assert opens == datetime(2026, 3, 29, 1, tzinfo=UTC)  # 03:00 summer time
    assert hours(opens, closes) == 1
    assert day_of(every_day(time(2), time(2, 30)), SPRING) == []  # never exists that day
    gap_end = datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert not is_open(schedule, gap_end - timedelta(seconds=1))  # 01:59:59 winter time
    assert is_open(schedule, gap_end)


def test_autumn_repeated_hour_counts_fully():
    schedule = every_day(time(1), time(2, 30))
    [(opens, closes)] = day_of(schedule, AUTUMN)
    # Compared in UTC: Python never calls a time in the repeated hour equal to one in another zone.
    assert closes.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the second 02:30
    assert (closes.hour, closes.minute, closes.fold) == (2, 30, 1)
    assert hours(opens, closes) == 2.5
    assert is_open(schedule, datetime(2026, 10, 25, 1, 15, tzinfo=UTC))  # 02:15 the second time
    assert not is_open(schedule, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    [(opens, closes)] = day_of(every_day(time(2, 30), time(4)), AUTUMN)
    assert opens.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30
    assert hours(opens, closes) == 2.5


# --- next openings ------------------------------------------------------------------------------------


def test_next_opening_after_thursday_evening_is_next_tuesday():
    assert next_openings(TUE_TO_THU, after=berlin(2026, 1, 8, 18)) == [
        (berlin(2026, 1, 13, 10), berlin(2026, 1, 13, 17))
    ]


def test_next_opening_skips_a_holiday_tuesday():
    thursday_evening = berlin(2026, 1, 1, 18)  # the next Tuesday is 6 January
    bavaria = Schedule(weekly=TUE_TO_THU.weekly, federal_state="BY")
    berlin_state = Schedule(weekly=TUE_TO_THU.weekly, federal_state="BE")
    assert next_openings(bavaria, after=thursday_evening)[0][0] == berlin(2026, 1, 7, 10)
    assert next_openings(berlin_state, after=thursday_evening)[0][0] == berlin(2026, 1, 6, 10)


def test_next_openings_count_running_interval_and_empty_schedule():
    running = next_openings(TUE_TO_THU, after=berlin(2026, 1, 13, 12), count=3)
    assert [s for s, _ in running] == [
        berlin(2026, 1, 13, 10),
        berlin(2026, 1, 14, 10),
        berlin(2026, 1, 15, 10),
    ]
    at_close = next_openings(TUE_TO_THU, after=berlin(2026, 1, 13, 17))
    assert at_close[0][0] == berlin(2026, 1, 14, 10)
    assert next_openings(working_days(), after=berlin(2026, 1, 14, 12))[0] == (
        berlin(2026, 1, 12),
        berlin(2026, 1, 17),
    )
    assert next_openings(Schedule(), after=berlin(2026, 1, 13, 12), horizon_days=30) == []


# --- free slots -------------------------------------------------------------------------------------


def slot_starts(**kwargs) -> list[tuple[int, int]]:
    defaults = {"start": berlin(2026, 2, 10), "end": berlin(2026, 2, 11), "now": LONG_AGO}
    return [(slot.start.hour, slot.start.minute) for slot in free_slots(MORNING, **(defaults | kwargs))]


def test_slots_follow_length_and_step_and_never_cross_the_interval_end():
    assert slot_starts(length=MINUTES_30) == [(10, 0), (10, 30), (11, 0), (11, 30)]
    assert slot_starts(length=MINUTES_30, step=timedelta(minutes=45)) == [(10, 0), (10, 45), (11, 30)]
    assert slot_starts(length=timedelta(minutes=50)) == [(10, 0), (10, 50)]
    split = free_slots(
        MONDAY_SPLIT,
        start=berlin(2026, 1, 12),
        end=berlin(2026, 1, 13),
        length=90 * MINUTE,
        now=LONG_AGO,
    )
    assert [(s.start.hour, s.start.minute, s.end.hour, s.end.minute) for s in split] == [
        (9, 0, 10, 30),
        (10, 30, 12, 0),
        (13, 0, 14, 30),
        (14, 30, 16, 0),
    ]


def test_buffer_widens_the_step_and_blocks_neighbours():
    assert slot_starts(length=MINUTES_30, buffer=timedelta(minutes=15)) == [(10, 0), (10, 45), (11, 30)]
    booking = (berlin(2026, 2, 10, 11), berlin(2026, 2, 10, 11, 20))
    assert (11, 30) in slot_starts(length=MINUTES_30, bookings=[booking])
    # The booking ends 10 minutes before 11:30, inside the 15-minute buffer.
    assert (11, 30) not in slot_starts(
        length=MINUTES_30, step=MINUTES_30, buffer=timedelta(minutes=15), bookings=[booking]
    )
    ends_at_buffer = (berlin(2026, 2, 10, 11), berlin(2026, 2, 10, 11, 15))
    assert (11, 30) in slot_starts(
        length=MINUTES_30, step=MINUTES_30, buffer=timedelta(minutes=15), bookings=[ends_at_buffer]
    )


def test_notice_hides_slots_starting_too_soon():
    now = berlin(2026, 2, 10, 9, 40)
    assert slot_starts(length=MINUTES_30, now=now) == [(10, 0), (10, 30), (11, 0), (11, 30)]
    assert slot_starts(length=MINUTES_30, now=now, notice=MINUTES_30) == [(10, 30), (11, 0), (11, 30)]
    assert slot_starts(length=MINUTES_30, now=berlin(2026, 2, 10, 10, 30), notice=MINUTES_30) == [
        (11, 0),
        (11, 30),
    ]


def test_capacity_counts_places_left():
    ten = (berlin(2026, 2, 10, 10), berlin(2026, 2, 10, 10, 30))
    window = {"start": berlin(2026, 2, 10), "end": berlin(2026, 2, 11), "now": LONG_AGO, "length": MINUTES_30}
    one = free_slots(MORNING, capacity=2, bookings=[ten], **window)
    assert (one[0].start, one[0].free, one[1].free) == (berlin(2026, 2, 10, 10), 1, 2)
    full = free_slots(MORNING, capacity=2, bookings=[ten, ten], **window)
    assert full[0].start == berlin(2026, 2, 10, 10, 30)
    assert free_slots(MORNING, bookings=[ten], **window)[0].start == berlin(2026, 2, 10, 10, 30)


def test_window_bounds_are_respected_and_the_grid_stays_anchored():
    assert slot_starts(length=MINUTES_30, end=berlin(2026, 2, 10, 11)) == [(10, 0), (10, 30)]
    assert slot_starts(length=MINUTES_30, start=berlin(2026, 2, 10, 10, 17)) == [(10, 30), (11, 0), (11, 30)]
    week = free_slots(MORNING, start=berlin(2026, 2, 9), end=berlin(2026, 2, 16), length=HOUR, now=LONG_AGO)
    assert len(week) == 14


def test_slots_on_dst_days_stay_on_the_clock_and_do_not_overlap():
    for day in (SPRING, AUTUMN):
        start = datetime.combine(day, MIDNIGHT, tzinfo=BERLIN)
        slots = free_slots(MORNING, start=start, end=start + timedelta(days=1), length=HOUR, now=LONG_AGO)
        assert [(s.start.hour, hours(s.start, s.end)) for s in slots] == [(10, 1), (11, 1)]
    night = every_day(time(1), time(4))
    start = datetime.combine(SPRING, MIDNIGHT, tzinfo=BERLIN)
    slots = free_slots(night, start=start, end=start + timedelta(days=1), length=MINUTES_30, now=LONG_AGO)
    assert [s.start.strftime("%H:%M") for s in slots] == ["01:00", "01:30", "03:00", "03:30"]
    assert all(a.end.timestamp() <= b.start.timestamp() for a, b in zip(slots, slots[1:], strict=False))


def test_slots_in_an_always_open_schedule_stay_on_the_wall_clock_grid():
    always = every_day(MIDNIGHT, MIDNIGHT)
    spring = datetime.combine(SPRING, MIDNIGHT, tzinfo=BERLIN)
    slots = free_slots(
        always, start=spring, end=spring + timedelta(hours=7), length=90 * MINUTE, now=LONG_AGO
    )
    # 01:30 + 90 minutes of real time is 04:00 summer time, so the 03:00 grid point is dropped.
    assert [s.start.strftime("%H:%M") for s in slots] == ["00:00", "01:30", "04:30"]
    autumn = datetime.combine(AUTUMN, MIDNIGHT, tzinfo=BERLIN)
    slots = free_slots(always, start=autumn, end=autumn + timedelta(days=1), length=HOUR, now=LONG_AGO)
    assert [s.start.hour for s in slots] == list(range(24))  # the repeated hour is offered once
    late_start = free_slots(
        always, start=berlin(2026, 2, 10, 10, 17), end=berlin(2026, 2, 10, 13), length=HOUR, now=LONG_AGO
    )
    assert [s.start.hour for s in late_start] == [11, 12]


# --- the 48-hour answer clock ---------------------------------------------------------------------

FORTY_EIGHT = timedelta(hours=48)


@pytest.mark.parametrize(
    ("state", "start", "deadline"),
    [
        (None, berlin(2026, 1, 13, 14), berlin(2026, 1, 15, 14)),  # Tue -> Thu
        (None, berlin(2026, 1, 16, 14), berlin(2026, 1, 20, 14)),  # Fri -> Tue, weekend skipped
        (None, berlin(2026, 4, 2, 14), berlin(2026, 4, 8, 14)),  # Good Friday and Easter Monday skipped
        ("BY", berlin(2026, 1, 5, 14), berlin(2026, 1, 8, 14)),  # Heilige Drei Könige skipped in Bavaria
        ("BE", berlin(2026, 1, 5, 14), berlin(2026, 1, 7, 14)),  # but not in Berlin
        (None, berlin(2026, 10, 23, 14), berlin(2026, 10, 27, 14)),  # over the October DST weekend
        (None, berlin(2026, 1, 17, 11), berlin(2026, 1, 21)),  # asked on Saturday: the clock starts Monday
    ],
)
def test_answer_clock_counts_working_time(state, start, deadline):
    assert add_open_time(working_days(state), start=start, duration=FORTY_EIGHT) == deadline


def test_open_time_is_real_elapsed_time_across_dst():
    always = every_day(MIDNIGHT, MIDNIGHT)
    day = timedelta(hours=24)
    assert add_open_time(always, start=berlin(2026, 10, 24, 14), duration=day) == berlin(2026, 10, 25, 13)
    assert add_open_time(always, start=berlin(2026, 3, 28, 14), duration=day) == berlin(2026, 3, 29, 15)


def test_answer_clock_edges():
    friday = berlin(2026, 1, 16)
    assert add_open_time(working_days(), start=friday, duration=timedelta(hours=24)) == berlin(2026, 1, 17)
    assert add_open_time(working_days(), start=berlin(2026, 1, 17, 12), duration=timedelta(0)) == berlin(
        2026, 1, 17, 12
    )
    with pytest.raises(ValueError):
        add_open_time(Schedule(), start=friday, duration=HOUR, horizon_days=30)
    with pytest.raises(ValueError):
        add_open_time(working_days(), start=friday, duration=-HOUR)


# --- properties -----------------------------------------------------------------------------------

SCHEDULES = st.sampled_from(
    [
        working_days("BY"),
        MONDAY_SPLIT,
        every_day(time(1), time(4), closed_periods=((berlin(2026, 3, 29, 3, 30), berlin(2026, 4, 2, 12)),)),
        Schedule(
            weekly=(
                WeeklyHours(2, time(2, 30), MIDNIGHT),
                WeeklyHours(3, MIDNIGHT, time(2, 15)),
                WeeklyHours(6, time(1), time(3)),
            ),
            closed_days=frozenset({date(2026, 10, 28)}),
            federal_state="SN",
        ),
    ]
)
# Hypothesis takes naive bounds and attaches the zone itself.
FIRST, LAST = datetime(2026, 1, 1), datetime(2027, 12, 1)  # noqa: DTZ001
INSTANTS = st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.just(UTC))
DURATIONS = st.integers(min_value=0, max_value=3 * 24 * 3600).map(lambda s: timedelta(seconds=s))
PROPERTY = settings(max_examples=50, deadline=None)


@PROPERTY
@given(schedule=SCHEDULES, start=INSTANTS, duration=DURATIONS)
def test_add_open_time_spends_exactly_the_open_time(schedule, start, duration):
    done = add_open_time(schedule, start=start, duration=duration)
    assert done.tzinfo is BERLIN
    assert done - start >= duration  # different tzinfos: real elapsed time
    spent = open_intervals(schedule, start=start, end=done)
    assert sum((e.astimezone(UTC) - s.astimezone(UTC) for s, e in spent), timedelta(0)) == duration


@PROPERTY
@given(
    schedule=SCHEDULES, start=INSTANTS, days=st.integers(1, 10), length=st.sampled_from([20, 30, 45, 60, 90])
)
def test_every_slot_lies_inside_one_open_interval_and_the_window(schedule, start, days, length):
    end = start + timedelta(days=days)
    intervals = [(s.timestamp(), e.timestamp()) for s, e in open_intervals(schedule, start=start, end=end)]
    for slot in free_slots(schedule, start=start, end=end, length=timedelta(minutes=length), now=LONG_AGO):
        a, b = slot.start.timestamp(), slot.end.timestamp()
        assert start.timestamp() <= a < b <= end.timestamp()
        assert b - a == length * 60
        assert any(s <= a and b <= e for s, e in intervals)


@PROPERTY
@given(schedule=SCHEDULES, at=INSTANTS)
def test_is_open_agrees_with_open_intervals(schedule, at):
    around = open_intervals(schedule, start=at - timedelta(days=2), end=at + timedelta(days=2))
    assert is_open(schedule, at) == any(s <= at < e for s, e in around)
    assert all(a[1] < b[0] for a, b in zip(around, around[1:], strict=False))  # merged and sorted


# --- viewer time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (berlin(2026, 1, 13, 10), "Asia/Almaty", "2026-01-13T14:00:00+05:00"),
        (berlin(2026, 1, 13, 10), "Africa/Casablanca", "2026-01-13T10:00:00+01:00"),
        (berlin(2026, 3, 3, 10), "Africa/Casablanca", "2026-03-03T09:00:00+00:00"),  # Ramadan: UTC+0
        (berlin(2026, 1, 13, 10), "America/New_York", "2026-01-13T04:00:00-05:00"),
        (
            berlin(2026, 3, 17, 10),
            "America/New_York",
            "2026-03-17T05:00:00-04:00",
        ),  # US summer time, EU not yet
        (berlin(2026, 7, 14, 10), "America/Sao_Paulo", "2026-07-14T05:00:00-03:00"),
    ],
)
def test_in_zone_shows_the_viewers_clock(moment, zone, expected):
    assert in_zone(moment, zone).isoformat() == expected


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "Europe"])
def test_in_zone_refuses_unknown_zones(zone):
    with pytest.raises(ValueError):
        in_zone(berlin(2026, 1, 13, 10), zone)
