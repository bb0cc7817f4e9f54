"""The staff case page with a long history: the same queries and the same decryption for 5 messages as for
500, the conversation paged back to its first entry without gaps or repeats, and the earlier pages checked
like the case page itself."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counseling import routing, sealing
from counseling.models import Attachment, CaseEvent, InternalNote, Message, MessageStatus
from counseling.staff_views import THREAD_TAIL
from counseling.tests.factories import counselor_with_profile, make_case, mentor_with_profile
from counseling.timeline import timeline_page
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
CASES = "/en/staff/cases/"


@pytest.fixture
def essen():
    return SiteFactory(slug="essen", name="JMD Essen")


@pytest.fixture
def mentor(essen):
    return mentor_with_profile("marta", ["de"], site=essen)


@pytest.fixture
def trainee(essen, mentor):
    return counselor_with_profile("tom", ["de"], site=essen, trainee=True, mentor=mentor)


def viewer(kind: str, *, essen, mentor, trainee):
    """Who opens the case: its counselor (a trainee), their mentor, or a coordinator who also leads the
    site (sees the handover and assignment forms besides the conversation)."""
    if kind == "counselor":
        return trainee
    if kind == "mentor":
        return mentor
    coordinator = staff_with_totp(username="cora", roles=[Role.COORDINATOR])
    site_services.site_lead_grant(user=coordinator, site=essen)
    return coordinator


def add_history(case, *, messages: int, start=None) -> None:
    """`messages` sealed messages in turns (every tenth a trainee's reply waiting for approval, one in
    twenty with an attachment), an internal note and an event every 25 messages; bulk-made, as a year of
    counseling would have left them."""
    start = start or timezone.now() - timedelta(days=200)
    built = []
    for number in range(messages):
        staff = number % 2 == 1
        pending = staff and number % 10 == 9
        built.append(
            Message(
                case=case,
                author=case.counselor if staff else case.youth,
                from_staff=staff,
                status=MessageStatus.PENDING if pending else MessageStatus.PUBLISHED,
                body_sealed=sealing.seal(case, f"Nachricht {number}", purpose="message"),
                created_at=start + timedelta(hours=number),
            )
        )
    created_at = Message._meta.get_field("created_at")
    created_at.auto_now_add = False  # bulk_create would stamp every row with now
    try:
        Message.objects.bulk_create(built)
    finally:
        created_at.auto_now_add = True
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            uploaded_by=message.author,
            name_sealed=sealing.seal(case, f"datei-{number}.pdf", purpose="attachment-name"),
            data_sealed=sealing.seal(case, b"%PDF-", purpose="attachment"),
            content_type="application/pdf",
            size=5,
        )
        for number, message in enumerate(built)
        if number % 20 == 0
    )
    for number in range(0, messages, 25):
        at = start + timedelta(hours=number, minutes=30)
        note = InternalNote(
            case=case,
            author=case.counselor,
            body_sealed=sealing.seal(case, f"Notiz {number}", purpose="note"),
        )
        note.save()
        event = CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.STATUS, actor=case.counselor, status="open"
        )
        InternalNote.objects.filter(pk=note.pk).update(created_at=at)
        CaseEvent.objects.filter(pk=event.pk).update(created_at=at)


def case_with(messages: int, *, essen, trainee):
    case = make_case(site=essen, body="Erste Frage")
    if case.counselor_id != trainee.pk:
        routing.assign(case, trainee)
    add_history(case, messages=messages)
    return case


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["counselor", "mentor", "coordinator"])
def test_the_case_page_costs_the_same_queries_for_500_messages_as_for_5(
    client, django_assert_max_num_queries, essen, mentor, trainee, kind
):
    user = viewer(kind, essen=essen, mentor=mentor, trainee=trainee)
    short = case_with(5, essen=essen, trainee=trainee)
    long = case_with(500, essen=essen, trainee=trainee)
    client.force_login(user)
    for case in (short, long):  # the first request also writes the session, the first opening a CaseRead
        client.get(f"{CASES}{case.public_id}/")
    few = queries_of(client, f"{CASES}{short.public_id}/")
    with django_assert_max_num_queries(few):
        response = client.get(f"{CASES}{long.public_id}/")
    html = response.content.decode()
    assert "Nachricht 499" in html and "Nachricht 489<" not in html  # the latest ten entries only
    assert "Show 10 earlier entries" in html
    earlier = re.search(r'href="\?before=([0-9.]+)#conversation"', html)[1]
    with django_assert_max_num_queries(few):
        response = client.get(f"{CASES}{long.public_id}/?before={earlier}")
    assert "Nachricht 489" in response.content.decode()


def rows_read(client, url) -> int:
    """How many rows the database handed back for one request, over all its queries."""
    rows = []

    def count(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        rows.append(max(context["cursor"].rowcount, 0))
        return result

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return sum(rows)


def test_the_case_page_reads_no_more_rows_for_500_messages_than_for_5(client, essen, trainee):
    """Constant queries are not enough: one query may still read the whole history. The long case's page
    reads at most a page of each kind of entry (messages, notes, events) more than the short one's."""
    short = case_with(5, essen=essen, trainee=trainee)
    long = case_with(500, essen=essen, trainee=trainee)
    client.force_login(trainee)
    for case in (short, long):
        client.get(f"{CASES}{case.public_id}/")
    few = rows_read(client, f"{CASES}{short.public_id}/")
    assert rows_read(client, f"{CASES}{long.public_id}/") <= few + 3 * THREAD_TAIL


def test_only_the_entries_shown_are_decrypted(client, monkeypatch, essen, trainee):
    case = case_with(500, essen=essen, trainee=trainee)
    opened = []
    unseal = sealing.unseal
    monkeypatch.setattr(
        sealing, "unseal", lambda *args, **kwargs: opened.append(1) or unseal(*args, **kwargs)
    )
    client.force_login(trainee)
    assert client.get(f"{CASES}{case.public_id}/").status_code == 200
    assert 0 < len(opened) <= 10 + 10  # ten entries, and the names of their attachments at most


def test_paging_back_shows_every_entry_once_down_to_the_first(client, essen, trainee):
    """Messages, notes and events with the very same timestamp across page boundaries are neither skipped
    nor repeated: the cursor orders by time, kind and id."""
    case = case_with(47, essen=essen, trainee=trainee)
    tied = timezone.now() - timedelta(days=300)
    middle = list(case.messages.order_by("created_at").values_list("pk", flat=True)[5:20])
    Message.objects.filter(pk__in=middle).update(created_at=tied)
    InternalNote.objects.filter(case=case).update(created_at=tied)
    CaseEvent.objects.filter(case=case).update(created_at=tied)
    expected = case.messages.count() + InternalNote.objects.filter(case=case).count() + case.events.count()
    seen, before, pages = [], None, 0
    while True:
        page = timeline_page(case, before=before, size=10)
        seen += [(item.kind, item.pk) for item in page.items]
        pages += 1
        assert page.earlier_count == expected - len(seen)
        if not page.earlier:
            break
        before = page.earlier
    assert len(seen) == len(set(seen)) == expected
    assert pages == -(-expected // 10)
    # and the page walks the same way over HTTP, without JavaScript
    client.force_login(trainee)
    url, visited = f"{CASES}{case.public_id}/", 0
    while url:
        html = client.get(url).content.decode()
        visited += 1
        link = re.search(r'href="(\?before=[0-9.]+)#conversation"', html)
        url = f"{CASES}{case.public_id}/{link[1]}" if link else ""
    assert visited == pages
    assert "Nachricht 5<" in html and "Back to the latest entries" in html  # the oldest of the tied ones


def test_a_cursor_that_does_not_parse_shows_the_latest_entries(client, essen, trainee):
    case = case_with(30, essen=essen, trainee=trainee)
    client.force_login(trainee)
    for bad in ["x", "1.2", "99999999999999999999999.0.1", "1.7.1", "-5.0.-1", "1.0.0", "\u202e"]:
        response = client.get(f"{CASES}{case.public_id}/", {"before": bad})
        assert response.status_code == 200
        assert "Nachricht 29" in response.content.decode()


def test_earlier_entries_are_refused_like_the_case_page(client, essen, trainee):
    case = case_with(30, essen=essen, trainee=trainee)
    client.force_login(trainee)
    html = client.get(f"{CASES}{case.public_id}/").content.decode()
    earlier = re.search(r'href="(\?before=[0-9.]+)#conversation"', html)[1]
    url = f"{CASES}{case.public_id}/{earlier}"
    assert client.get(url).status_code == 200

    elsewhere = counselor_with_profile("olga", ["de"], site=SiteFactory())
    other_lead = staff_with_totp(username="lena", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=other_lead, site=SiteFactory())
    coordinator = staff_with_totp(username="cora", roles=[Role.COORDINATOR])  # reassigns, never reads
    for outsider in (elsewhere, other_lead, coordinator):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404, outsider
        assert "Nachricht" not in response.content.decode()
    client.force_login(case.youth)
    assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    guest = UserFactory()
    client.force_login(guest)
    assert client.get(url).status_code == 403
