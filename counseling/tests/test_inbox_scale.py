"""The inbox costs the same queries for 5 cases as for 50, for a counselor and for a coordinator (who also
counsels at a site, so every box has rows), in every box they see: rows, unread marks (CaseRead), waiting
approvals, partner enquiries and labels all come with the one inbox query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counseling.models import Case, Label
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_staff_inbox import _add_cases
from hub.roles import Role
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
INBOX = "/en/staff/cases/"


def reader_for(role, box, *, essen):
    """For the queue box a counselor who is away (so the Ukrainian cases wait in the queue instead of
    coming to them); a coordinator's queue shows every queued case anyway."""
    if role == "coordinator":
        roles = [Role.COORDINATOR, Role.COUNSELOR]
        return counselor_with_profile("cora", ["de"], site=essen, capacity=500, roles=roles)
    return counselor_with_profile("anna", ["de", "uk"], site=essen, capacity=500, is_absent=box == "queue")


def boxes_of(role) -> list[str]:
    return ["mine", "team", "queue", "escalated"] if role == "coordinator" else ["mine", "team", "queue"]


@pytest.mark.parametrize(
    ("role", "box"), [(role, box) for role in ("counselor", "coordinator") for box in boxes_of(role)]
)
def test_5_or_50_cases_cost_the_same_queries(client, django_assert_max_num_queries, role, box):
    essen, koeln = SiteFactory(), SiteFactory()
    reader = reader_for(role, box, essen=essen)
    labels = [Label.objects.create(name=name) for name in ("Visum", "Schule")]
    language = "uk" if box == "queue" else "de"

    def add(count):
        _add_cases(count, sites=[essen, koeln], labels=labels, language=language, reader=reader)
        Case.objects.update(escalated_at=timezone.now())

    url = f"{INBOX}?box={box}"
    client.force_login(reader)
    add(5)
    client.get(url)  # the first request after signing in also writes the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    rows_few = response.content.decode().count('<tr id="case-')
    assert rows_few >= 2
    add(45)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('<tr id="case-') >= 20 > rows_few  # enough rows that one query per row would show
    assert "badge-unread" in html
