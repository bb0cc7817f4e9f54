"""Feedback after a closed case (issue 21, part 3): the young person answers once, anonymously; coordinators
and site leads read suppressed counts and, after the delay, the free texts without any case reference;
counselors read nothing of it; the retention purge deletes it."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from counseling import chat, feedback, sealing, services
from counseling.feedback_models import CaseFeedback
from counseling.models import Case, CaseStatus
from counseling.tests.factories import make_case
from hub import retention, statistics
from hub.roles import Role
from hub.sealed import SealedField
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
TEXT = "Die Beraterin hat mir sehr geholfen, danke für die Geduld!"
ANSWERS = {"feedback-helped": "yes", "feedback-come_back": "maybe", "feedback-text": TEXT}


def closed_case(youth, site=None, **kwargs):
    case = make_case(youth=youth, site=site, **kwargs)
    return services.case_set_status(case=case, status=CaseStatus.CLOSED, actor=None)


def feedback_url(case):
    return reverse("counseling:case_feedback", args=[case.public_id])


def in_english(url):
    return "/en/" + url.split("/", 2)[2]


def add_feedback(
    n, *, month, site=None, channel="mail", language="de", helped="yes", come_back="yes", text=""
):
    """Rows as feedback_give writes them, for months other than this one."""
    for _ in range(n):
        row = CaseFeedback(
            wrapped_key=sealing.new_wrapped_key(),
            site_ref=site.pk if site else None,
            channel=channel,
            language=language,
            month=month,
            helped=helped,
            come_back=come_back,
        )
        if text:
            row.text = sealing.seal(row, text, purpose=feedback.TEXT_PURPOSE)
        row.save()


# --- the young person's side -------------------------------------------------------------------------------


def test_an_open_case_shows_no_questions_and_refuses_answers(client, youth):
    case = make_case(youth=youth)
    client.force_login(youth)
    page = client.get(reverse("counseling:case", args=[case.public_id]))
    assert feedback_url(case) not in page.content.decode()
    response = client.post(in_english(feedback_url(case)), ANSWERS, follow=True)
    assert "once the conversation is closed" in response.content.decode()
    assert not CaseFeedback.objects.exists()
    assert not Case.objects.get(pk=case.pk).feedback_given


def test_after_closing_the_young_person_answers_once_and_the_answer_has_no_link_to_the_case(client, youth):
    site = SiteFactory()
    case = closed_case(youth, site=site, language="tr")
    client.force_login(youth)
    page = client.get(reverse("counseling:case", args=[case.public_id])).content.decode()
    assert f'action="{feedback_url(case)}"' in page and 'name="feedback-helped"' in page

    response = client.post(feedback_url(case), ANSWERS)

    assert response.status_code == 302
    row = CaseFeedback.objects.get()
    today = timezone.localdate()
    assert (row.site_ref, row.channel, row.language) == (site.pk, "mail", "tr")
    assert row.month == date(today.year, today.month, 1)
    assert (row.helped, row.come_back) == ("yes", "maybe")
    assert TEXT.encode() not in bytes(row.text)  # sealed at rest
    assert feedback.feedback_text(row) == TEXT
    assert Case.objects.get(pk=case.pk).feedback_given
    after = client.get(reverse("counseling:case", args=[case.public_id])).content.decode()
    assert feedback_url(case) not in after


def test_the_answer_row_holds_nothing_that_leads_back():
    """By introspection: no relation, no time of day or date beyond the month, a random key."""
    fields = CaseFeedback._meta.concrete_fields
    assert not [f.name for f in fields if f.is_relation]
    assert not [f.name for f in fields if f.get_internal_type() == "DateTimeField"]
    assert {f.name for f in fields if f.get_internal_type() == "DateField"} == {"month"}
    assert CaseFeedback._meta.pk.get_internal_type() == "UUIDField"
    assert not CaseFeedback._meta.ordering


def test_answering_twice_is_refused(client, youth):
    case = closed_case(youth)
    client.force_login(youth)
    client.post(feedback_url(case), ANSWERS)
    response = client.post(in_english(feedback_url(case)), {**ANSWERS, "feedback-helped": "no"}, follow=True)
    assert "already answered" in response.content.decode()
    assert CaseFeedback.objects.count() == 1
    with pytest.raises(feedback.FeedbackRefused):
        feedback.feedback_give(case=Case.objects.get(pk=case.pk), user=youth, helped="no", come_back="no")


def test_a_reopened_and_closed_again_case_is_not_asked_again(client, youth):
    case = closed_case(youth)
    client.force_login(youth)
    client.post(feedback_url(case), ANSWERS)
    case = Case.objects.get(pk=case.pk)
    services.case_set_status(case=case, status=CaseStatus.OPEN, actor=None)
    services.case_set_status(case=case, status=CaseStatus.CLOSED, actor=None)
    page = client.get(reverse("counseling:case", args=[case.public_id])).content.decode()
    assert feedback_url(case) not in page


def test_another_young_person_cannot_answer_for_a_case_not_theirs(client, youth, other_youth):
    case = closed_case(youth)
    client.force_login(other_youth)
    assert client.get(feedback_url(case)).status_code == 404
    assert client.post(feedback_url(case), ANSWERS).status_code == 404
    assert not CaseFeedback.objects.exists()
    assert not Case.objects.get(pk=case.pk).feedback_given


def test_staff_of_the_case_cannot_answer_for_the_young_person(client, youth):
    counselor = staff_with_totp(roles=[Role.COUNSELOR])
    case = closed_case(youth)
    case.counselor = counselor
    case.save(update_fields=["counselor"])
    client.force_login(counselor)
    assert client.post(feedback_url(case), ANSWERS).status_code == 404
    assert not CaseFeedback.objects.exists()


def test_contact_details_in_the_text_are_refused_with_a_message_and_nothing_typed_is_lost(client, youth):
    case = closed_case(youth)
    client.force_login(youth)
    text = "Schreib mir auf insta: lena_09 oder ruf an 0176 12345678"
    response = client.post(in_english(feedback_url(case)), {**ANSWERS, "feedback-text": text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please take out the phone number" in page
    assert "lena_09" in page and "0176 12345678" in page
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', page)
    assert not CaseFeedback.objects.exists() and not Case.objects.get(pk=case.pk).feedback_given


def test_missing_answers_are_a_translated_form_error(client, youth):
    case = closed_case(youth)
    client.force_login(youth)
    response = client.post(in_english(feedback_url(case)), {"feedback-text": TEXT})
    assert response.status_code == 400
    assert "Please choose an answer." in response.content.decode()
    assert TEXT in response.content.decode()


def test_a_chat_that_ended_asks_too_and_counts_as_live_chat(client, youth):
    live = chat.chat_start(youth=youth, language="ar", topic="work")
    chat.chat_end(chat=live, by=youth)
    client.force_login(youth)
    assert client.post(feedback_url(live.case), ANSWERS).status_code == 302
    assert CaseFeedback.objects.get().channel == statistics.Channel.CHAT


def test_the_free_text_is_sealed_and_found_by_the_key_rotation_introspection():
    sealed = [f for f in CaseFeedback._meta.concrete_fields if isinstance(f, SealedField)]
    assert [f.name for f in sealed] == ["text"]


# --- the results ------------------------------------------------------------------------------------------


@pytest.fixture
def results_url():
    return reverse("hub:feedback_results")


def last_year_month(month):
    return date(timezone.localdate().year - 1, month, 1)


def test_the_coordinators_see_the_answers_given_after_closing_without_any_case_reference(
    client, youth, coordinator, results_url
):
    """The acceptance point: answers of closed cases appear in the coordinator's view, and its HTML holds
    no case id or code."""
    site = SiteFactory()
    cases = [closed_case(UserFactory(roles=[Role.YOUTH]), site=site) for _ in range(5)]
    for case in cases:
        client.force_login(case.youth)
        client.post(feedback_url(case), ANSWERS)
    client.force_login(coordinator)
    page = client.get(results_url, {"year": timezone.localdate().year, "by": "site"}).content.decode()
    assert re.search(rf"<th scope=\"row\">{re.escape(str(site))}</th><td>5</td><td>5</td>", page)
    for case in cases:
        references = (str(case.public_id), case.public_id.hex, case.public_id.hex[:8], f"/cases/{case.pk}/")
        assert not [reference for reference in references if reference in page]
    for row in CaseFeedback.objects.all():
        assert str(row.public_id) not in page


def test_counts_below_five_are_suppressed_and_cannot_be_worked_out(client, coordinator, results_url):
    site = SiteFactory()
    add_feedback(9, month=last_year_month(3), site=site, helped="yes")
    add_feedback(2, month=last_year_month(3), site=site, helped="no")
    client.force_login(coordinator)
    response = client.get(results_url, {"year": last_year_month(3).year, "month": 3})
    table = response.context["table"]
    row = table.rows[0]
    assert row.cells["answers"].shown == "11"
    assert row.cells["helped_no"].shown == "< 5"
    # The answers add up: a single hidden answer would be 11 - 9, so the 9 is hidden as well.
    assert row.cells["helped_yes"].hidden == statistics.Hidden.SECONDARY
    assert "&lt; 5" in response.content.decode()


def test_a_small_site_shows_less_than_five_and_a_site_lead_sees_only_their_sites(client, results_url):
    own, other = SiteFactory(), SiteFactory()
    lead = staff_with_totp(roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=own)
    add_feedback(3, month=last_year_month(5), site=own)
    add_feedback(40, month=last_year_month(5), site=other, text="Hat geholfen, sehr nett.")
    client.force_login(lead)
    response = client.get(results_url, {"year": last_year_month(5).year, "by": "site"})
    assert response.status_code == 200
    labels = [row.label for row in response.context["table"].rows]
    assert labels == [str(own)]
    assert response.context["table"].total.cells["answers"].shown == "< 5"
    # Asking for the other site by its id changes nothing: it is not among the choices.
    asked = client.get(results_url, {"year": last_year_month(5).year, "by": "site", "site_ref": other.pk})
    assert [row.label for row in asked.context["table"].rows] == [str(own)]
    assert "Hat geholfen" not in asked.content.decode()


def test_counselors_and_young_people_see_nothing_of_the_results(client, counselor, youth, results_url):
    client.force_login(counselor)
    assert client.get(results_url).status_code == 403
    client.force_login(youth)
    assert client.get(results_url).status_code in (403, 404)
    assert feedback.feedback_scope(counselor) is False


def test_free_texts_show_only_after_the_end_of_their_month_plus_thirty_days(coordinator):
    today = date(2026, 12, 6)
    add_feedback(6, month=date(2026, 11, 1), text="Neu und noch zu frisch.")
    add_feedback(6, month=date(2026, 10, 1), text="Alt genug zum Lesen.")
    texts = feedback.feedback_texts(None, year=2026, today=today).texts
    assert "Alt genug zum Lesen." in texts and "Neu und noch zu frisch." not in texts
    # November's end plus 30 days: from 31 December on.
    fresh = "Neu und noch zu frisch."
    assert fresh not in feedback.feedback_texts(None, year=2026, today=date(2026, 12, 30)).texts
    assert fresh in feedback.feedback_texts(None, year=2026, today=date(2026, 12, 31)).texts


def test_free_texts_are_held_back_while_fewer_than_five_answers_are_old_enough(
    client, coordinator, results_url
):
    add_feedback(4, month=last_year_month(2), text="Nur vier Antworten hier.")
    client.force_login(coordinator)
    page = client.get(in_english(results_url), {"year": last_year_month(2).year}).content.decode()
    assert "Nur vier Antworten hier." not in page
    assert "old enough" in page
    add_feedback(1, month=last_year_month(2))
    page = client.get(results_url, {"year": last_year_month(2).year}).content.decode()
    assert page.count("Nur vier Antworten hier.") == 4


def test_the_results_page_reads_in_a_fixed_number_of_queries(
    client, coordinator, results_url, django_assert_max_num_queries
):
    sites = [SiteFactory() for _ in range(6)]
    for site in sites:
        add_feedback(6, month=last_year_month(4), site=site, text="Danke!")
    client.force_login(coordinator)
    with django_assert_max_num_queries(25):
        response = client.get(results_url, {"year": last_year_month(4).year, "by": "site"})
    assert response.status_code == 200 and len(response.context["texts"].texts) == 36


# --- retention --------------------------------------------------------------------------------------------


def test_the_retention_purge_deletes_feedback_after_the_coordinator_set_period(coordinator):
    now = timezone.now()
    old = timezone.localdate(now - timedelta(days=800)).replace(day=1)
    add_feedback(2, month=old)
    add_feedback(1, month=timezone.localdate(now).replace(day=1))
    counts = retention.retention_run(trigger="test", keys=["case_feedback"], now=now).counts
    assert counts == {"case_feedback": 2} and CaseFeedback.objects.count() == 1

    add_feedback(1, month=timezone.localdate(now - timedelta(days=200)).replace(day=1))
    retention.retention_policy_set(key="case_feedback", value=90, actor=coordinator)
    counts = retention.retention_run(trigger="test", keys=["case_feedback"], now=now).counts
    assert counts == {"case_feedback": 1}
