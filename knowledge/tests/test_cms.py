"""Editors work in the Wagtail admin: the article and campaign forms open, per language."""

import pytest

from campaigns.tests.factories import campaign_create, campaign_index
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from knowledge.tests.factories import article_create, knowledge_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_with_totp(username="editor_eva", roles=[Role.EDITOR]))
    return client


def test_editor_opens_the_article_forms(editor_client):
    index = knowledge_index()
    page = editor_client.get(f"/staff/cms/pages/add/knowledge/articlepage/{index.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    # Title, slug, summary and body per language (wagtail-modeltranslation).
    assert 'name="title_ar"' in html and 'name="slug_ar"' in html and 'name="summary_ar"' in html
    assert "body_ar" in html and "body_de" in html
    article = article_create(title_de="Wohnung finden", body_de="Tipps.")
    assert editor_client.get(f"/staff/cms/pages/{article.pk}/edit/").status_code == 200


def test_editor_opens_the_campaign_forms(editor_client):
    index = campaign_index()
    assert editor_client.get(f"/staff/cms/pages/add/campaigns/campaignpage/{index.pk}/").status_code == 200
    campaign = campaign_create()
    assert editor_client.get(f"/staff/cms/pages/{campaign.pk}/edit/").status_code == 200


def test_preview_of_an_article_renders_the_reader_page(editor_client):
    article = article_create(title_de="Wohnung finden", body_de="Tipps für die Suche.")
    response = editor_client.get(f"/staff/cms/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert "Tipps für die Suche." in response.content.decode()


def test_a_fresh_database_has_both_sections_editable_by_editors_and_coordinators():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    from campaigns.models import CampaignIndexPage
    from knowledge.models import KnowledgeIndexPage

    for index in (KnowledgeIndexPage.objects.get(), CampaignIndexPage.objects.get()):
        for role in (Role.EDITOR, Role.COORDINATOR):
            codenames = set(
                GroupPagePermission.objects.filter(
                    group=Group.objects.get(name=role), page=index
                ).values_list("permission__codename", flat=True)
            )
            assert {"add_page", "change_page", "publish_page"} <= codenames
        assert not GroupPagePermission.objects.filter(page=index, group__name=Role.COUNSELOR).exists()


def test_a_counselor_cannot_open_the_article_editor(client, counselor):
    article = article_create(title_de="Wohnung finden", body_de="Tipps.")
    client.force_login(counselor)
    assert client.get(f"/staff/cms/pages/{article.pk}/edit/").status_code in {302, 403}
