"""Counseling's part of "My data" (hub/data_export.py): the person's cases with every message they can
see in the portal, decrypted, their attachments as files, callback requests and chat-round names.

Internal notes and unpublished trainee drafts are the counselors' working material and are not shown to
the young person in the portal either; they are left out here too (and deleted with the account)."""

from django.utils.text import get_valid_filename

from counseling import selectors, services
from counseling.models import CallbackRequest, Case, Chat, RoundMessage, RoundParticipant
from hub.data_export import ExportSection


def export_section(user, add_file) -> ExportSection:
    from django.utils.translation import gettext as _

    items = []
    for case in Case.objects.filter(youth=user).select_related("site", "counselor").order_by("created_at"):
        items.append(_case(case, user, add_file))
    section = ExportSection("cases", _("Your questions and conversations"), items)
    rounds = RoundParticipant.objects.filter(user=user).select_related("round")
    section.items += [
        {"kind": "chat_round", "round": p.round.title, "your_name": p.pseudonym, "joined": p.joined_at}
        for p in rounds
    ]
    # What they wrote in topic chat rounds (kept until the round's transcript is purged): their own lines.
    lines = RoundMessage.objects.filter(author=user).select_related("round").order_by("round_id", "seq")
    section.items += [
        {
            "kind": "chat_round_line",
            "round": line.round.title,
            "your_name": line.pseudonym,
            "written_at": line.created_at,
            "text": _round_line_text(line),
        }
        for line in lines
    ]
    return section


def _round_line_text(line: RoundMessage) -> str:
    from counseling import sealing

    try:
        return sealing.unseal(line.round, line.body_sealed, purpose="round")
    except Exception:  # the round's key is already wiped: the line is unreadable for everyone
        return ""


def _case(case: Case, user, add_file) -> dict:
    messages = []
    for n, item in enumerate(selectors.thread_for_participant(case), start=1):
        message = item.message
        files = []
        for attachment, name in item.attachments:
            data = services.attachment_data(_full(attachment, message))
            files.append(add_file(f"{case.public_id.hex[:8]}/{n}-{get_valid_filename(name) or 'file'}", data))
        author = (
            "you"
            if message.author_id == user.pk
            else (message.author.get_full_name() if message.author else "")
        )
        messages.append({"at": item.at, "from": author, "text": item.body, "files": files})
    callbacks = [
        {"times": cb.slots, "status": cb.status, "outcome": cb.outcome, "number": _number(cb)}
        for cb in CallbackRequest.objects.filter(case=case)
    ]
    chat = Chat.objects.filter(case=case).first()
    return {
        "kind": "case",
        "number": str(case.public_id),
        "topic": case.get_topic_display(),
        "language": case.language,
        "status": case.get_status_display(),
        "site": str(case.site) if case.site else "",
        "counselor": case.counselor.get_full_name() if case.counselor else "",
        "opened": case.created_at,
        "messages": messages,
        "callbacks": callbacks,
        "chat": {"requested": chat.requested_at, "ended": chat.ended_at} if chat else None,
    }


def _full(attachment, message):
    """The thread loads attachments without their data; fetch it for this one file only."""
    full = type(attachment).objects.get(pk=attachment.pk)
    full.message = message
    return full


def _number(callback: CallbackRequest) -> str:
    from counseling.callbacks import callback_number

    return callback_number(callback)
