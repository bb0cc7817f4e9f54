"""QR codes, short links and reach counted without tracking people."""

import io
import re

import pytest
import zxingcpp
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from PIL import Image, ImageDraw

from campaigns.models import ReachCount, ReachKind
from campaigns.tests.factories import campaign_create, channel_create
from counseling.models import Case
from hub.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return campaign_create(
        language="ar",
        title_ar="جديد في ألمانيا؟",
        slug_ar="jadid",
        message_ar="<p>نحن نساعدك مجانًا.</p>",
    )


@pytest.fixture
def poster(campaign):
    return channel_create(campaign, kind="poster", name="Plakat Berlin")


def decode_png(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert len(results) == 1
    return results[0].text


def rasterize_svg(svg: bytes, scale: int = 8) -> Image.Image:
    """qrcode's SVG path is one unit square per dark module: draw them to read the code back."""
    text = svg.decode()
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', text).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, x2, y2 in re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", text):
        draw.rectangle([int(x) * scale, int(y) * scale, int(x2) * scale - 1, int(y2) * scale - 1], fill=0)
    return image


def test_qr_codes_decode_to_the_channels_short_link_on_the_requests_host(
    client, coordinator, poster, settings
):
    settings.ALLOWED_HOSTS = ["jmd-digital-hub.de"]
    client.force_login(coordinator)
    on_host = {"HTTP_HOST": "jmd-digital-hub.de", "secure": True}
    png = client.get(f"/de/staff/campaigns/channels/{poster.pk}/qr.png", **on_host)
    assert png["Content-Type"] == "image/png"
    assert decode_png(png.content) == f"https://jmd-digital-hub.de/c/{poster.code}"
    svg = client.get(f"/de/staff/campaigns/channels/{poster.pk}/qr.svg?download=1", **on_host)
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == f'attachment; filename="qr-{poster.code}.svg"'
    buffer = io.BytesIO()
    rasterize_svg(svg.content).save(buffer, format="PNG")
    assert decode_png(buffer.getvalue()) == f"https://jmd-digital-hub.de/c/{poster.code}"


def test_qr_codes_are_for_coordinators_only(client, counselor, youth, poster):
    client.force_login(counselor)
    assert client.get(f"/de/staff/campaigns/channels/{poster.pk}/qr.png").status_code == 403
    client.force_login(youth)
    assert client.get(f"/de/staff/campaigns/channels/{poster.pk}/qr.png").status_code == 403


def _landing_and_ask(client, code: str, *, username: str):
    """A visitor follows the short link, clicks "ask a question" and asks, signing up on the way."""
    response = client.get(f"/c/{code}")
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 200
    ask_url = re.search(r'href="([^"]*/ask/\?ref=[^"]+)"', landing.content.decode()).group(1)
    form = client.get(ask_url)
    assert f'name="ref" value="{code}"' in form.content.decode()
    answer = client.post(
        ask_url,
        {
            "ref": code,
            "topic": "work",
            "language": "ar",
            "body": "كيف أجد مكان تدريب مهني؟",
            "idempotency_key": "3f2b8c1e-1111-4a4a-9b9b-000000000001"
            if username == "salma_1"
            else "3f2b8c1e-1111-4a4a-9b9b-000000000002",
            "account-username": username,
            "account-password1": "kaffee-mit-milch-7",
            "account-password2": "kaffee-mit-milch-7",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return response


def test_following_the_link_and_signing_up_counts_exactly_the_campaign_channel_counters(
    client, campaign, poster
):
    other_channel = channel_create(campaign, kind="instagram", name="Reel 1")
    other_campaign = campaign_create(title_de="Ausbildung", slug="ausbildung")
    channel_create(other_campaign, kind="tiktok", name="Clip")

    response = _landing_and_ask(client, poster.code, username="salma_1")
    assert response["Location"] == f"/ar/campaigns/jadid/?ref={poster.code}"

    counts = {(row.channel_id, row.language, row.kind): row.count for row in ReachCount.objects.all()}
    assert counts == {
        (poster.pk, "ar", ReachKind.LANDING): 1,
        (poster.pk, "ar", ReachKind.SIGNUP): 1,
        (poster.pk, "ar", ReachKind.ENQUIRY): 1,
    }
    assert not ReachCount.objects.filter(channel=other_channel).exists()
    assert Case.objects.count() == 1

    # A second person: the same three rows count on; no row per person appears.
    client.logout()
    _landing_and_ask(client, poster.code, username="salma_2")
    assert ReachCount.objects.count() == 3
    assert set(ReachCount.objects.values_list("count", flat=True)) == {2}


def test_the_database_holds_no_per_person_record_of_the_referral(client, poster):
    _landing_and_ask(client, poster.code, username="salma_1")
    # The counter rows carry no person: no user, no address, no session – only what is aggregated.
    assert {field.name for field in ReachCount._meta.get_fields()} == {
        "id",
        "campaign",
        "channel",
        "language",
        "day",
        "kind",
        "count",
    }
    # The code is stored nowhere but on the channel itself: not with the user, the case or the session.
    holders = []
    for model in apps.get_models():
        for field in model._meta.fields:
            text = isinstance(field, models.CharField | models.TextField) and not field.choices
            if text and model.objects.filter(**{f"{field.name}__contains": poster.code}).exists():
                holders.append(f"{model._meta.label}.{field.name}")
    assert holders == ["campaigns.Channel.code"]
    for session in Session.objects.all():
        assert poster.code not in str(session.get_decoded())
    user = User.objects.get(username="salma_1")
    assert poster.code not in str(user.__dict__)


def test_short_link_and_landing_page_set_no_cookies(client, poster):
    response = client.get(f"/c/{poster.code}")
    assert not response.cookies
    landing = client.get(response["Location"])
    assert not landing.cookies
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]


def test_a_second_click_on_the_short_link_counts_on_the_same_row(client, poster):
    client.get(f"/c/{poster.code}")
    client.get(f"/c/{poster.code}")
    assert ReachCount.objects.get().count == 2


def test_unknown_short_link_is_404_and_counts_nothing(client, poster):
    assert client.get("/c/nocode77").status_code == 404
    assert not ReachCount.objects.exists()


def test_a_channel_in_another_language_opens_the_page_in_that_language(client, campaign):
    russian = channel_create(campaign, kind="telegram", name="Telegram RU", language="ru")
    response = client.get(f"/c/{russian.code}")
    assert response["Location"].startswith("/ru/campaigns/")
    assert ReachCount.objects.get().language == "ru"


def test_short_link_of_an_ended_campaign_leads_to_the_start_page(client, campaign, poster):
    campaign.unpublish()
    response = client.get(f"/c/{poster.code}")
    assert response["Location"] == "/ar/"
    assert not ReachCount.objects.exists()


def test_sign_up_page_with_a_referral_counts_a_sign_up(client, poster):
    page = client.get(f"/ar/accounts/signup/?ref={poster.code}").content.decode()
    assert f'name="ref" value="{poster.code}"' in page
    response = client.post(
        "/ar/accounts/signup/",
        {
            "username": "noor_22",
            "password1": "kaffee-mit-milch-7",
            "password2": "kaffee-mit-milch-7",
            "ref": poster.code,
        },
    )
    assert response.status_code == 302
    row = ReachCount.objects.get()
    assert (row.kind, row.language, row.count) == (ReachKind.SIGNUP, "ar", 1)


def test_sign_up_without_referral_counts_nothing(client, poster):
    client.post(
        "/de/accounts/signup/",
        {"username": "noor_22", "password1": "kaffee-mit-milch-7", "password2": "kaffee-mit-milch-7"},
    )
    assert User.objects.filter(username="noor_22").exists()
    assert not ReachCount.objects.exists()


def test_a_second_question_of_the_same_person_is_not_a_first_question(client, youth, poster):
    client.force_login(youth)
    for number in (1, 2):
        client.post(
            f"/de/ask/?ref={poster.code}",
            {
                "ref": poster.code,
                "topic": "work",
                "language": "de",
                "body": f"Frage {number}",
                "idempotency_key": f"3f2b8c1e-1111-4a4a-9b9b-00000000000{number}",
            },
        )
    assert Case.objects.filter(youth=youth).count() == 2
    assert ReachCount.objects.get(kind=ReachKind.ENQUIRY).count == 1
    assert not ReachCount.objects.filter(kind=ReachKind.SIGNUP).exists()
