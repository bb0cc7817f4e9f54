"""The young person's side: asking (also as a visitor who signs up inline), the thread, replies,
attachments, and the denials around them."""

import io
import uuid

import pytest
from django.core import mail
from PIL import Image

from counseling import services
from counseling.models import Attachment, Case, CounselorProfile, Message
from counseling.tests.pdfs import harmless_pdf
from hub.models import AuditEntry, User
from hub.roles import Role, user_roles
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db
PDF = harmless_pdf()


def ask_post(**overrides):
    return {
        "topic": "work",
        "language": "tr",
        "postcode": "",
        "body": "Almanya'da çıraklık için ne yapmalıyım?",
        "idempotency_key": str(uuid.uuid4()),
        **overrides,
    }


def upload(name, content, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def turkish_counselor(db):
    user = staff_with_totp(username="counselor_tr", display_name="Deniz", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=user, languages=["tr", "de"])
    return user


def test_a_visitor_asks_and_signs_up_inline_without_losing_the_text(client, turkish_counselor):
    data = ask_post(
        **{
            "account-username": "yildiz_07",
            "account-password1": "kaffee-mit-milch-7",
            "account-password2": "kaffee-mit-milch-7",
        }
    )
    response = client.post("/en/ask/", data, follow=True)
    user = User.objects.get(username="yildiz_07")
    case = Case.objects.get(youth=user)
    assert user_roles(user) == {Role.YOUTH}
    assert case.counselor == turkish_counselor
    assert "çıraklık" in response.content.decode()
    assert "You will get an answer by" in response.content.decode()


def test_a_visitors_bad_nickname_is_explained_and_the_question_stays(client):
    data = ask_post(
        **{
            "account-username": "yildiz@example.org",
            "account-password1": "kaffee-mit-milch-7",
            "account-password2": "kaffee-mit-milch-7",
        }
    )
    response = client.post("/en/ask/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "looks like an e-mail address" in body
    assert "çıraklık" in body
    assert not Case.objects.exists() and not User.objects.filter(username__startswith="yildiz").exists()


def test_a_signed_in_youth_asks_and_the_same_form_sent_twice_makes_one_case(client, youth):
    client.force_login(youth)
    data = ask_post()
    client.post("/en/ask/", data)
    client.post("/en/ask/", data)
    assert Case.objects.filter(youth=youth).count() == 1


def test_youth_b_gets_404_on_youth_as_case_and_attachment(client, youth, other_youth):
    client.force_login(youth)
    client.post("/en/ask/", ask_post(attachments=[upload("zeugnis.pdf", PDF)]))
    case = Case.objects.get(youth=youth)
    attachment = Attachment.objects.get()
    assert client.get(f"/en/attachments/{attachment.public_id}/").content == PDF
    client.force_login(other_youth)
    assert client.get(f"/en/cases/{case.public_id}/").status_code == 404
    assert client.get(f"/en/attachments/{attachment.public_id}/").status_code == 404
    assert (
        client.post(
            f"/en/cases/{case.public_id}/", {"body": "hi", "idempotency_key": str(uuid.uuid4())}
        ).status_code
        == 404
    )
    assert Message.objects.count() == 1
    assert "Almanya" not in client.get("/en/cases/").content.decode()


@pytest.mark.parametrize(
    "content",
    [b"<!DOCTYPE html><html><script>alert(1)</script></html>", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64],
    ids=["html", "executable"],
)
def test_a_pdf_that_is_really_something_else_is_refused_and_the_text_kept(client, youth, content):
    client.force_login(youth)
    response = client.post("/en/ask/", ask_post(attachments=[upload("bewerbung.pdf", content)]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a PDF, JPG, PNG or Word (DOCX) file" in body
    assert "çıraklık" in body
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_photos_lose_their_location_data_and_attachments_are_sealed(client, youth):
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (40, 30), "red").save(photo, "JPEG", exif=exif)
    client.force_login(youth)
    client.post("/en/ask/", ask_post(attachments=[upload("pass.jpg", photo.getvalue(), "image/jpeg")]))
    attachment = Attachment.objects.get()
    assert b"PhoneMaker" not in bytes(attachment.data_sealed)
    served = client.get(f"/en/attachments/{attachment.public_id}/")
    assert served["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in served.content
    assert Image.open(io.BytesIO(served.content)).getexif().get(0x010F) is None


def test_the_daily_attachment_limit_is_explained(client, youth, settings):
    settings.COUNSELING_ATTACHMENTS_PER_DAY = 1
    client.force_login(youth)
    response = client.post("/en/ask/", ask_post(attachments=[upload("a.pdf", PDF), upload("b.pdf", PDF)]))
    assert "more attachments today" in response.content.decode()
    assert not Case.objects.exists()


def test_the_thread_shows_the_counselors_pseudonym_and_the_youth_can_reply(client, youth, turkish_counselor):
    case = services.enquiry_create(youth=youth, topic="work", language="tr", body="Soru")
    services.message_send(case=case, author=turkish_counselor, body="Cevap burada")
    client.force_login(youth)
    page = client.get(f"/en/cases/{case.public_id}/").content.decode()
    assert "Deniz" in page and "Cevap burada" in page and "counselor_tr" not in page
    client.post(
        f"/en/cases/{case.public_id}/", {"body": "Teşekkürler!", "idempotency_key": str(uuid.uuid4())}
    )
    case.refresh_from_db()
    assert case.status == "open" and case.answer_due_at is not None
    assert [services.message_body(m) for m in Message.objects.filter(case=case)][-1] == "Teşekkürler!"


def test_an_empty_reply_is_explained(client, youth):
    case = services.enquiry_create(youth=youth, topic="work", language="de", body="Frage")
    client.force_login(youth)
    response = client.post(f"/en/cases/{case.public_id}/", {"body": "", "idempotency_key": str(uuid.uuid4())})
    assert "Please write your message." in response.content.decode()


def test_a_youth_with_an_address_gets_a_neutral_reply_notice(
    youth, turkish_counselor, django_capture_on_commit_callbacks
):
    youth.email = "amira@example.org"
    youth.save()
    case = services.enquiry_create(youth=youth, topic="family", language="tr", body="Soru")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(case=case, author=turkish_counselor, body="Kırmızıbalık cevap")
    notice = [m for m in mail.outbox if m.to == ["amira@example.org"]]
    assert len(notice) == 1
    text = notice[0].subject + notice[0].body
    assert "Kırmızıbalık" not in text and "Family" not in text and "Aile" not in text
    assert notice[0].from_email.startswith("Nachricht")


def test_a_network_partner_is_sent_from_the_youth_form_to_the_partner_form(client):
    """Partners ask on their own form (counseling/partners/), never as if they were a young person."""
    partner = staff_with_totp(username="partner_a", roles=[Role.NETWORK_PARTNER])
    client.force_login(partner)
    response = client.post("/de/ask/", ask_post(language="de", body="Für meine Klientin: Anerkennung?"))
    assert response.status_code == 302 and response["Location"] == "/de/partner/ask/"
    assert not Case.objects.exists()


def test_counselors_cannot_ask_as_if_they_were_young_people(client, turkish_counselor):
    client.force_login(turkish_counselor)
    assert client.post("/de/ask/", ask_post()).status_code == 403
    assert not Case.objects.exists()


def test_staff_attachment_downloads_are_audited(client, youth, turkish_counselor):
    client.force_login(youth)
    client.post("/en/ask/", ask_post(attachments=[upload("zeugnis.pdf", PDF)]))
    attachment = Attachment.objects.get()
    client.force_login(turkish_counselor)
    assert client.get(f"/en/attachments/{attachment.public_id}/").content == PDF
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (
        turkish_counselor,
        "attachment.open",
        str(Case.objects.get().public_id),
    )
    stranger = staff_with_totp(username="counselor_x", roles=[Role.COUNSELOR])
    client.force_login(stranger)
    assert client.get(f"/en/attachments/{attachment.public_id}/").status_code == 404


def test_an_encrypted_pdf_is_refused_with_a_clear_message_and_the_text_kept(client, youth):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(harmless_pdf())))
    writer.encrypt(user_password="geheim", owner_password="geheim")
    locked = io.BytesIO()
    writer.write(locked)
    client.force_login(youth)

    response = client.post("/en/ask/", ask_post(attachments=[upload("zeugnis.pdf", locked.getvalue())]))

    body = response.content.decode()
    assert response.status_code == 200 and "çıraklık" in body
    assert "“zeugnis.pdf” could not be opened" in body and "Please choose another file." in body
    assert not Case.objects.exists()


def test_a_good_file_must_be_chosen_again_when_the_form_comes_back_for_another_reason(client, youth):
    client.force_login(youth)

    response = client.post("/en/ask/", ask_post(topic="", attachments=[upload("zeugnis.pdf", PDF)]))

    body = response.content.decode()
    assert response.status_code == 200 and "çıraklık" in body
    assert "Please choose your files again" in body
    assert not Case.objects.exists()
