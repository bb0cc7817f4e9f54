"""What the young person's own case page reads and writes (issue 19: every youth page at least half as
fast as a bare view).

The page is signed in and per person, so none of it is kept for anyone else (only the blank parts of its
reply form are shared fragments: hub/fragments.py). It cost five bare views, mostly in building SQL: the
case came with five joined tables (the site alone ~40 columns) that the page never shows, and each fact
about the case was a query of its own. Here:
- the access check reads the case with only its chat joined (the page's chat button) and, in the same
  statement, the facts the page states about the case (the last event, for the deletion date; a video
  call offered; arrived in Germany; any callback request; the counselor away) and the published
  conversation: CASE, whose SQL the ORM builds once per process and PostgreSQL prepares once per
  connection (hub/prepared.py). The facts were a statement of their own, a third of the page's queries,
  and the conversation another: under load, this read and the fragment versions' (now kept per process:
  hub/fragments.py) cost the page an eighth of its throughput (0.50 -> 0.57 of a bare view without
  them). A denied person gets the same 404, and what was read with the case is dropped with it unopened;
- the conversation's attachments, the callback requests and the absence notice are read (by their
  owners) only when there are any. Whether there are attachments is read in the same statement as the
  messages, so that "no attachments" holds for every message shown (a message and its attachments are
  stored together);
- the messages are read as rows of the columns the page shows, not as model instances with their
  authors (that cost ~20 µs a message, a third of the page's cost per message), every body is opened
  with the case's one cipher (hub/sealed.py), and each line is written here (conversation_html), not by
  a template loop. A message with attachments comes with them, as instances: the voice player reads its
  message.
"""

import html
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Aggregate, Exists, Func, JSONField, OuterRef, Subquery, TextField
from django.db.models.functions import JSONArray
from django.template.loader import render_to_string
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
    MessageStatus,
)
from hub.bidi import isolated
from hub.dates import when_formatter
from hub.models import User
from hub.prepared import PreparedRead
from hub.templatetags.content_lang import content_lang


def _case_with_facts(public_id: uuid.UUID):
    """The access check's read of the case (counseling/access.py) for this page: the case with its chat
    (the page's chat button) and, in the same statement, the facts the page states about it and its
    published conversation, as attributes of the case."""
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
            conversation=Subquery(_conversation_rows()),
            # In the same snapshot as the conversation: "no attachments" holds for every message shown.
            has_attachments=Exists(
                Attachment.objects.filter(
                    message__case=OuterRef("pk"), message__status=MessageStatus.PUBLISHED
                )
            ),
        )
        .order_by()[:1]
    )


class _Hex(Func):
    """Bytes as hexadecimal text, alike on PostgreSQL and SQLite (JSON holds no bytes)."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="ENCODE(%(expressions)s, 'hex')", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="HEX", **extra_context)


class _JSONRows(Aggregate):
    """The group's values as one JSON array (SQLite: JSON_GROUP_ARRAY), in no particular order."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


# A conversation row's columns, in the order the statement writes them.
_ID, _AUTHOR, _FROM_STAFF, _BODY, _AT, _DISPLAY_NAME, _USERNAME = range(7)


def _conversation_rows():
    """The case's published messages (selectors.published_messages: never a draft or a returned reply) as
    one JSON array of rows: what the page shows of each message and its author. In the case's own
    statement rather than a second read: a round trip cost the page more than the JSON (issue 19)."""
    return (
        selectors.published_messages(OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(
            rows=_JSONRows(
                JSONArray(
                    "id",
                    "author_id",
                    "from_staff",
                    _Hex("body_sealed"),
                    "created_at",
                    "author__display_name",
                    "author__username",
                )
            )
        )
        .values("rows")
    )


CASE = PreparedRead(Case, _case_with_facts, public_id=uuid.UUID)


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


@dataclass(frozen=True)
class CasePage:
    conversation: SafeString  # the published conversation's lines, oldest first: conversation_html()
    last_event_at: datetime | None  # the deletion date counts from it
    video_offered: bool  # the "join the video call" button
    arrived: bool  # "I have arrived in Germany" (counseling/arrival.py)
    callbacks: list
    absence: CounselorProfile | None  # the away notice (counseling/absence.py)


def case_page_read(case: Case, reader) -> CasePage:
    """For a case read by CASE (with its conversation): no query, and one for each of attachments,
    callback requests and an absence notice when the case has any. `reader`: the young person."""
    rows = [_Row(row) for row in case.conversation or ()]
    rows.sort(key=lambda row: (row.at, row.id))  # the messages' own order: oldest first
    attachments = _attachments(case) if case.has_attachments else {}
    return CasePage(
        conversation=conversation_html(case, rows, attachments, reader),
        last_event_at=case.last_event_at,
        video_offered=case.video_offered,
        arrived=case.arrived,
        callbacks=list(case.callbacks.all()) if case.has_callbacks else [],
        absence=selectors.counselor_absence(case) if case.counselor_away else None,
    )


class _Row:
    """A message as _conversation_rows writes it: JSON of its columns, bytes in hex, times as text."""

    __slots__ = ("id", "author_id", "from_staff", "body_sealed", "at", "display_name", "username")

    def __init__(self, row: list):
        self.id, self.author_id, self.from_staff = row[_ID], row[_AUTHOR], bool(row[_FROM_STAFF])
        self.body_sealed = bytes.fromhex(row[_BODY])
        at = datetime.fromisoformat(row[_AT])
        self.at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite stores UTC, naive
        self.display_name, self.username = row[_DISPLAY_NAME], row[_USERNAME]


# A line of the conversation. Written here rather than by a template loop: the loop's lookups, tags and
# escaping wrappers cost more than the values themselves, on every message (issue 19). Every value put
# in is HTML already (escaped here, or the attachments' own template); the words around them are none.
_LINE = (
    '\n  <li class="message {side}" data-message="{id}"{latest}>\n'
    '    <p class="meta"><strong>{who}</strong>\n'
    '      · <time datetime="{iso}">{when}</time></p>\n'
    '    <div class="body"{lang}>{body}</div>\n'
    "    {attachments}\n"
    "  </li>\n"
)


def conversation_html(
    case: Case, rows: list[_Row], attachments: dict[int, list[Attachment]], reader
) -> SafeString:
    """The conversation's lines (the page's `<ol class="thread">` holds them): each side, name, time and
    body; the newest marked as the page's #latest; a message's attachments as the staff page shows them
    (counseling/includes/attachments.html)."""
    # What is the same for every line is looked up once: the time zone, the date form, "You", each
    # counselor's name, isolated, and the bodies' language attribute (the case's).
    zone, when, you = timezone.get_current_timezone(), when_formatter("datetime"), _html(gettext("You"))
    lang = content_lang(case.language)
    names: dict[int | None, str] = {}
    parts = []
    for number, row in enumerate(rows, start=1):
        at = row.at.astimezone(zone)  # the local time, as every date of the page shows it
        if row.from_staff:
            who = names.get(row.author_id)
            if who is None:
                who = names[row.author_id] = isolated(_author_name(row) or gettext("Your counselor"))
        else:
            who = you
        shown = attachments.get(row.id)
        parts.append(
            _LINE.format(
                side="from-staff" if row.from_staff else "from-me",
                id=row.id,  # digits
                latest=' id="latest"' if number == len(rows) else "",
                who=who,
                # hub.dates.iso's form; `at` is local already, which iso() would check and convert again.
                iso=at.isoformat(),
                when=_html(when(at)),  # the one date formatter's "datetime" (hub/dates.py)
                lang=lang,
                body=body_html(services.message_text(case, row.body_sealed)),
                attachments=_attachments_html(shown, reader) if shown else "",
            )
        )
    return SafeString("".join(parts))


def _attachments_html(shown: list[Attachment], reader) -> str:
    item = {"attachments": [(attachment, services.attachment_name(attachment)) for attachment in shown]}
    return render_to_string("counseling/includes/attachments.html", {"item": item, "user": reader})


def _html(text: str) -> SafeString:
    return SafeString(html.escape(text))  # what the template's escaping gives, without its wrappers


def body_html(text: str) -> SafeString:
    """What the `linebreaksbr` filter makes of a message's text (escaped, each line break a <br>), without
    the filter's wrappers for lazy and safe values, which a decrypted text never is: they took more than
    twice as long as the work itself, on every message."""
    return SafeString(html.escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>"))


def _author_name(row: _Row) -> str:
    if row.author_id is None:  # the account is gone
        return ""
    # The one rule for a person's shown name (hub.models.User.get_full_name), from the row's columns.
    return User(display_name=row.display_name, username=row.username).get_full_name()
