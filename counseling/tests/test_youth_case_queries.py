"""The young person's own case page (issue 19, youth pages at the speed of a bare view): a fixed, small
number of queries whatever the case holds, each part of the page read once — and the page still says
what those parts say (absence, video call, deletion date, "I have arrived")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counseling.models import CaseEvent, CounselorProfile
from counseling.tests.factories import counselor_with_profile, make_case
from counseling.tests.test_case_page_history import add_history
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

# Session, user, roles (the middleware, as for every signed-in page); the case; today's attachments (the
# upload limit); messages; their attachments; the counselor's absence; the events (last one, video call);
# the retention periods; callbacks (the chat comes with the case, the arrival with the events).
CASE_PAGE_QUERIES = 11


@pytest.fixture
def essen():
    return SiteFactory(slug="essen", name="JMD Essen")


@pytest.fixture
def counselor(essen):
    return counselor_with_profile("berta", ["de"], site=essen)


def _case(youth, counselor, essen, *, messages: int):
    case = make_case(youth=youth, site=essen, country="TR")
    if case.counselor_id != counselor.pk:
        from counseling import routing

        routing.assign(case, counselor)
    add_history(case, messages=messages)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.VIDEO, actor=counselor)
    return case


def _page(client, case):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/de/cases/{case.public_id}/")
    assert response.status_code == 200
    return response.content.decode(), captured


@pytest.mark.parametrize("absent", [False, True], ids=["present", "absent"])
def test_own_case_page_queries_do_not_grow_with_the_history(
    client, youth, counselor, essen, absent, django_assert_max_num_queries
):
    CounselorProfile.objects.filter(user=counselor).update(is_absent=absent)
    short = _case(youth, counselor, essen, messages=5)
    long = _case(youth, counselor, essen, messages=120)
    client.force_login(youth)
    client.get(f"/de/cases/{short.public_id}/")  # the session's first request does more
    html, captured = _page(client, short)
    assert len(captured) <= CASE_PAGE_QUERIES, "\n".join(q["sql"][:120] for q in captured.captured_queries)
    with django_assert_max_num_queries(len(captured)):
        html = _page(client, long)[0]
    assert "Nachricht 118" in html  # the whole conversation is there (published messages)
    assert "Join the video call" in html or "Videoanruf" in html
    assert ('<p class="absence">' in html) == absent
    assert 'id="deletion"' in html


def test_each_part_of_the_case_page_is_read_once(client, youth, counselor, essen):
    """No table is asked the same question twice (the absence and the events were read by the view and
    again by the page's template tags)."""
    case = _case(youth, counselor, essen, messages=20)
    CounselorProfile.objects.filter(user=counselor).update(is_absent=True)
    client.force_login(youth)
    client.get(f"/de/cases/{case.public_id}/")
    _html, captured = _page(client, case)
    tables = [
        query["sql"].split(" FROM ", 1)[1].split()[0]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and " FROM " in query["sql"]
    ]
    for table in ('"counseling_counselorprofile"', '"hub_retentionpolicy"'):
        assert tables.count(table) == 1, table
    assert tables.count('"counseling_caseevent"') == 1  # the events' summary (with the arrival)
