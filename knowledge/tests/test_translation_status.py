"""The editors' page (/<lang>/staff/knowledge/, linked from the CMS menu) lists per article which
translations are missing and which are stale – the German source changed after the translation was last
updated – going through real publishes in the CMS's way (a revision, then publish)."""

import re

import pytest
from django.conf import settings

from hub.roles import Role
from hub.tests.factories import staff_with_totp
from knowledge.models import ArticlePage
from knowledge.tests.factories import article_create, text_body

pytestmark = pytest.mark.django_db

OTHERS = [code for code, _name in settings.LANGUAGES if code != "de"]


@pytest.fixture
def editor_client(client):
    client.force_login(staff_with_totp(username="editor_emil", roles=[Role.EDITOR]))
    return client


def status_row(client, article: ArticlePage, *, language: str = "de") -> dict[str, list[str]]:
    """The article's row on the editors' page: {"missing": [codes], "stale": [codes]}, as rendered."""
    response = client.get(f"/{language}/staff/knowledge/")
    assert response.status_code == 200
    page = response.content.decode()
    row = re.search(rf'<tr>\s*<td><a href="/staff/cms/pages/{article.pk}/edit/">.*?</tr>', page, re.S)
    assert row, "the article has no row"
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    codes = [re.findall(r'data-language="([a-z-]+)"', cell) for cell in cells[1:3]]
    return {"missing": codes[0], "stale": codes[1]}


def publish(article: ArticlePage, **fields) -> ArticlePage:
    """An editor's change as the CMS makes it: the fields on the latest version, a revision, publish."""
    page = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def complete_article() -> ArticlePage:
    return article_create(
        title_de="Bankkonto eröffnen",
        body_de="Jede Person hat das Recht auf ein Basiskonto.",
        translations={code: (f"Bank account ({code})", f"Text in {code}.") for code in OTHERS},
    )


def test_missing_languages_are_listed(editor_client):
    article = article_create(
        title_de="Wohnung suchen",
        body_de="Kaltmiete und Kaution.",
        translations={"en": ("Looking for a flat", "Rent and deposit."), "uk": ("Пошук житла", "Оренда.")},
    )
    assert status_row(editor_client, article) == {
        "missing": [code for code in OTHERS if code not in {"en", "uk"}],
        "stale": [],
    }


def test_a_title_without_text_counts_as_missing(editor_client):
    article = complete_article()
    article = publish(article, body_fr=[])
    assert status_row(editor_client, article)["missing"] == ["fr"]


def test_stale_after_the_source_changes_and_cleared_after_the_translation_is_updated(editor_client):
    article = complete_article()
    assert status_row(editor_client, article) == {"missing": [], "stale": []}

    article = publish(
        article, body_de=text_body("Neu: Auch ohne festen Wohnsitz bekommst du ein Basiskonto.")
    )
    assert status_row(editor_client, article) == {"missing": [], "stale": OTHERS}

    article = publish(
        article, body_uk=text_body("Нове: базовий рахунок можна відкрити й без постійного житла.")
    )
    assert status_row(editor_client, article) == {"missing": [], "stale": [c for c in OTHERS if c != "uk"]}
    assert not article.is_outdated("uk") and article.is_outdated("ru")


def test_a_change_to_another_translation_or_a_draft_does_not_touch_the_status(editor_client):
    article = complete_article()
    article = publish(article, title_en="Opening a bank account")  # a translation, not the source
    assert status_row(editor_client, article)["stale"] == []
    draft = article.get_latest_revision_as_object()
    draft.body_de = text_body("Ein Entwurf, noch nicht veröffentlicht.")
    draft.save_revision()  # not live yet: readers still get the published German text
    assert status_row(editor_client, article)["stale"] == []


def test_languages_are_named_in_the_editors_language_not_as_codes(editor_client):
    article = article_create(title_de="Schule", body_de="Schulpflicht.")
    page = editor_client.get("/de/staff/knowledge/").content.decode()
    row = re.search(rf'<tr>\s*<td><a href="/staff/cms/pages/{article.pk}/edit/">.*?</tr>', page, re.S).group(
        0
    )
    assert '<span class="lang-tag" data-language="uk">Ukrainisch</span>' in row
    assert ">uk<" not in row
