"""The language of the conversation, not of whoever acts: a chat round's link and QR code are in the
round's language, and a notice mail reaches a young person in the language they last used the portal in
(`User.language`, kept by hub.privacy_middleware.UserLanguageMiddleware from every signed-in request)."""

import base64
import email
import re
import time
import uuid
from email.header import decode_header, make_header

import pytest
import zxingcpp
from django.utils import translation
from PIL import Image, ImageDraw

from counseling import services
from counseling.models import ChatRound
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from counseling.tests.test_rounds_and_video import next_tuesday_at
from hub.roles import Role
from hub.tests.factories import UserFactory


def qr_decode(data_uri: str) -> str:
    """Reads the QR code of the page back: draws the SVG's squares (qrcode's SvgPathImage writes each
    module as `Mx,yHx2Vy2H…z`) and decodes the picture with zxing-cpp."""
    svg = base64.b64decode(data_uri.split(",", 1)[1]).decode()
    size = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    scale = 10
    image = Image.new("L", (int(size * scale), int(size * scale)), 255)
    draw = ImageDraw.Draw(image)
    for x1, y1, x2, y2 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)", svg):
        box = [float(x1) * scale, float(y1) * scale, float(x2) * scale - 1, float(y2) * scale - 1]
        draw.rectangle(box, fill=0)
    (barcode,) = zxingcpp.read_barcodes(image)
    return barcode.text


@pytest.mark.django_db
def test_a_german_speaking_moderator_hands_out_an_arabic_rounds_link_in_arabic(client):
    moderator = counselor_with_profile("moderatorin_de", ["de", "ar"])
    moderator.language = "de"
    moderator.save(update_fields=["language"])
    client.force_login(moderator)
    start = next_tuesday_at(15).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "السكن", "topic": "housing", "language": "ar", "minutes": 60, "starts_at": start}
    planned_page = client.post("/de/staff/cases/rounds/", data)
    chat_round = ChatRound.objects.get()
    # The moderator's own page stays German.
    assert planned_page.url == f"/de/staff/cases/rounds/{chat_round.public_id}/"

    page = client.get(planned_page.url).content.decode()
    link = f"http://testserver/ar/rounds/{chat_round.public_id}/"
    assert f'href="{link}"' in page and 'lang="de"' in page
    qr = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', page).group(1)
    assert qr_decode(qr) == link
    # The link opens the round in Arabic for the young person.
    client.logout()
    assert 'lang="ar"' in client.get(f"/ar/rounds/{chat_round.public_id}/").content.decode()


@pytest.mark.django_db
def test_a_round_in_a_language_the_portal_does_not_speak_links_to_the_default_language(client):
    moderator = counselor_with_profile("moderator_kk", ["de"])
    start = next_tuesday_at(15)
    chat_round = ChatRound.objects.create(
        moderator=moderator, title="Qazaq", topic="work", language="kk", starts_at=start, ends_at=start
    )
    client.force_login(moderator)
    page = client.get(f"/en/staff/cases/rounds/{chat_round.public_id}/").content.decode()
    assert f'href="http://testserver/de/rounds/{chat_round.public_id}/"' in page


def _mail_text(raw: str) -> tuple[str, str]:
    message = email.message_from_string(raw)
    subject = str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    return subject, body


@pytest.mark.usefixtures("celery_worker")
def test_a_youth_who_last_wrote_in_ukrainian_gets_the_reply_notice_in_ukrainian(client, smtp_sink):
    youth = UserFactory(roles=[Role.YOUTH], email="olena@example.org", language="de")
    case = assign_to(make_case(youth=youth, language="de"), counselor_with_profile("berater_uk", ["de"]))
    client.force_login(youth)
    client.post(f"/uk/cases/{case.public_id}/", {"body": "Дякую!", "idempotency_key": str(uuid.uuid4())})
    youth.refresh_from_db()
    assert youth.language == "uk"

    services.message_send(case=case, author=case.counselor, body="Gern geschehen.")  # the reply: a notice
    deadline = time.monotonic() + 20
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [message["to"] for message in smtp_sink.messages] == [["olena@example.org"]]
    subject, body = _mail_text(smtp_sink.messages[0]["data"])
    with translation.override("uk"):
        assert subject == translation.gettext("You have a new message")
        assert translation.gettext("For your privacy this mail does not contain the message.") in body
    assert subject != "Du hast eine neue Nachricht" and f"/uk/cases/{case.public_id}/" in body
