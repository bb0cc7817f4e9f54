"""The callback service: a young person leaves a number and two or three preferred times; a counselor
takes the request, calls, and records the outcome. The number lives only as long as it is needed.

Callback hours are the service's national rhythm (Monday–Thursday afternoons, when school is out),
minus nationwide public holidays, through the availability engine.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from counseling import sealing, stats
from counseling.models import (
    CallbackOutcome,
    CallbackRequest,
    CallbackStatus,
    Case,
    CaseEvent,
    InternalNote,
)
from hub import availability
from hub.statistics import Channel, StatKind

SLOT_LENGTH = timedelta(minutes=30)
NOTICE = timedelta(hours=2)
WINDOW = timedelta(days=7)
KEEP_NUMBER_AFTER_LAST_SLOT = timedelta(days=7)
CALLBACK_HOURS = availability.Schedule(
    weekly=tuple(availability.WeeklyHours(day, time(14), time(18)) for day in range(4))
)


class CallbackTaken(Exception):
    """Another counselor took the request first."""


def callback_slots(*, now: datetime) -> list[availability.Slot]:
    return availability.free_slots(
        CALLBACK_HOURS, start=now, end=now + WINDOW, length=SLOT_LENGTH, now=now, notice=NOTICE
    )


@transaction.atomic
def callback_request(
    *, youth, phone_e164: str, language: str, topic: str, slots: list[datetime]
) -> CallbackRequest:
    case = Case.objects.create(
        youth=youth,
        topic=topic,
        language=language,
        wrapped_key=sealing.new_wrapped_key(),
        last_message_at=timezone.now(),
    )
    ordered = sorted(slots)
    stats.case_opened(case, channel=Channel.CALLBACK)
    return CallbackRequest.objects.create(
        case=case,
        phone_sealed=sealing.seal(case, phone_e164, purpose="phone"),
        slots=[slot.isoformat() for slot in ordered],
        last_slot_ends_at=ordered[-1] + SLOT_LENGTH,
    )


def callback_number(callback: CallbackRequest) -> str:
    if not callback.phone_sealed:
        return ""
    return sealing.unseal(callback.case, callback.phone_sealed, purpose="phone")


@transaction.atomic
def callback_take(*, callback: CallbackRequest, counselor) -> CallbackRequest:
    locked = CallbackRequest.objects.select_for_update().select_related("case").get(pk=callback.pk)
    if locked.status != CallbackStatus.OPEN:
        raise CallbackTaken
    locked.status, locked.taken_by = CallbackStatus.TAKEN, counselor
    locked.save(update_fields=["status", "taken_by"])
    case = locked.case
    case.counselor = counselor
    case.save(update_fields=["counselor"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.TAKEN, actor=counselor, counselor=counselor)
    return locked


@transaction.atomic
def callback_record(*, callback: CallbackRequest, counselor, outcome: str, note: str = "") -> CallbackRequest:
    """A short note goes into the case (sealed); reached or given up ends the request and the number."""
    callback.attempts += 1
    callback.outcome = outcome
    fields = ["attempts", "outcome"]
    if outcome != CallbackOutcome.NOT_REACHED:
        callback.status, callback.done_at = CallbackStatus.DONE, timezone.now()
        fields += ["status", "done_at"]
    callback.save(update_fields=fields)
    label = CallbackOutcome(outcome).label
    text = f"{label}: {note}" if note else str(label)
    InternalNote.objects.create(
        case=callback.case, author=counselor, body_sealed=sealing.seal(callback.case, text, purpose="note")
    )
    if callback.status == CallbackStatus.DONE:
        _forget_number(callback)
        if outcome == CallbackOutcome.REACHED:
            stats.case_stat(StatKind.CALLBACK, callback.case, channel=Channel.CALLBACK)
    return callback


def _forget_number(callback: CallbackRequest) -> None:
    CallbackRequest.objects.filter(pk=callback.pk).update(phone_sealed=b"", number_deleted_at=timezone.now())
    callback.phone_sealed = b""


def purge_callback_numbers(*, now: datetime) -> int:
    """Numbers of requests whose last preferred time ended more than 7 days ago (the retention policy;
    done ones went at once), through the one retention mechanism."""
    from counseling.retention import CALLBACK_NUMBERS
    from hub.retention import purge_batches

    return purge_batches(CALLBACK_NUMBERS, now=now)
