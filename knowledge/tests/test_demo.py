import pytest
from django.core.management import call_command

from campaigns.models import CampaignPage, Channel, PlannedPost, ReachCount
from knowledge.models import ArticlePage, Audience

pytestmark = pytest.mark.django_db


def test_demo_knowledge_base_and_campaign(settings, client):
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")  # idempotent
    articles = ArticlePage.objects.all()
    assert articles.count() == 7
    assert articles.filter(audience=Audience.INTERNAL).count() == 1
    languages = set().union(*(article.translation_state.keys() for article in articles))
    assert {"de", "en", "ar", "ru", "tr"} <= languages
    assert all(article.has_language("de") for article in articles)
    campaign = CampaignPage.objects.get()
    assert Channel.objects.filter(campaign=campaign).count() == 5
    assert PlannedPost.objects.count() == 3 and ReachCount.objects.exists()
    page = client.get("/de/knowledge/", {"q": "anerkannt"}).content.decode()
    assert "Anerkennung ausländischer Abschlüsse" in page
    assert client.get(campaign.landing_url("ar")).status_code == 200
