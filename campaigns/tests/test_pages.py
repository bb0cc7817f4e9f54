"""Landing pages for social media, the coordinators' reach report and the post planner."""

import datetime

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image

from campaigns.models import PlannedPost, ReachKind
from campaigns.services import reach_count
from campaigns.tests.factories import campaign_create, channel_create
from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def share_image(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "share.png"
    PILImage.new("RGB", (1400, 800), (0, 95, 135)).save(path)
    with path.open("rb") as handle:
        return Image.objects.create(title="Jugendliche am Bahnhof", file=ImageFile(handle, name="share.png"))


@pytest.fixture
def editor():
    return staff_with_totp(username="editor_eva", roles=[Role.EDITOR])


def test_landing_page_has_open_graph_and_twitter_tags_with_an_absolute_share_image(
    client, share_image, settings
):
    settings.ALLOWED_HOSTS = ["jmd-digital-hub.de"]  # the host the page is opened under, not SITE_URL
    campaign = campaign_create(
        share_image=share_image,
        share_text_en="Free advice for young people new in Germany.",
        title_en="New in Germany?",
    )
    page = client.get(
        campaign.landing_url("en"), HTTP_HOST="jmd-digital-hub.de", secure=True
    ).content.decode()
    assert '<meta property="og:title" content="New in Germany?">' in page
    assert '<meta property="og:description" content="Free advice for young people new in Germany.">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta property="og:image" content="https://jmd-digital-hub.de/media/images/share.' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert (
        f'<meta property="og:url" content="https://jmd-digital-hub.de{campaign.landing_url("en")}">' in page
    )


def test_landing_page_leads_with_its_call_to_action_and_carries_the_referral(client):
    campaign = campaign_create(call_to_action="group_offer", call_to_action_label_en="Meet others online")
    channel = channel_create(campaign)
    page = client.get(f"{campaign.landing_url('en')}?ref={channel.code}").content.decode()
    primary = f'data-action="group_offer" href="/en/sites/groups/?ref={channel.code}">Meet others online<'
    assert f'class="button primary" {primary}' in page
    assert f'href="/en/ask/?ref={channel.code}"' in page
    assert f'<input type="hidden" name="ref" value="{channel.code}">' in page  # the knowledge search


def test_landing_page_ignores_a_malformed_referral(client):
    campaign = campaign_create()
    page = client.get(campaign.landing_url("en") + '?ref="><script>').content.decode()
    assert 'name="ref"' not in page and "ask/?ref=" not in page


def test_unpublished_landing_page_is_404(client):
    campaign = campaign_create()
    campaign.unpublish()
    assert client.get(campaign.landing_url("de")).status_code == 404


def test_report_shows_counts_per_channel_and_language_with_a_chart(client, coordinator):
    campaign = campaign_create()
    poster = channel_create(campaign, name="Plakat Köln")
    insta = channel_create(campaign, kind="instagram", name="Reel 1")
    for _ in range(3):
        reach_count(channel=poster, kind=ReachKind.LANDING, language="ar")
    reach_count(channel=insta, kind=ReachKind.LANDING, language="tr")
    reach_count(channel=insta, kind=ReachKind.SIGNUP, language="tr")
    client.force_login(coordinator)
    response = client.get(f"/en/staff/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    assert response.context["totals"] == {"landing": 4, "signup": 1, "enquiry": 0}
    rows = {row["channel"].name: (row["landing"], row["signup"]) for row in response.context["by_channel"]}
    assert rows == {"Plakat Köln": (3, 0), "Reel 1": (1, 1)}
    languages = {row["language"]: row["landing"] for row in response.context["by_language"]}
    assert languages == {"ar": 3, "tr": 1}
    page = response.content.decode()
    assert '<svg viewBox="0 0 640 240" role="img"' in page
    assert page.count("<polyline") == 3
    assert len(response.context["chart"].series[0]["points"].split()) == 30


def test_report_csv_export(client, coordinator):
    campaign = campaign_create()
    poster = channel_create(campaign, name="=HYPERLINK()")
    reach_count(channel=poster, kind=ReachKind.LANDING, language="ar")
    reach_count(channel=poster, kind=ReachKind.LANDING, language="ar")
    client.force_login(coordinator)
    response = client.get(f"/en/staff/campaigns/{campaign.pk}/reach.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "day,channel,channel_kind,code,language,kind,count"
    assert lines[1] == f"{timezone.localdate().isoformat()},'=HYPERLINK(),poster,{poster.code},ar,landing,2"


def test_report_list_and_csv_are_for_coordinators_only(client, counselor, editor, youth):
    campaign = campaign_create()
    for user in (counselor, editor):
        client.force_login(user)
        assert client.get("/en/staff/campaigns/").status_code == 403
        assert client.get(f"/en/staff/campaigns/{campaign.pk}/").status_code == 403
        assert client.get(f"/en/staff/campaigns/{campaign.pk}/reach.csv").status_code == 403
    client.force_login(youth)
    assert client.get(f"/en/staff/campaigns/{campaign.pk}/reach.csv").status_code == 403


def test_coordinator_adds_a_channel_and_gets_a_short_link_on_the_requests_host(client, coordinator, settings):
    settings.ALLOWED_HOSTS = ["beratung.example.org"]
    campaign = campaign_create()
    client.force_login(coordinator)
    response = client.post(
        f"/en/staff/campaigns/{campaign.pk}/",
        {"kind": "tiktok", "name": "Clip Ankommen", "language": "tr"},
        follow=True,
        HTTP_HOST="beratung.example.org",
    )
    channel = campaign.channels.get()
    assert (channel.kind, channel.language, len(channel.code)) == ("tiktok", "tr", 7)
    page = response.content.decode()
    assert f"http://beratung.example.org/c/{channel.code}" in page
    assert "127.0.0.1:8000" not in page


def test_channel_form_without_a_name_comes_back_with_a_message(client, coordinator):
    campaign = campaign_create()
    client.force_login(coordinator)
    response = client.post(
        f"/en/staff/campaigns/{campaign.pk}/", {"kind": "poster", "name": "", "language": "ar"}
    )
    assert response.status_code == 200
    assert "Please give the channel a name." in response.content.decode()
    assert response.context["form"]["language"].value() == "ar"


def _post_data(campaign, **overrides):
    return {
        "campaign": campaign.pk,
        "platform": "instagram",
        "language": "ar",
        "publish_on": "2026-12-10",
        "status": "draft",
        "channel": "",
        "text": "هل أنت جديد في ألمانيا؟ اسألنا!",
        **overrides,
    }


def test_editor_plans_a_post_and_every_staff_member_sees_the_plan(client, editor, counselor):
    campaign = campaign_create()
    client.force_login(editor)
    response = client.post("/en/staff/campaigns/posts/new/", _post_data(campaign))
    assert response.status_code == 302
    post = PlannedPost.objects.get()
    assert (post.platform, post.language, post.publish_on) == ("instagram", "ar", datetime.date(2026, 12, 10))
    client.force_login(counselor)
    page = client.get("/en/staff/campaigns/posts/?all=1").content.decode()
    assert "هل أنت جديد في ألمانيا؟ اسألنا!" in page
    assert "/staff/campaigns/posts/new/" not in page  # may read, not plan


def test_counselor_cannot_plan_or_edit_posts(client, counselor):
    campaign = campaign_create()
    post = PlannedPost.objects.create(
        campaign=campaign,
        platform="tiktok",
        language="de",
        publish_on=datetime.date(2026, 12, 1),
        text="Hallo",
    )
    client.force_login(counselor)
    assert client.get("/en/staff/campaigns/posts/new/").status_code == 403
    assert client.post("/en/staff/campaigns/posts/new/", _post_data(campaign)).status_code == 403
    assert client.post(f"/en/staff/campaigns/posts/{post.pk}/", _post_data(campaign)).status_code == 403
    assert PlannedPost.objects.get().text == "Hallo"


def test_youth_cannot_see_the_planner(client, youth):
    client.force_login(youth)
    assert client.get("/en/staff/campaigns/posts/").status_code == 403


def test_planned_post_form_errors_keep_the_text(client, editor):
    campaign = campaign_create()
    other = campaign_create(title_de="Anderes", slug="anderes")
    foreign_channel = channel_create(other)
    client.force_login(editor)
    response = client.post(
        "/en/staff/campaigns/posts/new/",
        _post_data(campaign, publish_on="next week", channel=foreign_channel.pk),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a date." in page
    assert "This short link belongs to another campaign." in page
    assert "هل أنت جديد في ألمانيا؟ اسألنا!" in page
    assert not PlannedPost.objects.exists()


def test_planner_shows_upcoming_posts_by_default(client, coordinator):
    campaign = campaign_create()
    today = timezone.localdate()
    PlannedPost.objects.create(
        campaign=campaign,
        platform="tiktok",
        language="de",
        publish_on=today - datetime.timedelta(days=30),
        text="Alt",
    )
    PlannedPost.objects.create(
        campaign=campaign,
        platform="tiktok",
        language="de",
        publish_on=today + datetime.timedelta(days=2),
        text="Bald",
    )
    client.force_login(coordinator)
    posts = [post.text for post in client.get("/en/staff/campaigns/posts/").context["posts"]]
    assert posts == ["Bald"]
