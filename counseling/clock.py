"""The answer clock: a young person's message is answered within 48 hours, not counting weekends and
public holidays (the availability engine's working days, in the federal state of the case's site).

We count whole working days rather than the online counseling hours (Mon–Thu, 9–17): 48 office hours
would be more than a week, which is not what "an answer within 48 hours" means to the person asking.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.availability import add_open_time, working_days

ANSWER_WITHIN = timedelta(hours=48)
REMIND_AFTER = timedelta(hours=24)
ESCALATE_AFTER = timedelta(hours=40)


@dataclass(frozen=True)
class AnswerClock:
    remind_at: datetime
    escalate_at: datetime
    due_at: datetime


def answer_clock(received_at: datetime, *, federal_state: str | None = None) -> AnswerClock:
    days = working_days(federal_state)
    return AnswerClock(
        remind_at=add_open_time(days, start=received_at, duration=REMIND_AFTER),
        escalate_at=add_open_time(days, start=received_at, duration=ESCALATE_AFTER),
        due_at=add_open_time(days, start=received_at, duration=ANSWER_WITHIN),
    )
