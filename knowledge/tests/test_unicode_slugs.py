"""Articles whose slug Wagtail makes from a German, Russian or Arabic title (umlauts, ß, Cyrillic, Arabic
letters) open in every language: with 200, after at most one redirect, on a stable canonical URL."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils.text import slugify

from knowledge.tests.factories import article_create

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Titles as an editor types them; the slug is made the way Wagtail makes it (unicode slugs allowed).
TITLES = {
    "umlaut": "Bankkonto eröffnen",
    "sharp_s": "Straße, Fuß und Größe",
    "cyrillic": "Открыть банковский счёт",
    "arabic": "فتح حساب بنكي",
}


def unicode_article(title: str, **fields):
    slug = slugify(title, allow_unicode=True)
    assert not slug.isascii()
    return article_create(title_de=title, slug=slug, **fields)


@pytest.mark.parametrize("kind", TITLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_article_with_a_non_ascii_slug_opens_in_every_language(client, kind, language):
    article = unicode_article(TITLES[kind])
    canonical = article.reader_url(language)
    assert canonical.startswith(f"/{language}/knowledge/{article.pk}/") and "%" in canonical
    # As a browser sends it (percent-encoded), and as a person may type it (the letters themselves).
    for url in (canonical, f"/{language}/knowledge/{article.pk}/{article.slug_de}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert TITLES[kind] in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_or_old_slug_reaches_the_article_after_one_redirect(client, language):
    article = unicode_article("Bankkonto eröffnen")
    response = client.get(f"/{language}/knowledge/{article.pk}/bankkonto-eroffnen/?ref=abcd2345", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"{article.reader_url(language)}?ref=abcd2345", 302)]


def test_translated_non_ascii_slugs_are_canonical_in_their_language(client):
    article = article_create(
        title_de="Bankkonto eröffnen",
        slug="bankkonto-eröffnen",
        translations={"ru": ("Открыть счёт", "Текст."), "ar": ("فتح حساب", "نص.")},
    )
    article.slug_ru = "открыть-счёт"
    article.slug_ar = "فتح-حساب"
    article.save()
    for language, slug in (("ru", "открыть-счёт"), ("ar", "فتح-حساب"), ("uk", "bankkonto-eröffnen")):
        canonical = article.reader_url(language)
        assert canonical == f"/{language}/knowledge/{article.pk}/{quote(slug)}/"
        assert client.get(canonical).status_code == 200
        # The German slug in another language's URL leads there in one step.
        response = client.get(f"/{language}/knowledge/{article.pk}/bankkonto-eröffnen/", follow=True)
        assert response.status_code == 200 and len(response.redirect_chain) <= 1


def test_the_helpful_vote_returns_to_the_article_with_a_non_ascii_slug(client):
    article = unicode_article("Bankkonto eröffnen")
    response = client.post(f"/uk/knowledge/{article.pk}/helpful/", {"helpful": "yes"}, follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
