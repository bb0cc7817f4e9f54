"""What one inbox page reads (issue 19: inbox p95 <= 50 ms at 50,000 cases): a ceiling for the counselor's
and the coordinator's boxes, no statement twice, the sites a reader works at in one query for every row,
the labels without Label objects, and the site list of the filter only when it is shown or used."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counseling.models import Label
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_staff_inbox import _add_cases
from hub.roles import Role
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
INBOX = "/en/staff/cases/"
# Session, user, roles, TOTP; the box's count and page of ids; the rows with their labels; the reader's
# sites and mentees; the approvals to review and deleted cases where the box shows them; permissions.
CEILING = {"mine": 13, "team": 12, "queue": 14, "escalated": 12}


def statements(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("role", "box"),
    [("counselor", box) for box in ("mine", "team", "queue")]
    + [("coordinator", box) for box in ("mine", "team", "queue", "escalated")],
)
def test_an_inbox_page_stays_under_its_ceiling_and_reads_nothing_twice(
    client, django_assert_max_num_queries, role, box
):
    essen, koeln = SiteFactory(), SiteFactory()
    roles = [Role.COORDINATOR, Role.COUNSELOR] if role == "coordinator" else None
    reader = counselor_with_profile("anna", ["de"], site=essen, capacity=500, roles=roles)
    labels = [Label.objects.create(name=name) for name in ("Visum", "Schule")]
    _add_cases(30, sites=[essen, koeln], labels=labels, language="de", reader=reader)
    client.force_login(reader)
    url = f"{INBOX}?box={box}"
    client.get(url)  # the first request after signing in also writes the session
    read = statements(client, url)
    assert len(read) == len(set(read)), "a statement repeated"
    assert len([sql for sql in read if "guardian_userobjectpermission" in sql]) == 1
    assert not [sql for sql in read if sql.startswith('SELECT "counseling_label"')]  # names, no objects
    assert not [sql for sql in read if sql.startswith('SELECT "sites_site"."slug"')]  # the kept filter
    with django_assert_max_num_queries(CEILING[box]):
        client.get(url)


def test_a_chosen_site_is_still_checked_against_the_list(client):
    essen = SiteFactory(slug="essen")
    reader = counselor_with_profile("anna", ["de"], site=essen, capacity=500)
    client.force_login(reader)
    html = client.get(f"{INBOX}?site=essen").content.decode()
    assert 'value="essen" selected' in html
    html = client.get(f"{INBOX}?site=atlantis").content.decode()
    assert "atlantis is not one of the available choices" in html
