"""The audit log: every staff opening of a case is recorded; coordinators read who and when, not what."""

import pytest

from counseling import services
from counseling.models import CounselorProfile
from hub.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(youth, counselor):
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    return services.enquiry_create(youth=youth, topic="health", language="de", body="Vertrauliche Frage")


def test_opening_a_case_is_logged_and_coordinators_read_the_log_without_content(
    client, case, counselor, coordinator
):
    client.force_login(counselor)
    assert client.get(f"/de/staff/cases/{case.public_id}/").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (counselor, "case.open", str(case.public_id))
    client.force_login(coordinator)
    page = client.get(f"/de/staff/audit/?case={case.public_id}").content.decode()
    assert str(case.public_id) in page and counselor.username in page
    assert "Vertrauliche" not in page


def test_counselors_and_youth_cannot_read_the_audit_log(client, counselor, youth):
    client.force_login(counselor)
    assert client.get("/de/staff/audit/").status_code == 403
    client.force_login(youth)
    assert client.get("/de/staff/audit/").status_code == 403
