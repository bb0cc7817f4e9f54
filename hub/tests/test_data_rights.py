"""Data rights of young people: download everything ("My data") and delete the account at once."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from counseling import services
from counseling.models import Case, CaseTombstone, CounselorProfile
from counseling.tests.factories import make_case
from counseling.uploads import CleanFile
from hub.models import AuditEntry, StatEvent, User
from hub.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MINE = "Wie lange dauert die Anerkennung meines Diploms?"
ANSWER = "Das dauert meistens drei Monate."
THEIRS = "Geheime Frage von Timur zur Duldung"
PDF = CleanFile(name="Diplom.pdf", content_type="application/pdf", data=b"%PDF-1.4 my diploma")


@pytest.fixture
def conversation(youth, other_youth, counselor):
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    case = make_case(youth=youth, body=MINE, files=[PDF])
    services.message_send(case=case, author=counselor, body=ANSWER)
    theirs = make_case(youth=other_youth, body=THEIRS)
    services.message_send(case=theirs, author=counselor, body="Antwort an Timur")
    return case


def download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post("/en/me/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_the_own_messages_decrypted_and_nothing_of_another_youth(
    client, youth, other_youth, conversation
):
    archive = download(client, youth)
    names = archive.namelist()
    assert {"index.html", "data.json"} <= set(names)
    data = json.loads(archive.read("data.json"))
    case = data["sections"]["cases"][0]
    texts = [message["text"] for message in case["messages"]]
    assert texts == [MINE, ANSWER]
    assert data["sections"]["profile"][0]["username"] == youth.username
    page = archive.read("index.html").decode()
    assert MINE in page and ANSWER in page
    assert "<dt>Username</dt><dd>amira</dd>" in page  # readable labels, not the JSON keys
    files = [name for name in names if name.startswith("attachments/")]
    assert len(files) == 1 and files[0].endswith("Diplom.pdf")
    assert archive.read(files[0]) == PDF.data
    everything = b"".join(archive.read(name) for name in names)
    assert THEIRS.encode() not in everything and b"Antwort an Timur" not in everything
    assert other_youth.username.encode() not in everything


def test_the_export_is_audited_without_content(client, youth, conversation):
    download(client, youth)
    entry = AuditEntry.objects.get(action="own_data.export")
    # Recorded without who: the staff log does not list young people by username.
    assert (entry.actor, entry.target_type, entry.target_id) == (None, "account", "")


def test_the_my_data_page_explains_and_staff_cannot_use_it(client, youth, counselor):
    client.force_login(youth)
    assert "Download my data (ZIP)" in client.get("/en/me/data/").content.decode()
    client.force_login(counselor)
    assert client.post("/en/me/data/").status_code == 403
    client.logout()
    assert client.post("/en/me/data/").status_code == 302
    assert not AuditEntry.objects.filter(action__in=["export.made", "own_data.export"]).exists()


def references_to(user_pk: int) -> list[str]:
    """Every row of every model that points at this user id through a foreign key or a many-to-many."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.related_model is None:
                continue
            if field.related_model._meta.label != settings.AUTH_USER_MODEL:
                continue
            if isinstance(field, models.ManyToManyField):
                continue  # its auto-created through model is checked as a model of its own
            if model.objects.filter(**{field.name: user_pk}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_after_delete_my_account_no_row_references_the_user_and_statistics_stay(
    client, youth, counselor, conversation
):
    from sites.models import Appointment
    from sites.tests.factories import SiteFactory

    Appointment.objects.create(
        site=SiteFactory(),
        youth=youth,
        mode="on_site",
        language="de",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        idempotency_key="00000000-0000-0000-0000-000000000009",
    )
    download(client, youth)
    assert references_to(youth.pk)
    statistics_before = list(StatEvent.objects.order_by("pk").values())
    other_session = client.session.session_key

    response = client.post("/en/me/delete/", {"password": PASSWORD}, follow=True)

    assert "have been deleted" in response.content.decode()
    assert not User.objects.filter(pk=youth.pk).exists()
    assert references_to(youth.pk) == []
    assert not Case.objects.filter(pk=conversation.pk).exists()
    assert list(StatEvent.objects.order_by("pk").values()) == statistics_before
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=other_session).exists()


def test_the_counselor_sees_that_the_person_deleted_their_account(client, youth, counselor, conversation):
    from hub.services import account_delete

    account_delete(user=youth)
    tombstone = CaseTombstone.objects.get(public_id=conversation.public_id)
    assert tombstone.counselor == counselor
    client.force_login(counselor)
    page = client.get(f"/en/staff/cases/{conversation.public_id}/")
    assert page.status_code == 410
    assert "The person deleted their account" in page.content.decode()
    assert MINE not in page.content.decode()
    inbox = client.get("/en/staff/cases/?box=mine").content.decode()
    assert "Deleted by the young person" in inbox


def test_a_colleague_elsewhere_learns_nothing_about_the_deleted_case(client, youth, conversation):
    from hub.roles import Role
    from hub.services import account_delete
    from hub.tests.factories import staff_with_totp

    account_delete(user=youth)
    stranger = staff_with_totp(username="counselor_far", roles=[Role.COUNSELOR])
    client.force_login(stranger)
    assert client.get(f"/en/staff/cases/{conversation.public_id}/").status_code == 404
