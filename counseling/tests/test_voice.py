"""Voice messages (counseling/voice.py): sniffed, capped and counted like attachments, sealed, played only to
who may see the case, summarised by staff who may work it, deleted with the case and in "My data"."""

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from counseling import chat, sealing, services, voice
from counseling.models import Attachment, Case, Message
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from counseling.tests.pdfs import harmless_pdf
from counseling.uploads import MAX_VOICE_BYTES, UploadRefused, inspect_upload
from hub import retention
from hub.models import AuditEntry
from hub.roles import Role
from hub.tests.factories import UserFactory
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

# The first bytes of what browsers record: Chromium/Firefox (WebM, an EBML document), Firefox (Ogg with
# Opus), Safari (MP4/M4A). The rest is filler: nothing is decoded, only recognised.
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm\x42\x87\x81\x04" + bytes(200)
MATROSKA = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + bytes(200)
OGG = b"OggS\x00\x02" + bytes(22) + b"\x01\x13OpusHead\x01\x01" + bytes(200)
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A isommp42" + bytes(200)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
THEORA_OGG = b"OggS\x00\x02" + bytes(22) + b"\x80theora" + bytes(200)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")  # pages and messages in the portal's source language (reverse() included)


def voice_file(data=WEBM, name="voice-message.webm", content_type="audio/webm"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def site():
    return SiteFactory()


@pytest.fixture
def counselor(site):
    return counselor_with_profile("vera_v", ["de"], site=site)


@pytest.fixture
def case(youth, counselor, site):
    return assign_to(make_case(youth=youth, language="de", site=site), counselor)


def reply(client, case, **data):
    """The young person's reply form on the case page."""
    fields = {"body": "", "idempotency_key": str(uuid.uuid4()), **data}
    return client.post(reverse("counseling:case", args=[case.public_id]), fields)


def send_voice(case, author, data=WEBM) -> Message:
    return services.message_send(
        case=case, author=author, body="", files=[inspect_upload(voice_file(data), voice=True)]
    )


def voice_of(case) -> Attachment:
    return Attachment.objects.select_related("message__case").get(
        message__case=case, content_type__startswith="audio/"
    )


# --- sniffing -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [(WEBM, "audio/webm", "webm"), (MATROSKA, "audio/x-matroska", "mka"), (OGG, "audio/ogg", "ogg"),
     (M4A, "audio/mp4", "m4a")],
)  # fmt: skip
def test_recordings_are_recognised_by_their_bytes_whatever_the_browser_declares(
    data, content_type, extension
):
    clean = inspect_upload(voice_file(data, name="aufnahme.bin", content_type="text/plain"), voice=True)
    assert clean.content_type == content_type
    assert clean.name == f"aufnahme.{extension}"
    assert clean.data == data  # kept byte for byte: no transcoding


@pytest.mark.parametrize(
    "data",
    [b"Hallo, das ist Text und kein Ton.\n", PNG, THEORA_OGG, b"%PDF-1.4 x", b"\x1a\x45\xdf\xa3" + bytes(60)],
)
def test_anything_else_is_not_a_voice_message(data):
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(voice_file(data, name="voice.webm"), voice=True)
    assert refused.value.code == "not_voice"


def test_an_image_renamed_webm_is_refused_with_a_message_and_the_text_stays(client, youth, case):
    client.force_login(youth)
    response = client.post(
        reverse("counseling:case", args=[case.public_id]),
        {
            "body": "Hier meine Sprachnachricht",
            "idempotency_key": str(uuid.uuid4()),
            "voice": voice_file(PNG, name="foto.webm", content_type="audio/webm"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“foto.webm” is not a voice recording we can play" in page
    assert "Hier meine Sprachnachricht" in page  # the typed text comes back
    assert not Attachment.objects.filter(message__case=case).exists()
    assert case.messages.count() == 1


def test_a_recording_over_the_size_cap_is_refused(client, youth, case):
    client.force_login(youth)
    big = WEBM + bytes(MAX_VOICE_BYTES)
    response = reply(client, case, body="Lang", voice=voice_file(big))
    assert response.status_code == 200
    assert "3 minutes" in response.content.decode()
    assert not Attachment.objects.filter(message__case=case).exists()


def test_a_recording_longer_than_three_minutes_is_refused(client, youth, case):
    client.force_login(youth)
    response = reply(client, case, body="Lang", voice=voice_file(), voice_duration=str(200_000))
    assert response.status_code == 200
    assert "longer than 3 minutes" in response.content.decode()
    assert not Attachment.objects.filter(message__case=case).exists()
    # Three minutes and a late timer tick are fine.
    response = reply(client, case, voice=voice_file(), voice_duration=str(180_900))
    assert response.status_code == 302 and voice_of(case).duration_ms == 180_900


# --- sending and storing --------------------------------------------------------------------------------


def test_a_voice_message_needs_no_text_and_is_stored_sealed_with_its_length(client, youth, case):
    client.force_login(youth)
    response = reply(client, case, voice=voice_file(), voice_duration="42400")
    assert response.status_code == 302
    stored = voice_of(case)
    assert stored.content_type == "audio/webm" and stored.duration_ms == 42400 and stored.size == len(WEBM)
    assert WEBM[:4] not in bytes(stored.data_sealed) and b"webm" not in bytes(stored.data_sealed)
    assert services.attachment_data(stored) == WEBM
    page = client.get(reverse("counseling:case", args=[case.public_id])).content.decode()
    assert reverse("counseling:voice", args=[stored.public_id]) in page
    assert "Length: 0:42" in page and "<audio controls" in page
    assert "voice-recorder.js" in page  # the recorder where the compose box is


def test_without_a_text_or_a_voice_message_the_reply_is_explained(client, youth, case):
    client.force_login(youth)
    response = reply(client, case)
    assert "Please write your message." in response.content.decode()


def test_the_counselor_replies_with_a_voice_message(client, counselor, case):
    client.force_login(counselor)
    response = client.post(
        reverse("counseling_staff:reply", args=[case.public_id]),
        {
            "body": "",
            "idempotency_key": str(uuid.uuid4()),
            "voice": voice_file(OGG, "a.ogg"),
            "voice_duration": "9000",
        },
    )
    assert response.status_code == 302
    message = Message.objects.filter(case=case, from_staff=True).get()
    assert message.attachments.get().content_type == "audio/ogg"


def test_voice_messages_count_toward_the_daily_attachment_limit(client, youth, case, settings):
    settings.COUNSELING_ATTACHMENTS_PER_DAY = 2
    client.force_login(youth)
    pdf = SimpleUploadedFile("a.pdf", harmless_pdf(), content_type="application/pdf")
    assert reply(client, case, body="Mit PDF", attachments=pdf).status_code == 302
    assert reply(client, case, voice=voice_file()).status_code == 302
    # Two used today (a file and a voice message): one more voice message is refused, the text kept.
    response = reply(client, case, body="Noch eine", voice=voice_file())
    assert response.status_code == 200
    assert "You can send 0 more attachments today" in response.content.decode()
    assert "Noch eine" in response.content.decode()
    assert Attachment.objects.filter(uploaded_by=youth).count() == 2


# --- serving --------------------------------------------------------------------------------------------


def test_the_recording_is_served_inline_with_its_sniffed_type_to_the_youth_and_the_counselor(
    client, youth, counselor, case
):
    services.message_send(
        case=case, author=youth, body="", files=[inspect_upload(voice_file(M4A, "x.mp3"), voice=True)]
    )
    url = reverse("counseling:voice", args=[voice_of(case).public_id])
    for person in (youth, counselor):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200 and response.content == M4A
        assert response["Content-Type"] == "audio/mp4"
        assert response["Content-Disposition"].startswith("inline;")
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    # Byte ranges, which Safari asks for before it plays anything.
    ranged = client.get(url, HTTP_RANGE="bytes=0-7")
    assert ranged.status_code == 206 and ranged.content == M4A[:8]
    assert ranged["Content-Range"] == f"bytes 0-7/{len(M4A)}"
    assert client.get(url, HTTP_RANGE=f"bytes={len(M4A) + 5}-").status_code == 416


def test_a_counselor_playing_a_recording_is_audited_once_not_per_byte_range(client, youth, counselor, case):
    send_voice(case, youth)
    url = reverse("counseling:voice", args=[voice_of(case).public_id])
    client.force_login(counselor)
    for byte_range in ("bytes=0-", "bytes=8-15", "bytes=16-"):
        assert client.get(url, HTTP_RANGE=byte_range).status_code == 206
    opened = AuditEntry.objects.filter(action="attachment.open", target_id=str(case.public_id))
    assert opened.count() == 1
    client.force_login(youth)
    client.get(url)
    assert opened.count() == 1  # the young person's own plays are not staff openings


def test_the_recording_is_refused_to_everyone_else(client, youth, other_youth, case, site):
    send_voice(case, youth)
    url = reverse("counseling:voice", args=[voice_of(case).public_id])
    other_counselor = counselor_with_profile("olaf_v", ["de"], site=SiteFactory())
    colleague_without_case = UserFactory(roles=[Role.ONLINE_MENTOR])
    assert client.get(url).status_code == 404  # anonymous
    for person in (other_youth, other_counselor, colleague_without_case):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    client.force_login(youth)
    # Guessing ids: an unknown one, and an ordinary attachment (the player serves voice messages only).
    assert client.get(reverse("counseling:voice", args=[uuid.uuid4()])).status_code == 404
    pdf = inspect_upload(SimpleUploadedFile("a.pdf", harmless_pdf()))
    services.message_send(case=case, author=youth, body="PDF", files=[pdf])
    document = Attachment.objects.get(message__case=case, content_type="application/pdf")
    assert client.get(reverse("counseling:voice", args=[document.public_id])).status_code == 404


def test_a_trainees_voice_reply_waiting_for_the_mentor_is_not_served_to_the_youth(client, youth, site):
    trainee = counselor_with_profile("tina_v", ["de"], site=site, trainee=True)
    case = assign_to(make_case(youth=youth, site=site), trainee)
    services.message_send(
        case=case, author=trainee, body="", files=[inspect_upload(voice_file(), voice=True)]
    )
    client.force_login(youth)
    assert client.get(reverse("counseling:voice", args=[voice_of(case).public_id])).status_code == 404


# --- the counselor's summary ----------------------------------------------------------------------------


def test_the_counselor_writes_a_sealed_summary_shown_to_staff_only(client, youth, counselor, case):
    send_voice(case, youth)
    recording = voice_of(case)
    client.force_login(counselor)
    url = reverse("counseling_staff:voice_summary", args=[recording.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "Fragt nach dem Visum für die Ausbildung."})
    assert response.status_code == 302
    recording.refresh_from_db()
    assert b"Visum" not in bytes(recording.summary_sealed)
    assert voice.voice_summary(recording) == "Fragt nach dem Visum für die Ausbildung."
    assert recording.summary_by == counselor
    staff_page = client.get(reverse("counseling_staff:case", args=[case.public_id])).content.decode()
    assert "Fragt nach dem Visum" in staff_page and "Voice message from the young person" in staff_page
    client.force_login(youth)
    youth_page = client.get(reverse("counseling:case", args=[case.public_id])).content.decode()
    assert "Fragt nach dem Visum" not in youth_page and "Your voice message" in youth_page
    # Too long: refused with the text kept; empty: the summary is removed.
    client.force_login(counselor)
    too_long = client.post(url, {"summary": "x" * (voice.SUMMARY_MAX + 1)})
    assert too_long.status_code == 400 and "x" * 100 in too_long.content.decode()
    client.post(url, {"summary": "  "})
    recording.refresh_from_db()
    assert recording.summary_sealed == b"" and recording.summary_by is None


def test_only_staff_who_may_work_the_case_write_a_summary(client, youth, other_youth, counselor, case):
    send_voice(case, youth)
    url = reverse("counseling_staff:voice_summary", args=[voice_of(case).public_id])
    lead = counselor_with_profile("lena_v", ["de"], roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=case.site)  # may open the case, may not work it
    expected = {
        youth: {302, 403, 404},  # the staff area refuses young people as a whole
        other_youth: {302, 403, 404},
        counselor_with_profile("olaf_v", ["de"], site=SiteFactory()): {404},
        lead: {403},
    }
    for person, statuses in expected.items():
        client.force_login(person)
        for method in (client.get, client.post):
            status = method(url, {"summary": "eingeschleust"} if method == client.post else None).status_code
            assert status in statuses, (person, status)
    client.logout()
    assert client.post(url, {"summary": "eingeschleust"}).status_code in {302, 404}
    assert voice_of(case).summary_sealed == b""
    client.force_login(counselor)  # and a made-up id
    missing = reverse("counseling_staff:voice_summary", args=[uuid.uuid4()])
    assert client.post(missing, {"summary": "x"}).status_code == 404


# --- live chat ------------------------------------------------------------------------------------------


@pytest.fixture
def live_chat(youth, counselor):
    started = chat.chat_start(youth=youth, language="de", topic="work")
    return chat.chat_accept(chat=started, counselor=counselor)


def chat_voice(client, live, **data):
    fields = {"client_id": str(uuid.uuid4()), "voice": voice_file(), "voice_duration": "5000", **data}
    url = reverse("counseling:chat_voice", args=[live.case.public_id])
    return client.post(url, fields, HTTP_ACCEPT="application/json")


def test_a_voice_line_in_the_chat_is_numbered_once_and_comes_back_on_resume(client, youth, live_chat):
    client.force_login(youth)
    key = str(uuid.uuid4())
    first = chat_voice(client, live_chat, client_id=key)
    assert first.status_code == 200 and first.json() == {"seq": 1}
    assert chat_voice(client, live_chat, client_id=key).json() == {"seq": 1}  # a retry is stored once
    live_chat.refresh_from_db()
    assert live_chat.last_seq == 1 and Attachment.objects.count() == 1
    [line] = chat.lines_after(live_chat, 0)
    assert line["body"] == "" and line["voice"]["length"] == "0:05"
    assert line["voice"]["url"] == reverse("counseling:voice", args=[Attachment.objects.get().public_id])
    page = client.get(reverse("counseling:chat", args=[live_chat.case.public_id])).content.decode()
    assert line["voice"]["url"] in page and "Your voice message" in page


def test_a_voice_line_is_refused_with_a_message_when_it_cannot_be_sent(client, youth, other_youth, live_chat):
    client.force_login(youth)
    refused = chat_voice(client, live_chat, voice=voice_file(b"nur Text", "x.webm"))
    assert refused.status_code == 400 and "not a voice recording" in refused.json()["error"]
    chat.chat_end(chat=live_chat, by=youth)
    ended = chat_voice(client, live_chat)
    assert ended.status_code == 400 and "not running" in ended.json()["error"]
    client.force_login(other_youth)
    assert chat_voice(client, live_chat).status_code == 404
    client.logout()
    assert chat_voice(client, live_chat).status_code == 404
    assert not Attachment.objects.exists()


def test_chat_voice_lines_count_toward_the_daily_limit(client, youth, live_chat, settings):
    settings.COUNSELING_ATTACHMENTS_PER_DAY = 1
    client.force_login(youth)
    assert chat_voice(client, live_chat).status_code == 200
    refused = chat_voice(client, live_chat)
    assert refused.status_code == 400 and "as many attachments and voice messages" in refused.json()["error"]


# --- deleted with the case, and in "My data" ------------------------------------------------------------


def test_the_retention_purge_deletes_voice_messages_with_their_case(youth, counselor, case):
    send_voice(case, youth)
    voice.voice_summary_set(attachment=voice_of(case), author=counselor, text="Zusammenfassung")
    services.case_set_status(case=case, status="closed", actor=None)
    long_ago = timezone.now() - timedelta(days=400)
    Case.objects.filter(pk=case.pk).update(closed_at=long_ago, last_message_at=long_ago)
    retention.retention_run(trigger="test")
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Attachment.objects.filter(content_type__startswith="audio/").exists()


def test_my_data_holds_the_voice_message_decrypted(client, youth, case):
    services.message_send(
        case=case, author=youth, body="", files=[inspect_upload(voice_file(OGG), voice=True)]
    )
    client.force_login(youth)
    response = client.post("/en/me/data/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    recordings = [name for name in archive.namelist() if name.endswith(".ogg")]
    assert len(recordings) == 1 and archive.read(recordings[0]) == OGG
    assert recordings[0] in archive.read("data.json").decode()


def test_a_sealed_voice_message_opens_only_with_its_own_case_key(youth, case, other_youth):
    send_voice(case, youth)
    stored = voice_of(case)
    other = make_case(youth=other_youth)
    with pytest.raises(Exception):  # noqa: B017 - KeyUnavailable: authenticated to this case only
        sealing.unseal_bytes(other, stored.data_sealed, purpose="attachment")
