"""Voice messages in mail counseling and live chat.

A voice message is an attachment of an audio kind (counseling/uploads.py sniffs it from its first bytes),
so it is sealed, served, counted toward the daily attachment limit, exported and deleted with the case by
the paths every attachment takes. What is its own: the length the recorder measured, a counselor's written
summary for the record (sealed with the case key, staff only), and how a recording joins a live chat.

In a live chat the recording is posted over HTTP (counseling/voice_views.py), stored here as a chat line
numbered under the chat's lock like any other (counseling/chat.py) with the audio attached, and announced
after the commit on the case's group: the line carries a `voice` entry, so a reconnecting client gets it
again through the chat's own resume (`with_voice`).
"""

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling import access, sealing
from counseling.models import Attachment, Case, Chat, Message
from counseling.uploads import CleanFile
from hub.services import group_send_after_commit
from hub.sockets import case_group

MAX_SECONDS = 180
# The recorder stops itself at 3:00; a timer that fires a little late must not cost the message.
GRACE_MS = 3000
SUMMARY_MAX = 4000


def too_long(duration_ms: int | None) -> bool:
    return duration_ms is not None and duration_ms > MAX_SECONDS * 1000 + GRACE_MS


def length_text(duration_ms: int | None) -> str:
    """ "2:05": minutes and seconds, the same in every language the portal speaks."""
    if not duration_ms:
        return ""
    seconds = round(duration_ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def recorder_strings() -> dict:
    """What voice-recorder.js says, in the request's language."""
    return {
        "record": _("Record a voice message"),
        "again": _("Record again"),
        "stop": _("Stop recording"),
        "discard": _("Discard"),
        "send": _("Send voice message"),
        "preview": _("Listen to your recording before you send it"),
        # %s: the time left, like 2:41
        "left": _("Recording – %s left"),
        "one_minute": _("One minute left."),
        "ten_seconds": _("Ten seconds left."),
        "auto_stopped": _("The recording stopped after 3 minutes. Listen to it, then send or discard it."),
        # %s: the length, like 0:42
        "recorded": _("Recorded %s. Listen to it, then send or discard it."),
        "discarded": _("The recording was discarded."),
        "sending": _("Sending…"),
        "sent": _("Your voice message has been sent."),
        "failed": _("The voice message could not be sent. Please try again."),
        "unsupported": _(
            "This browser cannot record voice messages. You can choose an audio file instead, or write."
        ),
        "denied": _(
            "The microphone is blocked. Allow this page to use the microphone in your browser's settings, "
            "or write instead."
        ),
        "no_microphone": _("No microphone was found. Please connect one, or write instead."),
        # The labels of a voice message's player (as counseling/templatetags/voice_messages.py).
        "from": _("Voice message from %(name)s, %(when)s"),
        "mine": _("Your voice message, %(when)s"),
        "length": _("Length: %(length)s"),
    }


def voice_event(attachment: Attachment) -> dict:
    """The `voice` entry of a chat line: where to play it and how long it is."""
    return {
        "url": reverse("counseling:voice", args=[attachment.public_id]),
        "length": length_text(attachment.duration_ms),
    }


def with_voice(case: Case, lines: list[dict]) -> list[dict]:
    """Chat line events with the `voice` entry of the lines that are voice messages (one query)."""
    seqs = [line["seq"] for line in lines if not line["body"]]
    if not seqs:
        return lines
    voices = {
        attachment.message.chat_seq: attachment
        for attachment in Attachment.objects.filter(
            message__case=case, message__chat_seq__in=seqs, content_type__startswith="audio/"
        ).select_related("message")
    }
    for line in lines:
        if line["seq"] in voices:
            line["voice"] = voice_event(voices[line["seq"]])
    return lines


@transaction.atomic
def chat_voice_post(*, chat: Chat, author, clean: CleanFile, client_id: uuid.UUID) -> tuple[Message, bool]:
    """A voice line in a live chat (once per client id): numbered and refused exactly as a typed line is
    (counseling/chat.py `locked_for_line`), with the recording attached. Returns the message and whether
    it is new."""
    from counseling.chat import line_event, locked_for_line

    locked, existing = locked_for_line(chat.pk, author, client_id)
    if existing is not None:
        return existing, False
    case = locked.case
    locked.last_seq += 1
    locked.save(update_fields=["last_seq"])
    message = Message.objects.create(
        case=case,
        author=author,
        from_staff=author.pk == case.counselor_id,
        body_sealed=sealing.seal(case, "", purpose="message"),
        idempotency_key=client_id,
        chat_seq=locked.last_seq,
        published_at=timezone.now(),
    )
    attachment = Attachment.objects.create(
        message=message,
        uploaded_by=author,
        name_sealed=sealing.seal(case, clean.name, purpose="attachment-name"),
        content_type=clean.content_type,
        size=len(clean.data),
        data_sealed=sealing.seal(case, clean.data, purpose="attachment"),
        duration_ms=clean.duration_ms,
    )
    event = line_event(message, case, body="") | {"voice": voice_event(attachment)}
    group_send_after_commit(case_group(case.pk), {"type": "live.event", "event": event})
    return message, True


def voice_summary(attachment: Attachment) -> str:
    if not attachment.summary_sealed:
        return ""
    return sealing.unseal(attachment.message.case, attachment.summary_sealed, purpose="voice-summary")


def voice_summary_set(*, attachment: Attachment, author, text: str) -> Attachment:
    """The counselor's written summary for the record; an empty text removes it."""
    text = text.strip()
    case = attachment.message.case
    attachment.summary_sealed = sealing.seal(case, text, purpose="voice-summary") if text else b""
    attachment.summary_by = author if text else None
    attachment.summary_at = timezone.now() if text else None
    attachment.save(update_fields=["summary_sealed", "summary_by", "summary_at"])
    return attachment


def chat_voice_limit_applies(user, case: Case) -> bool:
    """The daily attachment limit is the young person's (and a partner's), as in the mail forms."""
    return access.is_participant(user, case)
