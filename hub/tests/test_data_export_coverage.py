""" "My data" leaves nothing out: every relation of every installed model to the user model (and to the
person's own cases, whose rows are theirs too) is found by introspection, and each is either exported –
a row is created for it and must show up in data.json – or listed below with the reason it is not the
person's data. A new model with a user relation fails here until someone decides which it is; an
exclusion whose relation no longer exists fails too (the list cannot go stale)."""

import io
import json
import uuid
import zipfile
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Rows pointing at these are the person's own data as well (a counselor's reply in their case).
CONTAINERS = {"counseling.Case"}

STAFF_ONLY = "a staff account's data; staff cannot use My data (403) and no young person has such rows"
EXCLUDED: dict[tuple[str, str], str] = {
    # Young people's data that is deliberately not in the export.
    ("counseling.InternalNote", "case"): "the counselors' working notes, not shown in the portal either",
    ("counseling.CaseEvent", "case"): "the counselors' work log (assignment, handover, reminders); "
    "the case's status and dates are exported",
    ("counseling.Case_labels", "case"): "the counselors' internal labels",
    ("counseling.Chat", "ended_by"): "who ended a live chat; the chat's times are exported with the case",
    ("counseling.CaseEvent", "actor"): "who acted in the work log (see CaseEvent.case)",
    ("hub.AuditEntry", "actor"): "the staff read log; a young person's own download is recorded without "
    "who made it, so no entry of theirs carries them",
    ("hub.User_user_permissions", "user"): "permissions are granted to staff accounts only",
    # Staff accounts and the CMS.
    ("hub.StaffInvitation", "invited_by"): STAFF_ONLY,
    ("hub.StaffInvitation", "accepted_by"): STAFF_ONLY,
    ("hub.RetentionPolicy", "changed_by"): STAFF_ONLY,
    ("counseling.CounselorProfile", "user"): STAFF_ONLY,
    ("counseling.CounselorProfile", "mentor"): STAFF_ONLY,
    ("counseling.Case", "counselor"): STAFF_ONLY,
    ("counseling.Case", "handed_over_from"): STAFF_ONLY + " (routing keeps the case from going back to them)",
    ("counseling.Case", "opened_by"): STAFF_ONLY + " (a network partner asking for a client abroad)",
    ("counseling.Message", "reviewed_by"): STAFF_ONLY,
    ("counseling.Attachment", "summary_by"): STAFF_ONLY
    + " (who wrote a voice message's summary for the record: staff only, like internal notes)",
    ("counseling.InternalNote", "author"): STAFF_ONLY,
    ("counseling.CaseEvent", "counselor"): STAFF_ONLY,
    ("counseling.CallbackRequest", "taken_by"): STAFF_ONLY,
    ("counseling.ChatRound", "moderator"): STAFF_ONLY,
    ("counseling.CaseTombstone", "counselor"): STAFF_ONLY,
    ("partners.PartnerMembership", "user"): STAFF_ONLY + " (a network partner's organisation)",
    ("partners.PartnerEnquiry", "referred_by"): STAFF_ONLY,
    ("partners.PartnerEnquiry", "case"): "a network partner's enquiry for a client: such a case has no young "
    "person, and partner accounts are staff accounts",
    ("counseling.CaseRead", "user"): STAFF_ONLY + " (when a staff member last opened a case)",
    (
        "intervision.IntervisionRequest",
        "case",
    ): "a counselor's anonymised excerpt for colleagues (names, places "
    "and numbers removed before posting); deleted with the case",
    ("intervision.IntervisionRequest", "requester"): STAFF_ONLY,
    ("intervision.IntervisionAnswer", "author"): STAFF_ONLY,
    ("intervision.IntervisionMember", "user"): STAFF_ONLY,
    ("intervision.IntervisionGroup", "mentor"): STAFF_ONLY,
    ("intervision.IntervisionGroup", "created_by"): STAFF_ONLY,
    ("intervision.IntervisionMeeting", "created_by"): STAFF_ONLY,
    ("counseling.CaseRead", "case"): "when staff last opened the case: their inbox's unread mark",
    ("forum.Post", "moderated_by"): STAFF_ONLY,
    ("forum.WatchedWord", "created_by"): STAFF_ONLY,
    ("forum.ModerationAction", "actor"): STAFF_ONLY,
    ("forum.CaseInvitation", "counselor"): STAFF_ONLY,
    ("learning.Enrolment", "user"): STAFF_ONLY + " (staff training)",
    ("learning.Certificate", "user"): STAFF_ONLY + " (staff training)",
    ("learning.StandardConfirmation", "user"): STAFF_ONLY,
    # Digital streetwork (issue 20): online mentors' records and the staff's office hour.
    ("campaigns.SocialSpace", "recorded_by"): STAFF_ONLY + " (a place, never a person)",
    ("campaigns.OfficeHours", "host"): STAFF_ONLY,
    ("campaigns.OfficeHourBooking", "host"): STAFF_ONLY,
    ("campaigns.OfficeHourBooking", "booked_by"): STAFF_ONLY,
    ("guardian.UserObjectPermission", "user"): STAFF_ONLY,
    ("wagtailusers.UserProfile", "user"): STAFF_ONLY + " (CMS)",
    ("wagtaildocs.Document", "uploaded_by_user"): STAFF_ONLY + " (CMS)",
    ("wagtailimages.Image", "uploaded_by_user"): STAFF_ONLY + " (CMS)",
    ("wagtailadmin.EditingSession", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailadmin.FormState", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.APIToken", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.ModelLogEntry", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.Revision", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.UploadedFile", "uploaded_by_user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.WorkflowState", "requested_by"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.TaskState", "finished_by"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.Page", "locked_by"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.Page", "owner"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.PageLogEntry", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.Comment", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.Comment", "resolved_by"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.CommentReply", "user"): STAFF_ONLY + " (CMS)",
    ("wagtailcore.PageSubscription", "user"): STAFF_ONLY + " (CMS)",
}


def relations_to_the_person() -> set[tuple[str, str]]:
    """(model label, field name) of every concrete relation to the user model or to a container, on the
    model that declares it (inherited fields count once, on the parent)."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.many_to_many or field.model is not model:
                continue  # many-to-many fields are found as their through models' foreign keys
            target = field.related_model._meta.label
            if target == settings.AUTH_USER_MODEL or target in CONTAINERS:
                found.add((model._meta.label, field.name))
    return found


# --- one row per exported relation, and what data.json must then hold ----------------------------------


def _case(youth, body="Frage zur Anerkennung AX1"):
    from counseling.tests.factories import make_case

    return make_case(youth=youth, body=body)


def _counselor():
    from counseling.tests.factories import counselor_with_profile

    return counselor_with_profile(f"c_{uuid.uuid4().hex[:6]}", ["de"])


def _roles(youth):
    return '"youth"'  # everyone's export says it: not checked against another person's below


def _email(youth):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=youth, email="hinweis-ax2@example.org")
    return "hinweis-ax2@example.org"


def _authenticator(youth):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=youth, type="totp", data={"secret": "NEVER-EXPORTED-SECRET"})
    return "TOTP"


def _appointment(youth):
    from sites.models import Appointment
    from sites.tests.factories import SiteFactory

    start = timezone.now() + timedelta(days=3)
    Appointment.objects.create(
        site=SiteFactory(name="JMD Standort AX3"),
        youth=youth,
        mode="on_site",
        language="de",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        idempotency_key=uuid.uuid4(),
    )
    return "JMD Standort AX3"


def _group(youth):
    from sites import groups
    from sites.tests.factories import SiteFactory
    from sites.tests.test_groups import NOW, make_offer

    offer = make_offer(SiteFactory())
    groups.group_join(offer=offer, youth=youth, pseudonym="Gruppenname AX4", now=NOW)
    return "Gruppenname AX4"


def _own_case(youth):
    _case(youth, body="Meine erste Frage AX5")
    return "Meine erste Frage AX5"


def _own_message(youth):
    from counseling import services

    services.message_send(case=_case(youth), author=youth, body="Meine Nachfrage AX6")
    return "Meine Nachfrage AX6"


def _reply_in_my_case(youth):
    from counseling import routing, services

    case, counselor = _case(youth), _counselor()
    routing.assign(case, counselor)
    services.message_send(case=case, author=counselor, body="Antwort der Beraterin AX7")
    return "Antwort der Beraterin AX7"


def _attachment(youth):
    from counseling.tests.factories import make_case
    from counseling.uploads import CleanFile

    pdf = CleanFile(name="Zeugnis-AX8.pdf", content_type="application/pdf", data=b"%PDF-1.4 AX8")
    make_case(youth=youth, body="Mit Anhang", files=[pdf])
    return "Zeugnis-AX8.pdf"


def _callback(youth):
    from counseling import callbacks

    callbacks.callback_request(
        youth=youth, phone_e164="+491761239988", language="de", topic="money", slots=[timezone.now()]
    )
    return "1761239988"


def _chat(youth):
    from counseling.models import Chat

    Chat.objects.create(case=_case(youth))
    return '"requested":'


def _round_participant(youth):
    from counseling import rounds
    from counseling.tests.test_rounds_and_video import open_round

    rounds.round_join(chat_round=open_round(_counselor()), user=youth, pseudonym="Rundenname AX9")
    return "Rundenname AX9"


def _round_line(youth):
    from counseling import rounds
    from counseling.tests.test_rounds_and_video import open_round

    chat_round = open_round(_counselor())
    rounds.round_join(chat_round=chat_round, user=youth, pseudonym="Sprecherin")
    rounds.round_post(
        chat_round=chat_round, author=youth, body="Meine Zeile in der Runde AX10", client_id=uuid.uuid4()
    )
    return "Meine Zeile in der Runde AX10"


def _forum_profile(youth):
    from counseling.forum.models import ForumProfile

    ForumProfile.objects.create(user=youth, pseudonym="Forumname-AX11")
    return "Forumname-AX11"


def _thread(youth):
    from counseling.forum.tests.factories import published_thread

    published_thread(author=youth, title="Mein Thema AX12", body="Meine Frage im Forum AX12")
    return "Mein Thema AX12"


def _post(youth):
    from counseling.forum.tests.factories import published_reply, published_thread

    published_reply(published_thread(), author=youth, body="Meine Antwort im Forum AX13")
    return "Meine Antwort im Forum AX13"


def _watch(youth):
    from counseling.forum import services
    from counseling.forum.tests.factories import published_thread

    thread = published_thread(title="Beobachtetes Thema AX14")
    services.watch_set(thread=thread, user=youth, watching=True)
    return "Beobachtetes Thema AX14"


def _report(youth):
    from counseling.forum import services
    from counseling.forum.tests.factories import published_reply, published_thread

    post = published_reply(published_thread(title="Gemeldetes Thema"), body="gemein")
    services.report_create(post=post, reporter=youth, reason="bullying", comment="Meine Meldung AX15")
    return "Meine Meldung AX15"


def _invitation(youth):
    from counseling.forum.models import CaseInvitation

    CaseInvitation.objects.create(youth=youth, counselor=_counselor(), message="Einladung an dich AX16")
    return "Einladung an dich AX16"


def _interview_run(youth):
    from learning.models import InterviewRun

    InterviewRun.objects.create(youth=youth, language="en", path=["a", "a"], good_answers=2)
    return "Hello, welcome! Please tell us a little about yourself."


def _push_device(youth):
    from datetime import datetime

    from hub import sealed
    from hub.models import PushSubscription

    when = datetime(2001, 2, 3, 12, tzinfo=timezone.get_current_timezone())
    PushSubscription.objects.create(
        user=youth, public_id=uuid.uuid4(), wrapped_key=sealed.new_wrapped_key(), language="uk",
        endpoint_sealed=b"x", keys_sealed=b"x", created_at=when, last_used_at=when,
    )  # fmt: skip
    return "uk (2001-02-03, 2001-02-03)"


EXPORTED: dict[tuple[str, str], Callable] = {
    ("hub.User_groups", "user"): _roles,
    ("account.EmailAddress", "user"): _email,
    ("mfa.Authenticator", "user"): _authenticator,
    ("sites.Appointment", "youth"): _appointment,
    ("sites.GroupParticipation", "youth"): _group,
    ("counseling.Case", "youth"): _own_case,
    ("counseling.Message", "author"): _own_message,
    ("counseling.Message", "case"): _reply_in_my_case,
    ("counseling.Attachment", "uploaded_by"): _attachment,
    ("counseling.CallbackRequest", "case"): _callback,
    ("counseling.Chat", "case"): _chat,
    ("counseling.RoundParticipant", "user"): _round_participant,
    ("counseling.RoundMessage", "author"): _round_line,
    ("forum.ForumProfile", "user"): _forum_profile,
    ("forum.Thread", "author"): _thread,
    ("forum.Post", "author"): _post,
    ("forum.ThreadWatch", "user"): _watch,
    ("forum.Report", "reporter"): _report,
    ("forum.CaseInvitation", "youth"): _invitation,
    ("learning.InterviewRun", "youth"): _interview_run,
    ("hub.PushSubscription", "user"): _push_device,
}


def test_every_relation_to_the_person_is_exported_or_excluded_with_a_reason():
    found = relations_to_the_person()
    assert not EXPORTED.keys() & EXCLUDED.keys()
    assert sorted(found - EXPORTED.keys() - EXCLUDED.keys()) == [], (
        "decide: export it, or exclude with a reason"
    )
    assert sorted((EXPORTED.keys() | EXCLUDED.keys()) - found) == [], "stale: the relation no longer exists"


def export_of(client, person) -> tuple[str, bytes]:
    client.force_login(person)
    response = client.post("/en/me/data/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    return archive.read("data.json").decode(), everything


@pytest.mark.parametrize("relation", sorted(EXPORTED), ids="{0[0]}.{0[1]}".format)
def test_the_export_holds_the_row(client, youth, relation):
    someone_else = UserFactory(roles=["youth"])
    marker = EXPORTED[relation](youth)
    data, everything = export_of(client, youth)
    json.loads(data)
    assert marker in data or marker.encode() in everything
    assert b"NEVER-EXPORTED-SECRET" not in everything
    # ...and the same row is not in another person's export.
    other_data, _ = export_of(client, someone_else)
    assert marker not in other_data or relation == ("hub.User_groups", "user")
