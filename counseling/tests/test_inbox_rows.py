"""What an inbox row says (nickname, who wrote last, unread per staff member, a reply waiting for approval),
the row and approvals fragments the live inbox fetches (with their denials), the events the services
announce, and the case page's thread tail."""

import re
import uuid

import pytest

from counseling import services
from counseling.models import CaseRead
from counseling.tests.factories import (
    QUESTION,
    assign_to,
    counselor_with_profile,
    make_case,
    mentor_with_profile,
)
from hub.roles import Role
from hub.services import user_group
from hub.tests.factories import UserFactory, staff_with_totp
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
INBOX = "/en/staff/cases/"
REPLY = "Hier ist meine Antwort."


def rows(html: str) -> dict[str, str]:
    """The inbox's rows by case id."""
    return dict(re.findall(r'<tr id="case-([0-9a-f-]{36})".*?>(.*?)</tr>', html, flags=re.S))


def last_writer(row: str) -> str:
    return re.search(r'class="last-writer">(.*?)<', row)[1]


def inbox(client, user, query="") -> dict[str, str]:
    client.force_login(user)
    response = client.get(f"{INBOX}?{query}")
    assert response.status_code == 200
    return rows(response.content.decode())


def reply(client, user, case, body=REPLY):
    client.force_login(user)
    data = {"body": body, "idempotency_key": str(uuid.uuid4())}
    assert client.post(f"{INBOX}{case.public_id}/reply/", data).status_code == 302


@pytest.fixture
def essen():
    return SiteFactory(slug="essen", name="JMD Essen")


@pytest.fixture
def anna(essen):
    return counselor_with_profile("anna", ["de", "tr"], site=essen, capacity=50)


def test_a_row_shows_nickname_topic_language_site_last_writer_unread_and_due(client, anna, essen):
    youth = UserFactory(username="sternchen_17", roles=[Role.YOUTH])
    case = make_case(youth=youth, language="tr", topic="housing", site=essen)
    row = inbox(client, anna)[str(case.public_id)]
    assert "sternchen_17" in row and "Housing" in row and "Turkish" in row and "JMD Essen" in row
    assert last_writer(row) == "young person" and "badge-unread" in row and "<time" in row  # + due
    assert QUESTION not in row

    client.force_login(anna)
    assert client.get(f"{INBOX}{case.public_id}/").status_code == 200  # reading marks it read
    assert "badge-unread" not in inbox(client, anna)[str(case.public_id)]

    services.message_send(case=case, author=youth, body="Noch eine Frage")
    assert "badge-unread" in inbox(client, anna)[str(case.public_id)]

    reply(client, anna, case)
    row = inbox(client, anna)[str(case.public_id)]
    assert last_writer(row) == "counselor"


def test_unread_is_per_staff_member(client, anna, essen):
    colleague = counselor_with_profile("carla", ["tr"], site=essen)
    case = assign_to(make_case(language="tr", site=essen), anna)
    client.force_login(colleague)
    assert client.get(f"{INBOX}{case.public_id}/").status_code == 200
    assert CaseRead.objects.filter(case=case, user=colleague).exists()
    assert "badge-unread" in inbox(client, anna)[str(case.public_id)]
    assert "badge-unread" not in inbox(client, colleague, "box=team")[str(case.public_id)]


def test_a_reply_waiting_for_the_mentor_is_marked_and_counted_for_the_mentor(client, essen):
    mentor = mentor_with_profile("marta", ["ru"], site=essen)
    trainee = counselor_with_profile("tom", ["ru"], site=essen, trainee=True, mentor=mentor)
    case = assign_to(make_case(language="ru", site=essen), trainee)
    services.message_send(case=case, author=trainee, body=REPLY)
    assert "reply waits for approval" in inbox(client, trainee)[str(case.public_id)]
    client.force_login(mentor)
    response = client.get(f"{INBOX}approvals/count/")
    assert response.status_code == 200 and 'badge-approval">1<' in response.content.decode()
    assert 'badge-approval">1<' in client.get(INBOX).content.decode()
    client.force_login(trainee)
    assert client.get(f"{INBOX}approvals/count/").status_code == 403


def test_the_row_fragment_is_the_row_of_the_asked_box_or_nothing(client, anna, essen, coordinator):
    mine = make_case(language="tr", site=essen)
    bert = counselor_with_profile("bert", ["ru"])
    theirs = make_case(language="ru")
    assert theirs.counselor == bert
    client.force_login(anna)
    response = client.get(f"{INBOX}row/{mine.public_id}/?box=mine")
    html = response.content.decode()
    assert response.status_code == 200 and f'id="case-{mine.public_id}"' in html
    assert QUESTION not in html and "<html" not in html
    # Another counselor's case, an unknown id, a filter that leaves it out: nothing.
    assert client.get(f"{INBOX}row/{theirs.public_id}/?box=team").status_code == 404
    assert client.get(f"{INBOX}row/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"{INBOX}row/{mine.public_id}/?language=de").status_code == 404
    assert client.get(f"{INBOX}row/{mine.public_id}/?box=escalated").status_code == 403
    # The coordinator's escalated box shows the case's data, never the young person's nickname.
    mine.escalated_at = mine.created_at
    mine.save(update_fields=["escalated_at"])
    client.force_login(coordinator)
    html = client.get(f"{INBOX}row/{mine.public_id}/?box=escalated").content.decode()
    assert f'id="case-{mine.public_id}"' in html and mine.youth.username not in html


def test_the_fragments_are_refused_outside_the_staff_area(client, anna, essen, youth):
    case = make_case(language="tr", site=essen)
    client.force_login(youth)
    assert client.get(f"{INBOX}row/{case.public_id}/").status_code == 403
    assert client.get(f"{INBOX}approvals/count/").status_code == 403
    client.logout()
    assert client.get(f"{INBOX}row/{case.public_id}/").status_code == 302


def test_the_row_query_count_is_constant(client, anna, essen, django_assert_max_num_queries):
    make_case(language="tr", site=essen)
    client.force_login(anna)
    case = make_case(language="tr", site=essen)
    url = f"{INBOX}row/{case.public_id}/"
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


# --- what the services announce ----------------------------------------------------------------------


class RecordingLayer:
    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append((group, message))

    def to(self, user) -> list[str]:
        return [
            message["event"].get("change") or message["event"]["kind"]
            for group, message in self.sent
            if group == user_group(user.pk) and message["type"] == "user.event"
        ]


@pytest.fixture
def layer(monkeypatch):
    recording = RecordingLayer()
    monkeypatch.setattr("counseling.inbox.get_channel_layer", lambda: recording)
    monkeypatch.setattr("hub.services.get_channel_layer", lambda: recording)
    return recording


def test_a_queued_case_is_announced_to_the_counselors_of_its_language_only(
    layer, django_capture_on_commit_callbacks
):
    away = counselor_with_profile("wera", ["uk", "de"], is_absent=True)
    other = counselor_with_profile("olena", ["uk"], is_absent=True)
    german = counselor_with_profile("gerd", ["de"], is_absent=True)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(language="uk")
    assert case.counselor is None
    assert layer.to(away) == ["queued"] and layer.to(other) == ["queued"] and layer.to(german) == []
    present = counselor_with_profile("petro", ["uk"])
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_take(case=case, counselor=present)
    assert layer.to(away) == ["taken"] and layer.to(other) == ["taken"] and layer.to(german) == []


def test_the_queue_announcement_reaches_exactly_whose_queue_box_shows_the_case(
    layer, django_capture_on_commit_callbacks, client, essen
):
    """The live inbox and the "Queue" box follow one rule (routing.queue_audience / queue_for): a case in
    a language nobody present speaks reaches the fallback counselors and the coordinators; one handed
    over to a site reaches that site's team only, never whoever handed it over."""
    helper = counselor_with_profile("helper", ["de"], is_fallback=True)
    german = counselor_with_profile("gerd", ["de"])
    coordinator = staff_with_totp(username="cora", roles=[Role.COORDINATOR])
    with django_capture_on_commit_callbacks(execute=True):
        french = make_case(language="fr")
    assert french.counselor is None
    assert layer.to(helper) == ["queued"] and layer.to(coordinator) == ["queued"] and layer.to(german) == []
    for user in (helper, coordinator):
        client.force_login(user)
        assert str(french.public_id) in client.get("/en/staff/cases/?box=queue").content.decode()

    anna = counselor_with_profile("anna_a", ["de"])
    bochum = SiteFactory(slug="bochum")
    ben = counselor_with_profile("ben", ["de"], site=bochum, capacity=0)  # full: the case waits for him
    case = make_case(language="de")
    assign_to(case, anna)
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_handover(case=case, actor=anna, site=bochum)
    case.refresh_from_db()
    assert case.counselor is None and case.team_only
    assert "queued" in layer.to(ben) and "queued" not in layer.to(anna) and layer.to(german) == []


def test_the_queue_run_announces_the_assignment_and_the_case_leaving_the_queue(
    layer, django_capture_on_commit_callbacks
):
    from counseling import routing

    waiting = counselor_with_profile("wera", ["uk"], capacity=0)
    case = make_case(language="uk")
    assert case.counselor is None
    petro = counselor_with_profile("petro", ["uk"])
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert routing.route_queue() == 1
    assert "case" in layer.to(petro) and layer.to(waiting) == ["taken"]


def test_a_new_message_a_handover_and_an_approval_are_announced_to_whom_they_concern(
    layer, django_capture_on_commit_callbacks, anna, essen
):
    case = make_case(language="tr", site=essen)
    bert = counselor_with_profile("bert", ["tr"], site=essen)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(case=case, author=case.youth, body="Hallo?")
    assert layer.to(anna) == ["case"] and layer.to(bert) == []
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_handover(case=case, actor=anna, counselor=bert)
    assert layer.to(anna) == ["case"] and layer.to(bert) == ["case"]  # the row leaves and arrives

    mentor = mentor_with_profile("marta", ["tr"])
    trainee = counselor_with_profile("tom", ["tr"], trainee=True, mentor=mentor)
    assign_to(case, trainee)
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(case=case, author=trainee, body=REPLY)
    assert layer.to(mentor) == ["approval"]
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(message=case.messages.get(author=trainee), mentor=mentor)
    assert layer.to(trainee) == ["case"]  # the row's "waits for approval" goes
    assert all(str(case.public_id) == message["event"]["case"] for _group, message in layer.sent)
    assert all(REPLY not in str(message) for _group, message in layer.sent)  # ids and kinds only


# --- the case page: the latest entries next to the reply box ------------------------------------------


def test_the_case_page_shows_the_latest_entries_and_the_rest_on_request(client, anna, essen):
    youth = UserFactory(roles=[Role.YOUTH])
    case = make_case(youth=youth, language="tr", site=essen, body="Frage 0")
    for number in range(1, 14):
        services.message_send(case=case, author=youth, body=f"Frage {number}")
    client.force_login(anna)
    html = client.get(f"{INBOX}{case.public_id}/").content.decode()
    assert "Frage 13" in html and "Frage 0<" not in html
    earlier = re.search(r'href="(\?before=[0-9.]+)#conversation"', html)[1]
    assert html.index("Frage 13") < html.index('id="reply"')
    before = client.get(f"{INBOX}{case.public_id}/{earlier}").content.decode()
    assert "Frage 0<" in before and "Frage 13<" not in before and "#conversation" not in before


def test_no_read_marker_is_written_for_staff_who_may_not_open_the_case(client, essen):
    lead = staff_with_totp(username="lead_lena", roles=[Role.SITE_LEAD])
    case = make_case(language="ar", site=essen)
    client.force_login(lead)
    client.get(f"{INBOX}{case.public_id}/")
    assert not CaseRead.objects.filter(user=lead).exists()
