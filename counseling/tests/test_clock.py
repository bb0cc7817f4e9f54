"""The answer clock: 48 hours not counting weekends and the site's public holidays."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from counseling.clock import answer_clock

BERLIN = ZoneInfo("Europe/Berlin")


def at(day, hour=14):
    return datetime(2026, 11, day, hour, 0, tzinfo=BERLIN)


def test_tuesday_afternoon_is_due_thursday_afternoon():
    clock = answer_clock(at(17))
    assert (clock.remind_at, clock.escalate_at, clock.due_at) == (at(18), at(19, 6), at(19))


def test_friday_afternoon_is_due_tuesday_across_the_weekend():
    assert answer_clock(at(20)).due_at == at(24)


def test_a_public_holiday_in_the_sites_state_pauses_the_clock():
    # Buß- und Bettag (Wed 18 Nov 2026) is a holiday in Saxony only.
    assert answer_clock(at(17), federal_state="SN").due_at == at(20)
    assert answer_clock(at(17), federal_state="BE").due_at == at(19)


def test_a_weekend_enquiry_starts_counting_on_monday():
    assert answer_clock(datetime(2026, 11, 21, 22, 0, tzinfo=BERLIN)).due_at == datetime(
        2026, 11, 25, 0, 0, tzinfo=BERLIN
    )


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)))  # noqa: DTZ001 - naive bounds, zone added below
def test_the_reminder_comes_before_the_escalation_before_the_deadline(moment):
    clock = answer_clock(moment.replace(tzinfo=BERLIN))
    assert moment.replace(tzinfo=BERLIN) < clock.remind_at < clock.escalate_at < clock.due_at
