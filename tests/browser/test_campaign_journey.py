"""A visitor scans a poster's QR code: the Arabic campaign page opens right-to-left; they search the
knowledge base, read an article and go on to ask a question – and the campaign counts one landing, one
sign-up and one first question, without knowing who."""

import pytest

from campaigns.models import ReachCount, ReachKind
from campaigns.tests.factories import campaign_create, channel_create
from counseling.models import Case
from knowledge.tests.factories import article_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_visitor_lands_from_a_qr_link_on_an_arabic_campaign_and_asks(page, live_server, screenshot_dir):
    campaign = campaign_create(
        language="ar",
        title_ar="جديد في ألمانيا؟ نحن هنا من أجلك",
        slug_ar="jadid-fi-almania",
        message_ar="<p>استشارة مجانية ومجهولة الهوية بلغتك – للشباب من 12 إلى 27 عامًا.</p>",
    )
    poster = channel_create(campaign, kind="poster", name="ملصق برلين")
    article_create(
        title_de="Anerkennung ausländischer Abschlüsse",
        body_de="Dein Zeugnis aus dem Ausland kann in Deutschland gleichwertig sein.",
        translations={
            "ar": (
                "الاعتراف بالشهادات الأجنبية",
                "يمكن أن تكون شهادتك من الخارج معادلة في ألمانيا. اطلب الاعتراف بها قبل التقديم على عمل.",
            )
        },
    )

    # The QR code carries the channel's short link; the browser follows it like a phone camera would.
    page.goto(f"/c/{poster.code}")
    page.wait_for_url(f"**/ar/campaigns/jadid-fi-almania/?ref={poster.code}")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert "جديد في ألمانيا؟" in page.inner_text("h1")
    assert page.context.cookies() == []  # landing sets no cookie at all
    page.screenshot(path=str(screenshot_dir / "campaign-landing-ar.png"), full_page=True)

    page.fill("#kb-q", "شهادة")
    with page.expect_navigation():
        page.click("form.knowledge-search button[type=submit]")
    assert "/ar/knowledge/?q=" in page.url and f"ref={poster.code}" in page.url
    page.screenshot(path=str(screenshot_dir / "knowledge-search-ar.png"), full_page=True)
    with page.expect_navigation():
        page.click("ol.knowledge-results a")
    assert "الاعتراف بالشهادات الأجنبية" in page.inner_text("article h1")
    assert page.get_attribute("article.article", "dir") == "rtl"
    page.screenshot(path=str(screenshot_dir / "knowledge-article-ar.png"), full_page=True)

    with page.expect_navigation():
        page.click("aside.ask-box a.button")
    assert "/ar/ask/" in page.url
    assert page.input_value("input[name=ref]") == poster.code
    page.check("input[name=topic][value=recognition]")
    page.fill("textarea[name=body]", "هل تعترف ألمانيا بشهادة الثانوية من الأردن؟")
    page.fill("#id_account-username", "layla_amman")
    page.fill("#id_account-password1", "kaffee-mit-milch-7")
    page.fill("#id_account-password2", "kaffee-mit-milch-7")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    assert "/ar/cases/" in page.url
    page.screenshot(path=str(screenshot_dir / "campaign-asked-ar.png"), full_page=True)

    assert Case.objects.count() == 1
    counts = {(row.kind, row.language): row.count for row in ReachCount.objects.filter(channel=poster)}
    assert counts == {(ReachKind.LANDING, "ar"): 1, (ReachKind.SIGNUP, "ar"): 1, (ReachKind.ENQUIRY, "ar"): 1}
    assert page.requests.foreign(live_server.url) == []


def test_knowledge_and_campaign_pages_have_no_serious_accessibility_violations(
    page, client, live_server, screenshot_dir
):
    from campaigns.services import reach_count
    from hub.roles import Role
    from hub.tests.factories import staff_with_totp
    from tests.browser.test_accessibility import serious_violations

    campaign = campaign_create(language="ar", title_ar="جديد في ألمانيا؟", slug_ar="jadid")
    channel = channel_create(campaign)
    reach_count(channel=channel, kind=ReachKind.LANDING, language="ar")
    article = article_create(title_de="Wohnung finden", body_de="Tipps für die Suche.")
    for path in [
        "/ar/knowledge/",
        "/de/knowledge/?q=Wohnung",
        article.reader_url("ar"),
        campaign.landing_url("ar"),
    ]:
        page.goto(path)
        assert serious_violations(page) == [], path
    coordinator = staff_with_totp(username="coordinator_bea", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in [f"/de/staff/campaigns/{campaign.pk}/", "/de/staff/campaigns/posts/", "/de/staff/knowledge/"]:
        page.goto(path)
        assert serious_violations(page) == [], path
    page.goto(f"/de/staff/campaigns/{campaign.pk}/")
    page.screenshot(path=str(screenshot_dir / "campaign-report.png"), full_page=True)
