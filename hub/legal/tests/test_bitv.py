"""The BITV 2.0 pages: feedback on the accessibility statement reaches the coordinators (sealed, listed,
answered by mail from the neutral sender, purged after its period), Leichte Sprache is German for every
reader, and the sign-language page lists the CMS videos with captions served through the document checks."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from hub.legal.feedback import feedback_submit
from hub.legal.models import AccessibilityFeedback, SignLanguageVideo
from hub.legal.services import legal_pages_ensure
from hub.retention import retention_run

pytestmark = pytest.mark.django_db

FEEDBACK = {
    "message": "Der Kalender lässt sich nicht mit der Tastatur bedienen.",
    "page": "/de/sites/",
    "email": "leser-3@example.org",
}
STAFF_LIST = "/de/staff/accessibility-feedback/"


@pytest.fixture(autouse=True)
def _pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    legal_pages_ensure()


def test_feedback_sent_through_the_form_reaches_the_coordinators_list(client, coordinator):
    page = client.get("/en/legal/accessibility/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/en/legal/accessibility/feedback/"' in html
    assert "Schlichtungsstelle" in html and "Mauerstraße 53" in html  # the enforcement body's contact

    response = client.post("/en/legal/accessibility/feedback/", FEEDBACK)
    assert response.status_code == 302
    assert response["Location"] == "/en/legal/accessibility/#feedback"

    client.force_login(coordinator)
    listing = client.get(STAFF_LIST).content.decode()
    assert FEEDBACK["message"] in listing and FEEDBACK["page"] in listing
    # In the language it was written in, for the screen reader, and answerable (an address was given).
    assert f'lang="en" dir="auto">{FEEDBACK["message"]}' in listing
    assert "Send the answer" in listing or "Antwort senden" in listing


def test_the_feedback_is_stored_sealed():
    feedback = feedback_submit(**FEEDBACK, language="de")
    raw = AccessibilityFeedback.objects.filter(pk=feedback.pk).values_list("message", "page", "email").get()
    for column, plain in zip(raw, FEEDBACK.values(), strict=True):
        assert plain.encode() not in bytes(column)


def test_only_coordinators_read_the_feedback(client, youth, counselor):
    feedback_submit(**FEEDBACK, language="de")
    assert client.get(STAFF_LIST).status_code == 302  # to the login
    for user in (youth, counselor):
        client.force_login(user)
        response = client.get(STAFF_LIST)
        assert response.status_code == 403
        assert FEEDBACK["message"] not in response.content.decode()


def test_bad_feedback_comes_back_filled_in_with_the_error_summary(client):
    data = {"message": "", "email": "nicht-gültig", "page": "x"}
    response = client.post("/de/legal/accessibility/feedback/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html and 'href="#id_message"' in html and 'href="#id_email"' in html
    assert 'value="nicht-gültig"' in html and 'value="x"' in html
    assert AccessibilityFeedback.objects.count() == 0


def test_one_address_cannot_fill_the_list(client):
    for _ in range(5):
        assert client.post("/de/legal/accessibility/feedback/", FEEDBACK).status_code == 302
    response = client.post("/de/legal/accessibility/feedback/", FEEDBACK)
    assert response.status_code == 429
    assert FEEDBACK["message"] in response.content.decode()  # nothing typed is lost
    assert AccessibilityFeedback.objects.count() == 5


def test_a_coordinator_answers_by_mail_from_the_neutral_sender(
    client, coordinator, counselor, mailoutbox, django_capture_on_commit_callbacks
):
    feedback = feedback_submit(**FEEDBACK, language="ru")
    url = f"/de/staff/accessibility-feedback/{feedback.public_id}/answer/"
    client.force_login(counselor)
    assert client.post(url, {"answer": "Danke!"}).status_code == 403
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "Wir haben den Kalender repariert."})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == [FEEDBACK["email"]] and mail.from_email == settings.NEUTRAL_FROM_EMAIL
    assert "Wir haben den Kalender repariert." in mail.body
    feedback.refresh_from_db()
    assert feedback.answered_at is not None


def test_feedback_without_an_address_cannot_be_answered(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    feedback = feedback_submit(message="Zu kleine Schrift.", language="de")
    client.force_login(coordinator)
    assert "id_answer" not in client.get(STAFF_LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/de/staff/accessibility-feedback/{feedback.public_id}/answer/", {"answer": "Danke"})
    assert mailoutbox == []


def test_feedback_is_purged_after_its_retention_period():
    old = feedback_submit(message="alt", language="de")
    AccessibilityFeedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    new = feedback_submit(message="neu", language="de")
    run = retention_run(trigger="test", keys=["accessibility_feedback"])
    assert run.counts == {"accessibility_feedback": 1}
    assert list(AccessibilityFeedback.objects.values_list("pk", flat=True)) == [new.pk]


@pytest.mark.parametrize("code", ["de", "ar", "en"])
def test_leichte_sprache_is_german_for_every_reader_and_linked_from_the_start_page(client, code):
    start = client.get(f"/{code}/").content.decode()
    assert f'href="/{code}/legal/easy-language/"' in start
    html = client.get(f"/{code}/legal/easy-language/").content.decode()
    easy = '<div class="legal-kind-easy-language"><article class="article legal-page" lang="de" dir="ltr">'
    assert easy in html
    assert "Informationen in Leichter Sprache" in html
    assert ("translation-note" in html) == (code != "de")  # says it is easy German, not "not translated"
    assert "not been translated" not in html


def _document(name: str, data: bytes) -> Document:
    return Document.objects.create(title=name, file=ContentFile(data, name=name))


def test_the_sign_language_page_is_ready_before_the_first_video(client):
    html = client.get("/de/legal/sign-language/").content.decode()
    assert 'class="sign-videos-empty"' in html and "<video" not in html
    assert 'href="/de/legal/sign-language/"' in client.get("/de/").content.decode()


def test_sign_language_videos_are_listed_with_captions_and_served_here(client):
    video = _document("erklaerung.mp4", b"\x00\x00\x00\x18ftypmp42")
    captions = _document("erklaerung.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n")
    SignLanguageVideo.objects.create(title="Was ist der JMD?", video=video, captions=captions)
    hidden = _document("entwurf.mp4", b"\x00\x00\x00\x18ftypmp42")
    SignLanguageVideo.objects.create(title="Entwurf", video=hidden, is_published=False)

    html = client.get("/ar/legal/sign-language/").content.decode()
    assert f'<video controls preload="metadata" src="{video.url}">' in html
    assert f'<track kind="captions" src="{captions.url}" srclang="de"' in html
    assert "Entwurf" not in html
    assert '<li class="card" lang="de">' in html  # German titles read in a German voice on every page
    assert client.get(video.url).status_code == 200
    assert client.get(captions.url).status_code == 200
    assert client.get(hidden.url).status_code == 404  # an unpublished video's file is for editors only
