"""The staff case page and its actions: reading (audited), replying, notes, status, labels, handover,
taking from the queue, mentor approval, absence and canned responses — each with its denials."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from counseling import services
from counseling.models import (
    CannedResponse,
    CaseEvent,
    CaseStatus,
    CounselorProfile,
    InternalNote,
    Label,
    Message,
    MessageStatus,
)
from counseling.tests.factories import (
    QUESTION,
    counselor_with_profile,
    make_case,
    mentor_with_profile,
)
from hub.models import AuditEntry
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
REPLY = "Du kannst den Termin online buchen. Bring deinen Pass mit."
NOTE = "Hat schon zweimal angerufen, wirkt sehr gestresst."


def staff_url(case, action=""):
    return f"/en/staff/cases/{case.public_id}/" + (f"{action}/" if action else "")


def youth_page(client, case) -> str:
    client.force_login(case.youth)
    response = client.get(f"/en/cases/{case.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def reply_post(body=REPLY, **extra):
    return {"body": body, "idempotency_key": str(uuid.uuid4()), **extra}


@pytest.fixture
def essen():
    return SiteFactory(slug="essen", name="JMD Essen")


@pytest.fixture
def koeln():
    return SiteFactory(slug="koeln", name="JMD Köln")


@pytest.fixture
def anna(essen):
    return counselor_with_profile("anna", ["de"], site=essen)


@pytest.fixture
def case(anna, youth, essen):
    case = make_case(youth=youth, language="de", site=essen)
    assert case.counselor == anna
    return case


# --- reading ------------------------------------------------------------------------------------------


def test_the_counselor_reads_the_decrypted_thread_and_every_opening_is_audited(client, anna, case):
    client.force_login(anna)
    response = client.get(staff_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert QUESTION in html and "amira" in html
    assert "Answer due" in html
    client.get(staff_url(case))
    entries = AuditEntry.objects.filter(actor=anna, action="case.open", target_type="case")
    assert list(entries.values_list("target_id", flat=True)) == [str(case.public_id)] * 2


def test_a_colleague_of_the_site_may_open_the_case_too(client, case, essen):
    colleague = counselor_with_profile("carla", ["ar"], site=essen)
    client.force_login(colleague)
    assert client.get(staff_url(case)).status_code == 200


def test_a_counselor_of_another_site_is_denied_everything_and_nothing_changes(client, case, koeln):
    # A case the user may not see is a 404, as if it did not exist (403 would confirm that it does).
    outsider = counselor_with_profile("olaf", ["de"], site=koeln)
    anna = case.counselor
    client.force_login(outsider)
    assert client.get(staff_url(case)).status_code == 404
    assert client.post(staff_url(case, "reply"), reply_post()).status_code == 404
    assert client.post(staff_url(case, "reply"), reply_post(insert="1")).status_code == 404
    assert client.post(staff_url(case, "note"), {"body": NOTE}).status_code == 404
    assert client.post(staff_url(case, "status"), {"status": "closed"}).status_code == 404
    label = Label.objects.create(name="Visum")
    assert client.post(staff_url(case, "labels"), {"labels": [label.pk]}).status_code == 404
    assert client.post(staff_url(case, "take")).status_code == 404
    assert client.get(staff_url(case, "handover")).status_code == 404
    assert (
        client.post(staff_url(case, "handover"), {"counselor": outsider.pk, "note": NOTE}).status_code == 404
    )

    case.refresh_from_db()
    assert (case.counselor, case.status, case.site.slug) == (anna, CaseStatus.NEW, "essen")
    assert case.messages.count() == 1 and not case.notes.exists() and not case.labels.exists()
    assert not AuditEntry.objects.filter(actor=outsider).exists()
    assert not case.events.exclude(kind=CaseEvent.Kind.ASSIGNED).exists()


def test_young_people_get_403_in_the_staff_area(client, case):
    client.force_login(case.youth)
    assert client.get(staff_url(case)).status_code == 403
    assert client.get("/en/staff/cases/").status_code == 403


def test_a_coordinator_may_not_read_the_case_but_may_hand_it_over(client, case, coordinator):
    client.force_login(coordinator)
    assert client.get(staff_url(case)).status_code == 404
    response = client.get(staff_url(case, "handover"))
    assert response.status_code == 200
    assert QUESTION not in response.content.decode()
    bert = counselor_with_profile("bert", ["de"])
    response = client.post(staff_url(case, "handover"), {"counselor": bert.pk, "note": NOTE})
    assert response.url == "/en/staff/cases/?box=escalated"
    case.refresh_from_db()
    assert case.counselor == bert
    assert not AuditEntry.objects.filter(actor=coordinator).exists()


def test_a_site_lead_reads_the_sites_cases_but_does_not_reply(client, case, essen):
    lead = staff_with_totp(username="lead_lena", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=essen)
    client.force_login(lead)
    html = client.get(staff_url(case)).content.decode()
    assert QUESTION in html and 'id="reply"' not in html
    assert client.post(staff_url(case, "reply"), reply_post()).status_code == 403
    assert case.messages.count() == 1


# --- replying, notes, status, labels ------------------------------------------------------------------


def test_a_reply_reaches_the_young_person_and_stops_the_clock(client, anna, case):
    client.force_login(anna)
    response = client.post(staff_url(case, "reply"), reply_post())
    assert response.status_code == 302 and response.url.endswith("#latest")
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING and case.answer_due_at is None
    assert REPLY in youth_page(client, case)


def test_an_empty_reply_is_explained(client, anna, case):
    client.force_login(anna)
    response = client.post(staff_url(case, "reply"), reply_post(body="  "))
    assert response.status_code == 200
    assert "Please write your reply." in response.content.decode()
    assert case.messages.count() == 1


def test_a_refused_attachment_keeps_the_text_and_says_so(client, anna, case):
    client.force_login(anna)
    fake = SimpleUploadedFile("bescheid.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(staff_url(case, "reply"), reply_post(attachments=[fake]))
    html = response.content.decode()
    assert response.status_code == 200
    assert REPLY in html
    assert "please choose the attachments again" in html
    assert 'class="error"' in html
    assert case.messages.count() == 1


def test_an_internal_note_is_marked_and_never_reaches_the_young_person(client, anna, case):
    client.force_login(anna)
    assert client.post(staff_url(case, "note"), {"body": NOTE}).status_code == 302
    note = InternalNote.objects.get(case=case)
    assert services.note_body(note) == NOTE
    html = client.get(staff_url(case)).content.decode()
    assert NOTE in html and "internal – never shown to the young person" in html
    assert NOTE not in youth_page(client, case)


def test_an_empty_note_is_explained(client, anna, case):
    client.force_login(anna)
    response = client.post(staff_url(case, "note"), {"body": ""})
    assert "Please write the note." in response.content.decode()
    assert not case.notes.exists()


def test_status_and_labels(client, anna, case):
    visum, schule = Label.objects.create(name="Visum"), Label.objects.create(name="Schule")
    client.force_login(anna)
    assert client.post(staff_url(case, "status"), {"status": "closed"}).status_code == 302
    assert client.post(staff_url(case, "labels"), {"labels": [visum.pk]}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.events.filter(kind=CaseEvent.Kind.STATUS, status="closed", actor=anna).exists()
    assert list(case.labels.all()) == [visum]
    response = client.post(staff_url(case, "status"), {"status": "deleted"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert schule.name in client.get(staff_url(case)).content.decode()  # offered as a checkbox


# --- canned responses ---------------------------------------------------------------------------------


@pytest.fixture
def canned():
    CannedResponse.objects.create(language="tr", shortcut="randevu", title="Randevu", body="Türkçe metin")
    return CannedResponse.objects.create(
        language="de", shortcut="termin", title="Termin buchen", body="Den Termin buchst du online."
    )


def test_inserting_a_canned_response_without_javascript_keeps_the_typed_text(client, anna, case, canned):
    client.force_login(anna)
    response = client.post(
        staff_url(case, "reply"), reply_post(body="Hallo Amira,", canned=canned.pk, insert="1")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hallo Amira,\n\nDen Termin buchst du online.</textarea>" in html
    assert case.messages.count() == 1  # nothing sent yet


def test_inserting_without_a_choice_keeps_the_text_and_explains(client, anna, case, canned):
    client.force_login(anna)
    html = client.post(staff_url(case, "reply"), reply_post(body="Hallo Amira,", insert="1")).content.decode()
    assert "Hallo Amira,</textarea>" in html
    assert "Please choose a canned response to insert." in html


def test_the_case_page_offers_the_canned_responses_of_its_language_to_the_script(client, anna, case, canned):
    client.force_login(anna)
    response = client.get(staff_url(case))
    html = response.content.decode()
    assert 'id="canned-responses" type="application/json"' in html
    assert "/termin" in html and "randevu" not in html
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}" src="/static/counseling/js/canned.js" defer></script>' in html


def test_counselors_may_not_manage_canned_responses(client, anna):
    client.force_login(anna)
    assert client.get("/en/staff/cases/canned/").status_code == 403
    assert client.get("/en/staff/cases/canned/new/").status_code == 403
    data = {"language": "de", "shortcut": "hallo", "title": "Hallo", "body": "Hallo!"}
    assert client.post("/en/staff/cases/canned/new/", data).status_code == 403
    assert not CannedResponse.objects.exists()


def test_coordinators_create_and_edit_canned_responses(client, coordinator):
    client.force_login(coordinator)
    data = {"language": "de", "shortcut": "hallo", "title": "Begrüßung", "body": "Hallo und willkommen!"}
    assert client.post("/en/staff/cases/canned/new/", data).status_code == 302
    canned = CannedResponse.objects.get()
    assert "/hallo" in client.get("/en/staff/cases/canned/").content.decode()
    response = client.post(f"/en/staff/cases/canned/{canned.pk}/", {**data, "body": "Hallo!"})
    assert response.status_code == 302
    canned.refresh_from_db()
    assert canned.body == "Hallo!"
    twin = client.post("/en/staff/cases/canned/new/", {**data, "title": "Zweimal"})
    assert twin.status_code == 200 and "already exists" in twin.content.decode()
    assert CannedResponse.objects.count() == 1


# --- handover and taking ------------------------------------------------------------------------------


def test_handover_to_a_colleague_assigns_and_keeps_the_note_internal(client, anna, case):
    bert = counselor_with_profile("bert", ["de", "ru"])
    client.force_login(anna)
    page = client.get(staff_url(case)).content.decode()
    assert f'<option value="{bert.pk}">Bert</option>' in page
    response = client.post(staff_url(case, "handover"), {"counselor": bert.pk, "note": NOTE})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.counselor == bert
    assert case.events.filter(kind=CaseEvent.Kind.HANDOVER, counselor=bert, actor=anna).exists()
    assert services.note_body(InternalNote.objects.get(case=case)) == NOTE
    assert NOTE not in youth_page(client, case)


def test_handover_to_another_site_reroutes_to_its_team(client, anna, case, koeln):
    dora = counselor_with_profile("dora", ["de"], site=koeln)
    client.force_login(anna)
    response = client.post(staff_url(case, "handover"), {"site": koeln.pk, "note": NOTE})
    case.refresh_from_db()
    assert (case.site, case.counselor) == (koeln, dora)
    assert case.events.filter(kind=CaseEvent.Kind.HANDOVER, site=koeln).exists()
    assert services.note_body(case.notes.get()) == NOTE
    # Anna works neither at Köln nor on the case any more: back to her inbox.
    assert response.url == "/en/staff/cases/"
    assert client.get(staff_url(case)).status_code == 404


def test_a_handover_without_a_target_is_explained_and_the_note_kept(client, anna, case):
    client.force_login(anna)
    response = client.post(staff_url(case, "handover"), {"note": NOTE})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please choose a colleague or a site" in html and NOTE in html
    case.refresh_from_db()
    assert case.counselor == anna and not case.notes.exists()


def test_a_counselor_who_does_not_manage_the_case_may_not_hand_it_over(client, case, essen):
    colleague = counselor_with_profile("carla", ["de"], site=essen)  # may read it, it is not hers
    client.force_login(colleague)
    assert 'id="handover"' not in client.get(staff_url(case)).content.decode()
    assert client.post(staff_url(case, "handover"), {"counselor": colleague.pk}).status_code == 403
    case.refresh_from_db()
    assert case.counselor.username == "anna"


@pytest.fixture
def queued(youth):
    case = make_case(youth=youth, language="tr")
    assert case.counselor is None
    return case


def test_an_eligible_counselor_takes_a_case_from_the_queue(client, queued):
    deniz = counselor_with_profile("deniz", ["tr"])
    client.force_login(deniz)
    response = client.post(staff_url(queued, "take"))
    assert response.status_code == 302 and response.url == staff_url(queued)
    queued.refresh_from_db()
    assert queued.counselor == deniz
    assert queued.events.filter(kind=CaseEvent.Kind.TAKEN, counselor=deniz).exists()


def test_the_second_taker_is_told_a_colleague_was_quicker(client, queued):
    deniz, emre = counselor_with_profile("deniz", ["tr"]), counselor_with_profile("emre", ["tr"])
    client.force_login(deniz)
    client.post(staff_url(queued, "take"))
    client.force_login(emre)
    response = client.post(staff_url(queued, "take"), follow=True)
    assert response.redirect_chain[-1][0] == "/en/staff/cases/?box=queue"
    assert "A colleague has already taken this case." in response.content.decode()
    queued.refresh_from_db()
    assert queued.counselor == deniz


def test_who_may_not_take_gets_404_or_403(client, queued, coordinator, case, essen):
    # Not in their queue and not a case they may open: as if it did not exist.
    for user in (counselor_with_profile("olga", ["ru"]), coordinator):
        client.force_login(user)
        assert client.post(staff_url(queued, "take")).status_code == 404
    # A case that was routed directly never was in anybody's queue.
    client.force_login(counselor_with_profile("dieter", ["de"]))
    assert client.post(staff_url(case, "take")).status_code == 404
    # A colleague of the site sees it, but may not take it: 403.
    client.force_login(counselor_with_profile("carla", ["de"], site=essen))
    assert client.post(staff_url(case, "take")).status_code == 403
    client.force_login(counselor_with_profile("deniz", ["tr"]))
    assert client.get(staff_url(queued, "take")).status_code == 405
    queued.refresh_from_db()
    case.refresh_from_db()
    assert queued.counselor is None and case.counselor.username == "anna"


# --- trainees and their mentors -----------------------------------------------------------------------


@pytest.fixture
def mentor():
    return mentor_with_profile("marta", ["ru"])


@pytest.fixture
def trainee(mentor):
    return counselor_with_profile("tom", ["de"], trainee=True, mentor=mentor)


@pytest.fixture
def trainee_case(youth, trainee):
    case = make_case(youth=youth, language="de")
    assert case.counselor == trainee
    return case


def send_as_trainee(client, trainee, case):
    client.force_login(trainee)
    response = client.post(staff_url(case, "reply"), reply_post(), follow=True)
    assert "Your reply is waiting for your mentor&#x27;s approval." in response.content.decode()
    return Message.objects.get(case=case, author=trainee)


def test_a_trainees_reply_waits_for_the_mentor_and_is_invisible_to_the_young_person(
    client, trainee, trainee_case
):
    message = send_as_trainee(client, trainee, trainee_case)
    assert message.status == MessageStatus.PENDING
    client.force_login(trainee)
    assert "waiting for your mentor" in client.get(staff_url(trainee_case)).content.decode()
    assert REPLY not in youth_page(client, trainee_case)
    trainee_case.refresh_from_db()
    assert trainee_case.answer_due_at is not None  # the clock runs until the reply is out


def test_the_mentor_approves_and_the_young_person_sees_the_reply(client, mentor, trainee, trainee_case):
    message = send_as_trainee(client, trainee, trainee_case)
    client.force_login(mentor)
    approvals = client.get("/en/staff/cases/approvals/").content.decode()
    assert REPLY in approvals and "Tom" in approvals
    assert AuditEntry.objects.filter(actor=mentor, action="message.review").exists()
    # The mentor may also read the mentee's case and approve from there.
    assert "Approve and send" in client.get(staff_url(trainee_case)).content.decode()
    response = client.post(f"/en/staff/cases/approvals/{message.pk}/approve/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED and message.reviewed_by == mentor
    assert REPLY in youth_page(client, trainee_case)


def test_returning_with_a_comment_keeps_it_invisible_and_shows_the_comment_to_the_trainee(
    client, mentor, trainee, trainee_case
):
    message = send_as_trainee(client, trainee, trainee_case)
    client.force_login(mentor)
    url = f"/en/staff/cases/approvals/{message.pk}/return/"
    response = client.post(url, {"comment": ""})
    assert "Please tell your mentee what to change." in response.content.decode()
    response = client.post(url, {"comment": "Bitte das Du durchgehend verwenden.", "next": "case"})
    assert response.status_code == 302 and response.url.startswith(staff_url(trainee_case))
    message.refresh_from_db()
    assert message.status == MessageStatus.RETURNED
    assert REPLY not in youth_page(client, trainee_case)
    client.force_login(trainee)
    html = client.get(staff_url(trainee_case)).content.decode()
    assert "Bitte das Du durchgehend verwenden." in html and "returned by the mentor" in html


def test_only_the_mentor_may_approve_or_return(client, trainee, trainee_case, anna):
    message = send_as_trainee(client, trainee, trainee_case)
    other_mentor = mentor_with_profile("otto", ["uk"])
    # The trainee sees the case (403: may not approve their own reply); the others may not see it (404).
    for user, status in ((anna, 404), (other_mentor, 404), (trainee, 403)):
        client.force_login(user)
        assert client.post(f"/en/staff/cases/approvals/{message.pk}/approve/").status_code == status
        assert (
            client.post(f"/en/staff/cases/approvals/{message.pk}/return/", {"comment": "x"}).status_code
            == status
        )
    client.force_login(anna)
    assert client.get("/en/staff/cases/approvals/").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.reviewed_by is None
    assert REPLY not in client.get("/en/staff/cases/approvals/", follow=True).content.decode()


# --- absence ------------------------------------------------------------------------------------------


def test_an_absent_counselor_gets_no_new_case_and_the_young_person_sees_the_notice(client, anna, case):
    client.force_login(anna)
    assert client.get("/en/staff/cases/absence/").status_code == 200
    data = {"is_absent": "on", "absent_until": "", "absence_message": "Ich bin bis Montag im Urlaub."}
    assert client.post("/en/staff/cases/absence/", data).status_code == 302
    profile = CounselorProfile.objects.get(user=anna)
    assert profile.is_absent and profile.absence_message == "Ich bin bis Montag im Urlaub."

    new_case = make_case(language="de")
    assert new_case.counselor is None  # anna is the only German speaker: the case waits in the queue
    assert "Ich bin bis Montag im Urlaub." in youth_page(client, case)
    client.force_login(anna)
    assert "Ich bin bis Montag im Urlaub." in client.get(staff_url(case)).content.decode()


def test_absence_in_the_past_is_explained_and_the_message_kept(client, anna):
    client.force_login(anna)
    data = {"is_absent": "on", "absent_until": "2020-01-01", "absence_message": "Bin weg."}
    response = client.post("/en/staff/cases/absence/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please choose today or a day in the future." in html and "Bin weg." in html
    assert not CounselorProfile.objects.get(user=anna).is_absent


def test_absence_is_for_counselors(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/en/staff/cases/absence/").status_code == 403
    assert not CounselorProfile.objects.filter(user=coordinator).exists()


def test_an_ended_absence_hands_out_the_queue_and_brings_new_cases(
    client, anna, django_capture_on_commit_callbacks
):
    services.absence_set(user=anna, is_absent=True, message="weg")
    waiting = make_case(language="de")
    assert waiting.counselor is None
    client.force_login(anna)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/staff/cases/absence/", {"absence_message": ""})
    assert not CounselorProfile.objects.get(user=anna).is_absent
    waiting.refresh_from_db()
    assert waiting.counselor == anna
    assert make_case(language="de").counselor == anna


def test_an_unknown_case_is_404(client, anna):
    client.force_login(anna)
    assert client.get(f"/en/staff/cases/{uuid.uuid4()}/").status_code == 404
    assert client.post(f"/en/staff/cases/{uuid.uuid4()}/take/").status_code == 404
    assert client.post("/en/staff/cases/approvals/999999/approve/").status_code == 404
