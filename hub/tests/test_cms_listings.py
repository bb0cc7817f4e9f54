"""The Wagtail admin listings that used to answer 500: page search sorted by title, and images/documents
filtered by usage count while searching (hub/cms_listings.py)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import ReferenceIndex

from hub.cms import site_home_page
from knowledge.tests.factories import article_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ordering", ["title", "-title", "live", "latest_revision_created_at"])
def test_page_search_sorted_by_title_lists_the_pages_in_order(client, coordinator, ordering):
    article_create(title_de="Zuzug und Wohnung")
    article_create(title_de="Ausbildung und Wohnung")
    client.force_login(coordinator)
    response = client.get(f"/staff/cms/pages/search/?q=Wohnung&ordering={ordering}")
    assert response.status_code == 200
    if ordering == "title":
        page = response.content.decode()
        assert page.index("Ausbildung und Wohnung") < page.index("Zuzug und Wohnung")


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_media_filtered_by_usage_count_while_searching(client, coordinator, kind):
    site_home_page()  # lays Wagtail's root collection on a flushed database
    if kind == "images":
        used = Image.objects.create(title="Plakat benutzt", file=get_test_image_file())
        Image.objects.create(title="Plakat frei", file=get_test_image_file())
    else:
        used = Document.objects.create(title="Plakat benutzt", file=ContentFile(b"%PDF-1.4", name="a.pdf"))
        Document.objects.create(title="Plakat frei", file=ContentFile(b"%PDF-1.4", name="b.pdf"))
    article = article_create(title_de="Mit Bild")
    ReferenceIndex.objects.create(
        content_type=ReferenceIndex._get_base_content_type(article),
        base_content_type=ReferenceIndex._get_base_content_type(article),
        object_id=str(article.pk),
        to_content_type=ReferenceIndex._get_base_content_type(used),
        to_object_id=str(used.pk),
        model_path="body",
        content_path="body",
        content_path_hash=ReferenceIndex._get_content_path_hash("body"),
    )
    client.force_login(coordinator)
    for suffix in ("", "results/"):
        response = client.get(f"/staff/cms/{kind}/{suffix}?q=Plakat&usage_count_min=1")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Plakat benutzt" in page and "Plakat frei" not in page
        # Out of range: an empty or full list, never an error.
        assert client.get(f"/staff/cms/{kind}/{suffix}?q=Plakat&usage_count_min=-1").status_code == 200
        assert client.get(f"/staff/cms/{kind}/{suffix}?usage_count_min=-1").status_code == 200


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_the_mended_media_listings_keep_wagtails_guards(client, counselor, youth, kind):
    assert client.get(f"/staff/cms/{kind}/").status_code == 302  # to the login
    client.force_login(youth)
    assert client.get(f"/staff/cms/{kind}/").status_code == 403
    client.force_login(counselor)  # staff without Wagtail admin access
    assert client.get(f"/staff/cms/{kind}/").status_code in {302, 403}
