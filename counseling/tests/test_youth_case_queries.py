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

# Session, user, roles (the middleware, as for every signed-in page); the case with its chat, what the
# page says about it (the events: last one, video call, arrival; callback requests, an absent counselor)
# and its published conversation, with whether there are attachments (youth_case_page.py CASE); the
# messages' attachments (the histories here have some). The absence notice is one more query while the
# counselor is away; the retention periods are kept under their fragment version. (It was 11, then 7,
# then 6 while the conversation was a read of its own.)
CASE_PAGE_QUERIES = 5


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
    expected = CASE_PAGE_QUERIES + absent
    assert len(captured) <= expected, "\n".join(q["sql"][:120] for q in captured.captured_queries)
    with django_assert_max_num_queries(len(captured)):
        html = _page(client, long)[0]
    assert "Nachricht 118" in html  # the whole conversation is there (published messages)
    assert "Join the video call" in html or "Videoanruf" in html
    assert ('<p class="absence">' in html) == absent
    assert 'id="deletion"' in html


def _tables(captured) -> list[str]:
    """The table each SELECT reads from (its outermost FROM: subqueries stand in parentheses)."""
    tables = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT"):
            continue
        depth, outer = 0, []
        for char in sql:
            depth += (char == "(") - (char == ")")
            outer.append(char if depth == 0 else "")
        tables.append("".join(outer).split(" FROM ", 1)[1].split()[0])
    return tables


def test_each_part_of_the_case_page_is_read_once(client, youth, counselor, essen):
    """No table is asked the same question twice (the absence and the events were read by the view and
    again by the page's template tags), and the events, callbacks and absence flag are no query of
    their own: they are read with the case, by the access check."""
    case = _case(youth, counselor, essen, messages=20)
    CounselorProfile.objects.filter(user=counselor).update(is_absent=True)
    client.force_login(youth)
    client.get(f"/de/cases/{case.public_id}/")
    html, captured = _page(client, case)
    tables = _tables(captured)
    assert tables.count('"counseling_case"') == 1  # the access check, with what the page says about it
    assert tables.count('"counseling_counselorprofile"') == 1  # the absence notice's words and dates
    for table in ('"counseling_caseevent"', '"counseling_callbackrequest"', '"hub_retentionpolicy"'):
        assert table not in tables, table
    assert '<p class="absence">' in html and "Videoanruf" in html and 'id="deletion"' in html
