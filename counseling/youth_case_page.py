"""What the young person's own case page reads besides the conversation (issue 19: every youth page at
least half as fast as a bare view).

The page is signed in and per person, so none of it is kept for anyone else (only the blank parts of its
reply form are shared fragments: hub/fragments.py). It cost five bare views, mostly in building SQL: the
case came with five joined tables (the site alone ~40 columns) that the page never shows, and each fact
about the case was a query of its own. Here:
- the access check reads the case with only its chat joined (the page's chat button) and, in the same
  statement, the facts the page states about the case (the last event, for the deletion date; a video
  call offered; arrived in Germany; any callback request; the counselor away): CASE, whose SQL the ORM
  builds once per process and PostgreSQL prepares once per connection (hub/prepared.py). They were a
  statement of their own, a third of the page's queries;
- the conversation's attachments, the callback requests and the absence notice are read (by their
  owners) only when there are any. Whether there are attachments is read with the messages, so that
  "no attachments" holds for every message shown (a message and its attachments are stored together);
- the messages are read as rows of the columns the page shows, not as model instances with their
  authors (that cost ~20 µs a message, a third of the page's cost per message), and every body is
  opened with the case's one cipher (hub/sealed.py). A message with attachments comes with them, as
  instances: the voice player reads its message.
"""

import html
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from counseling import selectors, services
from counseling.models import (
    Attachment,
    CallbackRequest,
    Case,
    CaseEvent,
    CounselorProfile,
    Message,
    MessageStatus,
)
from hub.bidi import isolated
from hub.dates import when_formatter
from hub.models import User
from hub.prepared import PreparedRead


def _case_with_facts(public_id: uuid.UUID):
    """The access check's read of the case (counseling/access.py) for this page: the case with its chat
    (the page's chat button) and, in the same statement, the facts the page states about it, as
    attributes of the case."""
    events = CaseEvent.objects.filter(case=OuterRef("pk"))
    away = CounselorProfile.objects.filter(user=OuterRef("counselor"), is_absent=True)
    return (
        Case.objects.select_related("chat")
        .filter(public_id=public_id)
        .annotate(
            last_event_at=Subquery(events.order_by("-created_at").values("created_at")[:1]),
            video_offered=Exists(events.filter(kind=CaseEvent.Kind.VIDEO)),
            arrived=Exists(events.filter(kind=CaseEvent.Kind.ARRIVED)),
            has_callbacks=Exists(CallbackRequest.objects.filter(case=OuterRef("pk"))),
            # selectors.counselor_absence's first condition; it decides the rest when this holds.
            counselor_away=Exists(away),
        )
        .order_by()[:1]
    )


CASE = PreparedRead(Case, _case_with_facts, public_id=uuid.UUID)


def _messages(case_id: int):
    """The published messages (selectors.published_messages: never a draft or a returned reply), with
    what the page shows of each and of its author; and on every row whether any of them has attachments
    (the same for every row: PostgreSQL answers it once), read with them so that "none" holds for every
    message shown (a message and its attachments are stored together)."""
    return selectors.published_messages(case_id).values(
        "id",
        "author_id",
        "from_staff",
        "body_sealed",
        "created_at",
        author_display_name=F("author__display_name"),
        author_username=F("author__username"),
        case_has_attachments=Exists(
            Attachment.objects.filter(message__case_id=case_id, message__status=MessageStatus.PUBLISHED)
        ),
    )


MESSAGES = PreparedRead(Message, _messages, case_id=int)


def _attachments(case: Case) -> dict[int, list[Attachment]]:
    """The published messages' attachments by message, each with its message and author (what the voice
    player shows) and without its content."""
    shown = (
        Attachment.objects.select_related("message__author")
        .defer("data_sealed")
        .filter(message__case_id=case.pk, message__status=MessageStatus.PUBLISHED)
    )
    by_message: dict[int, list[Attachment]] = {}
    for attachment in shown:
        attachment.message.case = case  # one unwrapped key for the whole thread
        by_message.setdefault(attachment.message_id, []).append(attachment)
    return by_message


class Line(TypedDict):
    """A message as the young person's page shows it. Its display values are computed here, once, rather
    than by a dozen template lookups, filters and tags per message: in the template they cost about three
    times the formatting itself, and the page's cost grew with the conversation (20 messages: 2 ms).

    A dict, not an object: the template's `item.side` tries a key first and an attribute only after that
    lookup failed, and the failures cost a sixth of the thread's rendering (8 lookups per message). Every
    value is HTML already (escaped here where it could hold a special character), so the template writes
    it as it is: escaping each through Django's wrappers cost more than the rest of writing it."""

    pk: SafeString  # as text: an id is no number to localize, as the template would a number
    side: SafeString  # the item's class: from-staff | from-me
    who: SafeString  # the counselor's name, isolated in right-to-left text; or "You"
    iso: SafeString  # <time datetime>
    when: SafeString  # the one date formatter's "datetime" (hub/dates.py)
    body: SafeString  # escaped, line breaks as <br>
    attachments: tuple  # (attachment, name), as ThreadItem's: counseling/includes/attachments.html


@dataclass(frozen=True)
class CasePage:
    lines: list[Line]  # the published conversation, oldest first
    last_event_at: datetime | None  # the deletion date counts from it
    video_offered: bool  # the "join the video call" button
    arrived: bool  # "I have arrived in Germany" (counseling/arrival.py)
    callbacks: list
    absence: CounselorProfile | None  # the away notice (counseling/absence.py)


def case_page_read(case: Case) -> CasePage:
    """For a case read by CASE: one query, and one more for each of attachments, callback requests and
    an absence notice when the case has any."""
    messages = MESSAGES.rows(case_id=case.pk)
    attached = bool(messages) and messages[0]["case_has_attachments"]
    return CasePage(
        lines=lines(case, messages, _attachments(case) if attached else {}),
        last_event_at=case.last_event_at,
        video_offered=case.video_offered,
        arrived=case.arrived,
        callbacks=list(case.callbacks.all()) if case.has_callbacks else [],
        absence=selectors.counselor_absence(case) if case.counselor_away else None,
    )


def lines(case: Case, messages: list[dict], attachments: dict[int, list[Attachment]]) -> list[Line]:
    """The page's lines from MESSAGES rows and their attachments by message id."""
    result = []
    # What is the same for every line is looked up once: the time zone, the date form, "You", and each
    # counselor's name, isolated.
    zone, when, you = timezone.get_current_timezone(), when_formatter("datetime"), _html(gettext("You"))
    names: dict[int | None, SafeString] = {}
    for message in messages:
        at = message["created_at"].astimezone(zone)  # the local time, as the template's dates show it
        if message["from_staff"]:
            author_id = message["author_id"]
            who = names.get(author_id)
            if who is None:
                who = names[author_id] = isolated(_author_name(message) or gettext("Your counselor"))
        else:
            who = you
        result.append(
            Line(
                pk=SafeString(message["id"]),  # digits
                side=_FROM_STAFF if message["from_staff"] else _FROM_ME,
                who=who,
                iso=SafeString(at.isoformat()),  # what the date filter's "c" gives: digits and -:+.T
                when=_html(when(at)),  # the one date formatter's "datetime" (hub/dates.py)
                body=body_html(services.message_text(case, message["body_sealed"])),
                attachments=tuple(
                    (attachment, services.attachment_name(attachment))
                    for attachment in attachments.get(message["id"], ())
                ),
            )
        )
    return result


_FROM_STAFF, _FROM_ME = SafeString("from-staff"), SafeString("from-me")


def _html(text: str) -> SafeString:
    return SafeString(html.escape(text))  # what the template's escaping gives, without its wrappers


def body_html(text: str) -> SafeString:
    """What the `linebreaksbr` filter makes of a message's text (escaped, each line break a <br>), without
    the filter's wrappers for lazy and safe values, which a decrypted text never is: they took more than
    twice as long as the work itself, on every message."""
    return SafeString(html.escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>"))


def _author_name(message: dict) -> str:
    if message["author_id"] is None:  # the account is gone
        return ""
    # The one rule for a person's shown name (hub.models.User.get_full_name), from the row's columns.
    author = User(display_name=message["author_display_name"], username=message["author_username"])
    return author.get_full_name()
