"""Topic chat rounds: a counselor schedules a moderated group chat on a topic, in a language, within the
chat hours; young people join by link or QR code under a name for the round; the moderator opens and
closes the room and may remove a participant for the rest of the round.

Lines use the same delivery rules as the 1:1 chat (counseling/chat.py): numbered under a lock on the
round, stored once per client id, broadcast after commit, fetched again after any gap. Closing the round
destroys its key and its lines unless the retention policy keeps transcripts.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from counseling import access, chat, sealing
from counseling.chat import ChatRefused
from counseling.models import ChatRound, RoundMessage, RoundParticipant, RoundStatus
from hub import availability
from hub.services import group_send_after_commit


def round_group(round_id: int) -> str:
    return f"round.{round_id}"


def round_join_path(chat_round: ChatRound) -> str:
    """The join link's path in the round's language (/ar/rounds/… for an Arabic round), whatever language
    the moderator's own pages are in: the young people it is handed to speak the round's language."""
    language = chat_round.language if chat_round.language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        return reverse("counseling:round", args=[chat_round.public_id])


def within_chat_hours(starts_at: datetime, ends_at: datetime) -> bool:
    intervals = availability.open_intervals(chat.CHAT_HOURS, start=starts_at, end=ends_at)
    return any(start <= starts_at and end >= ends_at for start, end in intervals)


def round_schedule(*, moderator, title: str, topic: str, language: str, starts_at, ends_at) -> ChatRound:
    return ChatRound.objects.create(
        moderator=moderator,
        title=title,
        topic=topic,
        language=language,
        starts_at=starts_at,
        ends_at=ends_at,
        wrapped_key=sealing.new_wrapped_key(),
    )


def rounds_upcoming(*, now: datetime):
    return ChatRound.objects.exclude(status=RoundStatus.CLOSED).filter(ends_at__gt=now).order_by("starts_at")


def round_join(*, chat_round: ChatRound, user, pseudonym: str) -> RoundParticipant:
    if chat_round.status == RoundStatus.CLOSED:
        raise ChatRefused("closed")
    participant, _created = RoundParticipant.objects.get_or_create(
        round=chat_round, user=user, defaults={"pseudonym": pseudonym}
    )
    if participant.removed_at is not None:
        raise ChatRefused("removed")
    return participant


@transaction.atomic
def round_open(*, chat_round: ChatRound) -> ChatRound:
    locked = ChatRound.objects.select_for_update().get(pk=chat_round.pk)
    if locked.status == RoundStatus.SCHEDULED:
        locked.status, locked.opened_at = RoundStatus.OPEN, timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        _broadcast(locked, {"type": "opened"})
    return locked


@transaction.atomic
def round_close(*, chat_round: ChatRound) -> ChatRound:
    locked = ChatRound.objects.select_for_update().get(pk=chat_round.pk)
    if locked.status == RoundStatus.CLOSED:
        return locked
    locked.status, locked.closed_at = RoundStatus.CLOSED, timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    if not settings.CHAT_ROUND_KEEP_TRANSCRIPT:
        locked.wrapped_key = b""  # crypto-shredding first, then the rows
        locked.save(update_fields=["wrapped_key"])
        locked.messages.all().delete()
    _broadcast(locked, {"type": "closed"})
    return locked


def close_overdue_rounds(*, now: datetime) -> int:
    overdue = ChatRound.objects.exclude(status=RoundStatus.CLOSED).filter(ends_at__lte=now)
    closed = 0
    for chat_round in overdue:
        round_close(chat_round=chat_round)
        closed += 1
    return closed


def round_remove(*, chat_round: ChatRound, participant: RoundParticipant) -> None:
    """Out for the rest of this round: the socket is closed and joining again is refused."""
    RoundParticipant.objects.filter(pk=participant.pk, removed_at__isnull=True).update(
        removed_at=timezone.now()
    )
    _broadcast(chat_round, {"type": "removed", "user_id": participant.user_id}, internal=True)


@transaction.atomic
def round_post(
    *, chat_round: ChatRound, author, body: str, client_id: uuid.UUID
) -> tuple[RoundMessage, bool]:
    locked = ChatRound.objects.select_for_update().get(pk=chat_round.pk)
    existing = RoundMessage.objects.filter(round=locked, client_id=client_id).first()
    if existing is not None:
        return existing, False
    if locked.status != RoundStatus.OPEN or not access.may_take_part(author, locked):
        raise ChatRefused("not open")
    body = body.strip()
    if not body or len(body) > settings.CHAT_MESSAGE_MAX_CHARS:
        raise ChatRefused("length")
    is_moderator = author.pk == locked.moderator_id
    participant = None if is_moderator else access.round_participant(locked, author)
    locked.last_seq += 1
    locked.save(update_fields=["last_seq"])
    try:
        with transaction.atomic():
            message = RoundMessage.objects.create(
                round=locked,
                seq=locked.last_seq,
                author=author,
                pseudonym=author.get_short_name() if is_moderator else participant.pseudonym,
                from_moderator=is_moderator,
                body_sealed=sealing.seal(locked, body, purpose="round"),
                client_id=client_id,
            )
    except IntegrityError as exc:
        raise ChatRefused("client id") from exc
    _broadcast(locked, line_event(message, locked, body=body))
    return message, True


def line_event(message: RoundMessage, chat_round: ChatRound, *, body: str | None = None) -> dict:
    return {
        "type": "line",
        "author_id": message.author_id,  # the consumer turns this into "mine" for each reader and drops it
        "seq": message.seq,
        "client_id": str(message.client_id),
        "from_staff": message.from_moderator,
        "author": message.pseudonym,
        "body": body
        if body is not None
        else sealing.unseal(chat_round, message.body_sealed, purpose="round"),
        "sent_at": message.created_at.isoformat(),
    }


def _body(chat_round: ChatRound, message: RoundMessage) -> str:
    return sealing.unseal(chat_round, message.body_sealed, purpose="round")


def lines_after(chat_round: ChatRound, after: int, *, limit: int = 500) -> list[dict]:
    messages = RoundMessage.objects.filter(round=chat_round, seq__gt=after).order_by("seq")[:limit]
    return [line_event(message, chat_round) for message in messages]


def _broadcast(chat_round: ChatRound, event: dict, *, internal: bool = False) -> None:
    message = {"type": "round.internal" if internal else "live.event", "event": event}
    group_send_after_commit(round_group(chat_round.pk), message)
