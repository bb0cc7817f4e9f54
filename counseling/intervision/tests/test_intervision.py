"""Intervision (issue 20, part 1). The acceptance point: a counselor posts an intervision request with a
flagged name; it cannot be posted until the name is removed; a group member answers; a non-member gets
404. Around it: nothing typed is lost, the excerpt is sealed and never leads back to the case for anyone
but the requester, only the requester marks what helped, groups are set up by coordinators and mentors
(audited), meetings are for members, the mentors' page, retention, and every URL denied to a non-member,
a young person and an anonymous visitor."""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone, translation

from counseling import services as case_services
from counseling.intervision import services
from counseling.intervision.models import (
    GroupKind,
    IntervisionAnswer,
    IntervisionGroup,
    IntervisionMeeting,
    IntervisionRequest,
)
from counseling.intervision.tests.factories import EXCERPT, QUESTION, group_with, meeting_for, request_for
from counseling.models import Message, MessageStatus
from counseling.tests.factories import assign_to, counselor_with_profile, make_case, mentor_with_profile
from hub.models import AuditEntry
from hub.retention import retention_policy_set, retention_run
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
YOUTH_WORDS = "Ich heiße Leila und habe Angst, dass meine Aufenthaltserlaubnis nicht verlängert wird."
ANSWER = "Erkläre zuerst, welche Unterlagen sie braucht, und mach einen zweiten Termin aus."


@pytest.fixture(autouse=True)
def english():
    """Pages and reverse() in English, where the messages are asserted."""
    with translation.override("en"):
        yield


@pytest.fixture
def site():
    return SiteFactory(slug="essen-iv", town="Essen")


@pytest.fixture
def anna(site):
    return counselor_with_profile("counselor_anna_iv", ["de", "ar"], site=site)


@pytest.fixture
def bernd():
    return counselor_with_profile("counselor_bernd_iv", ["de"])


@pytest.fixture
def outsider():
    return counselor_with_profile("counselor_carla_iv", ["de"])


@pytest.fixture
def case(anna, site):
    youth = UserFactory(username="leila_2009", roles=[Role.YOUTH])
    return assign_to(make_case(youth=youth, site=site, body=YOUTH_WORDS), anna)


@pytest.fixture
def group(anna, bernd):
    return group_with(anna, bernd)


def new_url(case):
    return reverse("intervision:request_new", args=[case.public_id])


def post_data(group, **fields):
    return {
        "group": group.pk,
        "topic": "work",
        "language": "de",
        "excerpt": EXCERPT,
        "question": QUESTION,
        **fields,
    }


# --- acceptance -----------------------------------------------------------------------------------------


def test_a_flagged_name_blocks_posting_until_removed_then_a_member_answers_and_a_non_member_gets_404(
    client, anna, bernd, outsider, case, group
):
    client.force_login(anna)
    page = client.get(reverse("counseling_staff:case", args=[case.public_id])).content.decode()
    assert new_url(case) in page  # the case page's button

    flagged = YOUTH_WORDS + " Sie wohnt in Essen."
    response = client.post(new_url(case), post_data(group, excerpt=flagged, question="Was rätst du Leila?"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Remove or replace “Leila” (could be a name)." in html
    assert "Remove or replace “Essen” (known from this case)." in html  # the site's town
    assert "<mark>Leila</mark>" in html
    assert "Was rätst du Leila?" in html and "Sie wohnt in Essen." in html  # nothing typed is lost
    assert not IntervisionRequest.objects.exists()

    cleaned = flagged.replace("Leila", "[Name]").replace("Essen", "[Stadt]")
    response = client.post(new_url(case), post_data(group, excerpt=cleaned, question=QUESTION))
    posted = IntervisionRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{posted.public_id}/")

    client.force_login(bernd)
    url = reverse("intervision:request", args=[posted.public_id])
    page = client.get(url).content.decode()
    assert "[Name]" in page and QUESTION in page
    assert client.post(url, {"body": ANSWER}).status_code == 302
    assert services.answer_body(IntervisionAnswer.objects.get()) == ANSWER

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Ich auch"}).status_code == 404
    assert IntervisionAnswer.objects.count() == 1


def test_the_service_refuses_a_flagged_excerpt_whatever_the_form_did(anna, case, group):
    with pytest.raises(services.IdentifyingDetails) as refused:
        request_for(case, anna, group, excerpt="Sie schreibt als leila_2009 im Forum.")
    assert [flag.text for flag in refused.value.flags] == ["leila_2009"]


def test_picking_messages_puts_them_into_the_excerpt_with_their_flags(client, anna, case, group):
    client.force_login(anna)
    message = case.messages.get()
    response = client.post(
        new_url(case), {**post_data(group, excerpt=""), "messages": [message.pk], "pick": "1"}
    )
    html = response.content.decode()
    assert "Young person:\nIch heiße Leila" in html  # in the excerpt's textarea, to be edited
    assert "Remove or replace “Leila”" in html


# --- never back to the case -----------------------------------------------------------------------------


def test_members_pages_never_show_the_case_id_or_code_and_only_the_requester_gets_the_link(
    client, anna, bernd, case, group
):
    posted = request_for(case, anna, group)
    services.answer_add(request=posted, author=bernd, body=ANSWER)
    meeting = meeting_for(group)
    case_marks = [str(case.public_id), case.public_id.hex, case.public_id.hex[:8]]
    client.force_login(bernd)
    for url in [
        reverse("intervision:home"),
        reverse("intervision:request", args=[posted.public_id]),
        reverse("intervision:group", args=[group.pk]),
        reverse("intervision:meeting", args=[meeting.public_id]),
    ]:
        html = client.get(url).content.decode()
        assert not [mark for mark in case_marks if mark in html], url
    client.force_login(anna)
    html = client.get(reverse("intervision:request", args=[posted.public_id])).content.decode()
    assert reverse("counseling_staff:case", args=[case.public_id]) in html


def test_excerpt_question_and_answers_are_sealed_at_rest(anna, bernd, case, group):
    posted = request_for(case, anna, group)
    services.answer_add(request=posted, author=bernd, body=ANSWER)
    row = IntervisionRequest.objects.values("excerpt_sealed", "question_sealed").get()
    answer = IntervisionAnswer.objects.values_list("body_sealed", flat=True).get()
    assert b"Aufenthaltserlaubnis" not in bytes(row["excerpt_sealed"])
    assert b"Schritte" not in bytes(row["question_sealed"]) and b"Unterlagen" not in bytes(answer)


# --- what helped, groups, meetings -----------------------------------------------------------------------


def test_only_the_requester_marks_what_helped(client, anna, bernd, case, group):
    posted = request_for(case, anna, group)
    answer = services.answer_add(request=posted, author=bernd, body=ANSWER)
    url = reverse("intervision:answer_helped", args=[posted.public_id, answer.pk])
    client.force_login(bernd)
    assert client.post(url, {"helped": "1"}).status_code == 403
    client.force_login(anna)
    client.post(url, {"helped": "1"})
    assert IntervisionAnswer.objects.get().helped
    assert "helped" in client.get(reverse("intervision:request", args=[posted.public_id])).content.decode()


def test_coordinators_and_mentors_set_up_groups_counselors_may_not(client, anna, bernd):
    coordinator = staff_with_totp(username="coordinator_iv", roles=[Role.COORDINATOR])
    mentor = mentor_with_profile("mentor_iv")
    client.force_login(anna)
    assert client.get(reverse("intervision:groups")).status_code == 403
    client.force_login(coordinator)
    response = client.post(reverse("intervision:groups"), {"name": "Sprache Arabisch", "kind": "language"})
    assert response.status_code == 400 and "Please choose the language." in response.content.decode()
    client.post(
        reverse("intervision:groups"), {"name": "Sprache Arabisch", "kind": "language", "language": "ar"}
    )
    arabic = IntervisionGroup.objects.get(kind=GroupKind.LANGUAGE)
    client.post(reverse("intervision:group", args=[arabic.pk]), {"account": anna.pk, "add_member": "1"})
    assert list(arabic.members.values_list("user_id", flat=True)) == [anna.pk]

    client.force_login(mentor)
    client.post(reverse("intervision:groups"), {"name": "Mentorat Ost", "kind": "mentor"})
    own = IntervisionGroup.objects.get(kind=GroupKind.MENTOR)
    assert own.mentor == mentor and own.members.filter(user=mentor).exists()
    assert client.get(reverse("intervision:group", args=[arabic.pk])).status_code == 404  # not theirs
    client.post(reverse("intervision:group", args=[own.pk]), {"account": bernd.pk, "add_member": "1"})
    client.post(reverse("intervision:member_remove", args=[own.pk, bernd.pk]))
    changed = AuditEntry.objects.filter(action="intervision.changed").order_by("pk")
    actions = list(changed.values_list("detail", flat=True))
    assert actions == [
        "created", f"member {anna.pk} added", "created",
        f"member {bernd.pk} added", f"member {bernd.pk} removed",
    ]  # fmt: skip


def test_a_coordinator_who_manages_a_group_does_not_read_its_requests(client, anna, case, group):
    coordinator = staff_with_totp(username="coordinator_iv2", roles=[Role.COORDINATOR])
    posted = request_for(case, anna, group)
    client.force_login(coordinator)
    page = client.get(reverse("intervision:group", args=[group.pk]))
    assert page.status_code == 200 and str(posted.public_id) not in page.content.decode()
    assert client.get(reverse("intervision:request", args=[posted.public_id])).status_code == 404


def test_meetings_are_scheduled_by_managers_and_open_to_members_only(client, anna, outsider, group):
    coordinator = staff_with_totp(username="coordinator_iv3", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    starts = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    data = {
        "title": "Fallbesprechung",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "minutes": 90,
        "schedule": "1",
    }
    assert client.post(reverse("intervision:group", args=[group.pk]), data).status_code == 302
    meeting = IntervisionMeeting.objects.get()
    url = reverse("intervision:meeting", args=[meeting.public_id])
    client.force_login(anna)
    assert client.get(url).status_code == 200
    assert "Fallbesprechung" in client.get(reverse("intervision:home")).content.decode()
    assert client.post(reverse("intervision:group", args=[group.pk]), data).status_code == 403  # a member
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- the mentors' page -----------------------------------------------------------------------------------


def test_a_mentor_sees_their_trainees_approvals_and_the_reasons_for_returns(client, site, anna):
    mentor = mentor_with_profile("mentor_iv2")
    trainee = counselor_with_profile("trainee_iv", ["de"], trainee=True, mentor=mentor, site=site)
    other = counselor_with_profile("trainee_other_iv", ["de"], trainee=True, mentor=anna, site=site)
    case = assign_to(make_case(site=site), trainee)
    replies = [_trainee_reply(case, trainee, n) for n in range(3)]
    case_services.message_approve(message=replies[0], mentor=mentor)
    case_services.message_return(message=replies[1], mentor=mentor, comment="Bitte ohne Fachbegriffe.")
    _trainee_reply(case, other, 9)
    client.force_login(mentor)
    html = client.get(reverse("intervision:mentor")).content.decode()
    section = re.search(rf'id="trainee-{trainee.pk}".*?</section>', html, re.S).group(0)
    assert re.search(r"data-approved>1<", section) and re.search(r"data-returned>1<", section)
    assert "Bitte ohne Fachbegriffe." in section
    assert f"trainee-{other.pk}" not in html
    client.force_login(anna)
    assert f"trainee-{trainee.pk}" not in client.get(reverse("intervision:mentor")).content.decode()
    client.force_login(counselor_with_profile("plain_iv", ["de"]))
    assert client.get(reverse("intervision:mentor")).status_code == 403


def _trainee_reply(case, trainee, n):
    from counseling import sealing

    return Message.objects.create(
        case=case, author=trainee, from_staff=True, status=MessageStatus.PENDING,
        body_sealed=sealing.seal(case, f"Antwort {n}", purpose="message"),
    )  # fmt: skip


# --- retention, audit ------------------------------------------------------------------------------------


def test_requests_and_past_meetings_go_after_the_intervision_period(anna, bernd, case, group):
    coordinator = staff_with_totp(username="coordinator_iv4", roles=[Role.COORDINATOR])
    retention_policy_set(key="intervision", value=30, actor=coordinator)
    old = request_for(case, anna, group)
    services.answer_add(request=old, author=bernd, body=ANSWER)
    IntervisionRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = request_for(case, anna, group)
    past = meeting_for(group, days=-40)
    meeting_for(group)
    run = retention_run(trigger="test", keys={"intervision_requests", "intervision_meetings"})
    assert run.counts == {"intervision_requests": 1, "intervision_meetings": 1}
    assert list(IntervisionRequest.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert (
        not IntervisionAnswer.objects.exists() and not IntervisionMeeting.objects.filter(pk=past.pk).exists()
    )


def test_deleting_the_case_deletes_its_requests(anna, case, group):
    from counseling.retention import cases_remove

    request_for(case, anna, group)
    cases_remove([case.pk])
    assert not IntervisionRequest.objects.exists()


def test_opening_posting_and_answering_are_audited_by_request_never_by_case(client, anna, bernd, case, group):
    posted = request_for(case, anna, group)
    client.force_login(bernd)
    client.get(reverse("intervision:request", args=[posted.public_id]))
    client.post(reverse("intervision:request", args=[posted.public_id]), {"body": ANSWER})
    entries = AuditEntry.objects.filter(target_type="intervision_request")
    assert set(entries.values_list("action", flat=True)) == {"intervision.posted", "intervision.open"}
    assert set(entries.values_list("target_id", flat=True)) == {str(posted.public_id)}
    assert not AuditEntry.objects.filter(
        action__startswith="intervision", target_id=str(case.public_id)
    ).exists()


# --- every URL, denied ----------------------------------------------------------------------------------


def intervision_urls(posted, answer, meeting, group, case):
    """Every intervision route from the resolver, with this world's objects (a new route fails here until
    it has an argument below)."""
    args = {
        "public_id": None, "answer_id": answer.pk, "pk": group.pk, "user_id": posted.requester_id,
    }  # fmt: skip
    by_name = {
        "request_new": case.public_id,
        "request": posted.public_id,
        "answer_helped": posted.public_id,
        "meeting": meeting.public_id,
    }
    resolver = get_resolver().url_patterns
    patterns = [p for p in _flatten(resolver) if p[0].startswith("intervision:")]
    assert len(patterns) == 9
    for name, pattern in patterns:
        kwargs = {
            key: (by_name[name.split(":")[1]] if key == "public_id" else args[key])
            for key in pattern.pattern.converters
        }
        yield reverse(name, kwargs=kwargs)


def _flatten(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}{pattern.name}", pattern
        else:
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _flatten(pattern.url_patterns, inner)


@pytest.mark.parametrize("who", ["non-member", "youth", "anonymous"])
def test_every_intervision_url_gives_a_non_member_no_content(client, who, anna, bernd, case, group):
    posted = request_for(case, anna, group)
    answer = services.answer_add(request=posted, author=bernd, body=ANSWER)
    meeting = meeting_for(group)
    if who == "non-member":
        client.force_login(counselor_with_profile("counselor_dora_iv", ["de"]))
    elif who == "youth":
        client.force_login(case.youth)
    secrets = ["Aufenthaltserlaubnis", "Schritte", "Unterlagen", "Fallbesprechung", group.name]
    for url in intervision_urls(posted, answer, meeting, group, case):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            html = response.content.decode()
            assert response.status_code in (200, 302, 400, 403, 404, 405), (url, method)
            assert not [s for s in secrets if s in html], (url, method, who)
            if who == "anonymous":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            if who == "non-member" and re.search(r"/requests/|/meetings/|/groups/\d+/", url):
                assert response.status_code in (404, 405), (url, method)
    assert (
        IntervisionAnswer.objects.count() == 1 and not IntervisionAnswer.objects.filter(helped=True).exists()
    )


def test_the_requests_list_takes_a_fixed_number_of_queries(
    client, anna, bernd, case, group, django_assert_max_num_queries
):
    for _ in range(15):
        services.answer_add(request=request_for(case, anna, group), author=bernd, body=ANSWER)
        meeting_for(group)
    client.force_login(bernd)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("intervision:home")).status_code == 200


def test_a_partner_enquirys_organisation_counts_as_known_data_of_the_case():
    from counseling.partners.tests.factories import organisation_create, partner_account, partner_enquiry

    partner = partner_account("partner_iv", organisation_create("Diakonie Baden", "AL"))
    case = partner_enquiry(partner)
    flags = services.identifying_flags(
        case, "Die Klientin kam über die Diakonie Baden zu uns.", language="de"
    )
    assert [(flag.text, flag.kind) for flag in flags] == [("Diakonie Baden", "known")]
