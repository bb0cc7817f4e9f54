"""Knowledge base: who may read what, translations with their fallback, helpful counters, editors' view."""

import pytest
from django.urls import reverse

from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from knowledge.models import Audience, HelpfulVote
from knowledge.tests.factories import article_create, text_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal():
    return article_create(
        title_de="Dienstanweisung Datenschutz in der Onlineberatung",
        body_de="Interne Regeln für Fachkräfte: Aktenvermerke und Löschfristen.",
        audience=Audience.INTERNAL,
        translations={"en": ("Data protection rules for online counseling", "Internal rules for staff.")},
    )


@pytest.fixture
def public():
    return article_create(
        title_de="Anerkennung ausländischer Abschlüsse",
        body_de="Dein Zeugnis aus dem Ausland kann in Deutschland gleichwertig sein.",
        translations={
            "en": ("Recognition of foreign qualifications", "Your certificate may count in Germany.")
        },
    )


def test_internal_article_is_404_for_a_visitor_and_a_youth(client, youth, internal):
    url = internal.reader_url("en")
    assert client.get(url).status_code == 404
    client.force_login(youth)
    assert client.get(url).status_code == 404
    # Nor through Wagtail's own page serving, nor by voting on it.
    assert client.get(f"/en/pages/wissen/{internal.slug}/").status_code == 404
    assert (
        client.post(reverse("knowledge:helpful", args=[internal.pk]), {"helpful": "yes"}).status_code == 404
    )


def test_internal_article_is_readable_for_staff(client, counselor, internal):
    client.force_login(counselor)
    response = client.get(internal.reader_url("en"))
    assert response.status_code == 200
    assert "Data protection rules for online counseling" in response.content.decode()


def test_public_article_is_readable_for_everyone(client, public):
    response = client.get(public.reader_url("en"))
    assert response.status_code == 200
    assert "Recognition of foreign qualifications" in response.content.decode()


def test_an_unpublished_article_is_404(client, counselor, public):
    public.unpublish()
    client.force_login(counselor)
    assert client.get(public.reader_url("en")).status_code == 404


def test_missing_arabic_translation_shows_the_german_version_with_a_note(client, public):
    response = client.get(public.reader_url("ar"))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["shown_language"] == "de"
    assert response.context["not_translated"] is True
    assert 'class="message message-info translation-note"' in page
    assert '<article class="article" lang="de" dir="ltr">' in page
    assert "Anerkennung ausländischer Abschlüsse" in page
    assert 'dir="rtl"' in page.split("<body")[0]  # the portal around it stays Arabic, right to left


def test_missing_translation_note_in_english(client):
    article = article_create(title_de="Wohnungssuche", body_de="Tipps für die Suche nach einer Wohnung.")
    page = client.get(article.reader_url("en")).content.decode()
    # The reader's word for the language, not its own name (issue 18).
    assert "This article has not been translated into your language yet. Here it is in German." in page


def test_a_translated_article_is_shown_in_the_readers_language_without_note(client):
    article = article_create(
        title_de="Ankommen in Deutschland",
        body_de="Die ersten Schritte.",
        translations={"ar": ("الوصول إلى ألمانيا", "الخطوات الأولى.")},
    )
    response = client.get(article.reader_url("ar"))
    page = response.content.decode()
    assert response.context["shown_language"] == "ar"
    assert "الوصول إلى ألمانيا" in page
    assert "translation-note" not in page
    assert '<article class="article" lang="ar" dir="rtl">' in page


def test_reader_url_with_another_languages_slug_redirects_to_the_canonical_one(client, public):
    response = client.get(f"/en/knowledge/{public.pk}/whatever/?ref=abcd2345")
    assert response.status_code == 302
    assert response["Location"] == f"{public.reader_url('en')}?ref=abcd2345"


def test_helpful_votes_are_counted_per_article_and_language_without_who(client, youth, public):
    url = reverse("knowledge:helpful", args=[public.pk])
    client.post("/en" + url[3:], {"helpful": "yes"})
    client.force_login(youth)
    client.post("/en" + url[3:], {"helpful": "yes"})
    client.post("/ar" + url[3:], {"helpful": "no"})
    rows = {row.language: (row.yes, row.no) for row in HelpfulVote.objects.filter(article=public)}
    assert rows == {"en": (2, 0), "ar": (0, 1)}
    assert {field.name for field in HelpfulVote._meta.fields} == {"id", "article", "language", "yes", "no"}


def test_helpful_form_thanks_after_voting(client, public):
    response = client.post(
        reverse("knowledge:helpful", args=[public.pk]).replace("/de/", "/en/"), {"helpful": "no"}, follow=True
    )
    assert "Thank you for your feedback!" in response.content.decode()


def test_editor_sees_missing_and_outdated_translations_and_reviews_due(client, public):
    import datetime

    editor = staff_with_totp(username="editor_eva", roles=[Role.EDITOR])
    public.review_by = datetime.date(2020, 1, 1)
    public.save()
    # The German source changes after the English translation: English is now outdated.
    public.body_de = text_body("Neue Regeln seit 2026: Das Anerkennungsgesetz gilt auch für dich.")
    public.translation_state["de"]["at"] = "2099-01-01T00:00:00+00:00"  # a later edit, as a timestamp
    public.save()
    client.force_login(editor)
    response = client.get("/en/staff/knowledge/")
    assert response.status_code == 200
    row = next(row for row in response.context["translations"] if row["article"].pk == public.pk)
    assert "en" in row["outdated"]
    assert "ar" in row["missing"] and "en" not in row["missing"]
    assert [article.pk for article in response.context["due"]] == [public.pk]


def test_a_translation_edited_after_the_source_is_current(public):
    public.translation_state["de"]["at"] = "2000-01-01T00:00:00+00:00"
    public.body_en = text_body("Updated English text.")
    public.save()
    assert not public.is_outdated("en")


def test_editor_overview_is_refused_to_counselors_and_youth(client, counselor, youth):
    client.force_login(counselor)
    assert client.get("/en/staff/knowledge/").status_code == 403
    client.force_login(youth)
    assert client.get("/en/staff/knowledge/").status_code == 403


def test_youth_cannot_be_editor_by_guessing(client):
    visitor = UserFactory(roles=[Role.YOUTH])
    client.force_login(visitor)
    assert client.get("/staff/cms/").status_code == 403


def test_old_search_misses_are_purged_by_the_nightly_retention_run():
    import datetime

    from django.utils import timezone

    from hub.retention import retention_run
    from knowledge.models import SearchMiss

    today = timezone.localdate()
    SearchMiss.objects.create(query="alt", language="de", day=today - datetime.timedelta(days=181), count=3)
    SearchMiss.objects.create(query="neu", language="de", day=today - datetime.timedelta(days=10), count=1)
    assert retention_run(trigger="test", keys=["search_misses"]).counts == {"search_misses": 1}
    assert retention_run(trigger="test", keys=["search_misses"]).counts == {"search_misses": 0}
    assert list(SearchMiss.objects.values_list("query", flat=True)) == ["neu"]


def test_cms_shows_links_to_the_editors_pages(client):
    editor = staff_with_totp(username="editor_eva", roles=[Role.EDITOR])
    client.force_login(editor)
    page = client.get("/staff/cms/").content.decode()
    assert "/staff/knowledge/" in page and "/staff/campaigns/posts/" in page
    assert '/staff/campaigns/"' not in page  # reach is for coordinators


def test_article_blocks_render_steps_faq_contact_and_downloads(client, tmp_path, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.rich_text import RichText

    settings.MEDIA_ROOT = tmp_path
    leaflet = Document.objects.create(
        title="Merkblatt Anerkennung", file=ContentFile(b"%PDF-1.4", name="merkblatt.pdf")
    )
    article = article_create(title_de="Anerkennung", body_de="Einleitung.")
    article.body_de = [
        (
            "steps",
            {
                "heading": "So geht's",
                "steps": [{"title": "Unterlagen sammeln", "text": "Zeugnisse kopieren."}],
            },
        ),
        ("faq", {"question": "Was kostet das?", "answer": RichText("<p>100 bis 600 Euro.</p>")}),
        ("contact", {"heading": "", "text": "Frag uns."}),
        ("downloads", {"heading": "Zum Herunterladen", "files": [{"document": leaflet, "label": ""}]}),
    ]
    article.save()
    page = client.get(f"{article.reader_url('en')}?ref=abcd2345").content.decode()
    assert '<ol class="steps"><li><strong>Unterlagen sammeln</strong>' in page
    assert '<details class="faq"><summary>Was kostet das?</summary>' in page
    assert 'href="/en/ask/?ref=abcd2345"' in page  # the contact box keeps the campaign referral
    assert ">Merkblatt Anerkennung</a>" in page and "(PDF)" in page
    assert client.get(leaflet.url).status_code == 200
    assert "Unterlagen sammeln" in stored_search_text(article)


def stored_search_text(article) -> str:
    from knowledge.models import ArticlePage

    return ArticlePage.objects.get(pk=article.pk).search_text_de
