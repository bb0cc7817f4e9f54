"""A campaign whose slug Wagtail made from a German title with an umlaut opens, instead of redirecting
to itself (the same percent-encoding trap as the knowledge base's, hub.links.is_canonical_path)."""

import pytest
from django.conf import settings

from campaigns.tests.factories import campaign_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_campaign_with_an_umlaut_slug_opens_in_every_language(client, language):
    campaign = campaign_create(title_de="Über uns – für dich", slug="über-uns-für-dich")
    response = client.get(campaign.landing_url(language), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == []
