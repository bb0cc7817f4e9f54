"""The staff case page's conversation, one page at a time: the latest entries, and older ones a link away.

A case with a long history (a chat continued as a mail thread, years of messages) once cost seconds: every
message, note and event was read and every body unsealed to show the last ten. Here each of the three
tables gives at most `size` rows before a cursor (index on case and time), the merge keeps the latest
`size`, and only those are unsealed; one more query counts what lies further back. So a page costs the same
queries and the same decryption whatever the history.

The cursor names the oldest entry shown, as `<microseconds since the epoch>.<kind rank>.<pk>`: entries are
ordered by time, then messages before notes before events at the same instant, then by id, so paging
never skips or repeats an entry with the same timestamp as another. A cursor that does not parse shows the
latest page (it is only ever a link the page itself made).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from counseling import services
from counseling.models import Case, CaseEvent, InternalNote, Message
from counseling.selectors import ThreadItem, message_items, messages_with_attachments

RANKS = {"message": 0, "note": 1, "event": 2}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    at: datetime
    rank: int
    pk: int

    def __str__(self) -> str:
        micros = (self.at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.rank}.{self.pk}"


def cursor_parse(text: str | None) -> Cursor | None:
    try:
        micros, rank, pk = (int(part) for part in (text or "").split("."))
        at = EPOCH + timedelta(microseconds=micros)
    except (ValueError, OverflowError):
        return None
    return Cursor(at, rank, pk) if rank in RANKS.values() and pk > 0 else None


@dataclass
class TimelinePage:
    items: list[ThreadItem] = field(default_factory=list)  # oldest first, as the page shows them
    earlier_count: int = 0  # everything before the entries shown
    next_count: int = 0  # what the "show earlier" link shows: a page of them
    earlier: str = ""  # the cursor of the link to the entries before these ("" when there are none)
    is_latest: bool = True


def _before(cursor: Cursor | None, rank: int) -> Q:
    """Entries of the table with this kind rank that come before the cursor in the timeline's order."""
    if cursor is None:
        return Q()
    before = Q(created_at__lt=cursor.at)
    if rank < cursor.rank:
        return before | Q(created_at=cursor.at)
    if rank == cursor.rank:
        return before | Q(created_at=cursor.at, pk__lt=cursor.pk)
    return before


def _key(item: ThreadItem) -> tuple:
    return (item.at, RANKS[item.kind], item.pk)


def timeline_page(case: Case, *, before: str | None = None, size: int = 10) -> TimelinePage:
    """Messages (with pending and returned ones), internal notes and events: the `size` entries before the
    cursor (the latest ones without), oldest first, with how many lie further back."""
    cursor = cursor_parse(before)
    newest_first = ("-created_at", "-pk")
    messages = messages_with_attachments(case).filter(_before(cursor, 0)).order_by(*newest_first)[:size]
    notes = case.notes.select_related("author").filter(_before(cursor, 1)).order_by(*newest_first)[:size]
    events = (
        case.events.select_related("actor", "counselor", "site")
        .filter(_before(cursor, 2))
        .order_by(*newest_first)[:size]
    )
    candidates = [
        *(ThreadItem(kind="message", at=m.created_at, pk=m.pk, message=m) for m in messages),
        *(ThreadItem(kind="note", at=n.created_at, pk=n.pk, note=n) for n in notes),
        *(ThreadItem(kind="event", at=e.created_at, pk=e.pk, event=e) for e in events),
    ]
    items = sorted(candidates, key=_key)[-size:]
    _unseal(case, items)
    page = TimelinePage(items=items, is_latest=cursor is None)
    if items:
        oldest = items[0]
        page.earlier = str(Cursor(oldest.at, RANKS[oldest.kind], oldest.pk))
        page.earlier_count = _count_before(case, cursor_parse(page.earlier))
    page.next_count = min(page.earlier_count, size)
    if not page.earlier_count:
        page.earlier = ""
    return page


def _unseal(case: Case, items: list[ThreadItem]) -> None:
    """Only the entries shown are decrypted (one unwrapped case key for all of them)."""
    shown = {item.message.pk: item for item in items if item.message is not None}
    for unsealed in message_items(case, [item.message for item in shown.values()]):
        item = shown[unsealed.message.pk]
        item.body, item.attachments = unsealed.body, unsealed.attachments
    for item in items:
        if item.note is not None:
            item.note.case = case
            item.body = services.note_body(item.note)


def _count_before(case: Case, cursor: Cursor) -> int:
    """How many entries lie before the cursor, in one query (three counts on the case's indexes)."""

    def count(model, rank):
        rows = model.objects.filter(_before(cursor, rank), case=OuterRef("pk")).order_by()
        counted = rows.values("case").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    counts = (
        Case.objects.filter(pk=case.pk)
        .annotate(m=count(Message, 0), n=count(InternalNote, 1), e=count(CaseEvent, 2))
        .values_list("m", "n", "e")
        .first()
    )
    return sum(counts or ())
