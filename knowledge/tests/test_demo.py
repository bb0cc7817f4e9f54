from unittest.mock import patch

import pytest
from django.conf import settings
from django.utils.html import escape

from knowledge import demo
from knowledge.demo_articles import ARTICLES
from knowledge.models import ArticlePage, Audience

pytestmark = pytest.mark.django_db


def test_every_demo_article_is_published_and_readable_in_every_language(client, counselor):
    demo.load(None)
    client.force_login(counselor)  # the internal guide is for staff
    for entry in ARTICLES:
        article = ArticlePage.objects.get(slug_de=entry["slug"])
        assert article.live and article.audience == entry.get("audience", Audience.PUBLIC)
        for code, _name in settings.LANGUAGES:
            assert article.has_language(code), (entry["slug"], code)
            response = client.get(article.reader_url(code))
            assert response.status_code == 200
            assert response.context["shown_language"] == code and not response.context["not_translated"]
            assert escape(entry[code]["title"]) in response.content.decode()


def test_every_translation_has_the_whole_german_text():
    # The same steps and questions as the source, and its own words (no German copied in as a stand-in).
    for entry in ARTICLES:
        source = entry["de"]
        for code, _name in settings.LANGUAGES:
            text = entry[code]
            assert [len(text["steps"]), len(text["faq"])] == [len(source["steps"]), len(source["faq"])], (
                entry["slug"],
                code,
            )
            assert bool(text["contact"]) == bool(source["contact"])
            if code != "de":
                assert text["title"] != source["title"] and text["intro"] != source["intro"]


def test_a_demo_database_from_before_gets_the_missing_languages_but_keeps_an_editors_work():
    entry = ARTICLES[0]
    older = {key: value for key, value in entry.items() if key not in {"uk", "sq", "fr"}}
    edited = ARTICLES[1]
    with patch.object(
        demo, "ARTICLES", [older, {key: edited[key] for key in ("slug", "topics", "review_in_days", "de")}]
    ):
        demo.load(None)
    first = ArticlePage.objects.get(slug_de=entry["slug"])
    second = ArticlePage.objects.get(slug_de=edited["slug"])
    assert not first.has_language("uk")
    second.save_revision()  # an editor worked on it
    demo.load(None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.has_language("uk") and first.has_language("fr") and first.title_uk == entry["uk"]["title"]
    assert not second.has_language("fr")
