"""A counselor searches the knowledge base from a case and inserts a link to the article in the young
person's language – without JavaScript, keeping the text typed so far."""

import uuid

import pytest

from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from knowledge.models import Audience
from knowledge.tests.factories import article_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic_case(youth):
    counselor = counselor_with_profile("counselor_sami", languages=("de", "ar"))
    case = assign_to(make_case(youth=youth, language="ar", topic="recognition"), counselor)
    return case, counselor


@pytest.fixture
def recognition():
    return article_create(
        title_de="Anerkennung ausländischer Abschlüsse",
        body_de="Dein Zeugnis kann in Deutschland gleichwertig sein.",
        translations={"ar": ("الاعتراف بالشهادات الأجنبية", "يمكن أن تكون شهادتك معادلة في ألمانيا.")},
    )


def _reply(client, case, **data):
    data = {"body": "مرحبًا ليلى،", "idempotency_key": str(uuid.uuid4()), **data}
    return client.post(f"/en/staff/cases/{case.public_id}/reply/", data)


def test_counselor_finds_articles_in_the_youths_language_and_keeps_the_text(client, arabic_case, recognition):
    case, counselor = arabic_case
    client.force_login(counselor)
    response = _reply(client, case, kb_query="Anerkennung", kb_search="1")
    assert response.status_code == 200
    hits = response.context["knowledge"]["hits"]
    assert [hit.title for hit in hits] == ["الاعتراف بالشهادات الأجنبية"]
    assert response.context["reply_form"]["body"].value() == "مرحبًا ليلى،"
    assert case.messages.count() == 1  # nothing was sent


def test_inserting_a_link_appends_the_article_url_in_the_youths_language_on_the_requests_host(
    client, arabic_case, recognition, settings
):
    # The embedded default's SITE_URL (127.0.0.1:8000) must not end up in a reply when the portal was
    # opened under another name.
    settings.ALLOWED_HOSTS = ["beratung.example.org"]
    case, counselor = arabic_case
    client.force_login(counselor)
    data = {
        "body": "مرحبًا ليلى،",
        "idempotency_key": str(uuid.uuid4()),
        "insert_article": str(recognition.pk),
    }
    response = client.post(
        f"/en/staff/cases/{case.public_id}/reply/", data, HTTP_HOST="beratung.example.org", secure=True
    )
    body = response.context["reply_form"]["body"].value()
    assert body == (
        "مرحبًا ليلى،\n\nالاعتراف بالشهادات الأجنبية: "
        f"https://beratung.example.org/ar/knowledge/{recognition.pk}/{recognition.slug_ar}/"
    )
    assert case.messages.count() == 1


def test_internal_articles_are_never_offered_for_a_reply(client, arabic_case):
    case, counselor = arabic_case
    internal = article_create(
        title_de="Anerkennung intern", body_de="Nur Fachkräfte.", audience=Audience.INTERNAL
    )
    client.force_login(counselor)
    response = _reply(client, case, kb_query="Anerkennung", kb_search="1")
    assert response.context["knowledge"]["hits"] == []
    response = _reply(client, case, insert_article=str(internal.pk))
    assert response.context["reply_form"]["body"].value() == "مرحبًا ليلى،"


def test_a_counselor_of_another_case_cannot_use_it(client, arabic_case, recognition):
    case, _counselor = arabic_case
    outsider = counselor_with_profile("counselor_other", languages=("de",))
    client.force_login(outsider)
    assert _reply(client, case, kb_query="Anerkennung", kb_search="1").status_code in {403, 404}
