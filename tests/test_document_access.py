"""CMS documents (/documents/<id>/<name>) are served only to those who may read what uses them: public
article → everyone, internal article → staff, lesson → those enrolled (and coordinators), nothing →
editors. Everyone else gets 404. CMS uploads of PDFs pass the same screen as counseling attachments."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.rich_text import RichText

from counseling.tests.pdfs import harmless_pdf, pdf_with_object_stream
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from knowledge.models import Audience
from knowledge.tests.factories import article_create
from learning.models import Enrolment, EnrolmentSource, QualityStandard, StandardVersion
from learning.tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def document(name="merkblatt.pdf") -> Document:
    return Document.objects.create(title=name, file=ContentFile(b"%PDF-1.4 data", name=name))


def on_article(doc, audience, *, as_link=False):
    article = article_create(title_de=f"Artikel {doc.pk}", audience=audience)
    if as_link:  # a link in the text instead of a download block
        article.body_de = [("text", RichText(f'<p><a linktype="document" id="{doc.pk}">Merkblatt</a></p>'))]
    else:
        article.body_de = [("downloads", {"heading": "", "files": [{"document": doc, "label": ""}]})]
    article.save_revision().publish()
    return article


def in_lesson(doc, *, published=True):
    course = CourseFactory(is_published=published)
    LessonFactory(course=course, body=[("download", doc)])
    course.save()  # as the admin saves a course with its lessons: the reference index follows the course
    return course


def get(client, user, doc):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(doc.url).status_code


@pytest.fixture
def actors(db):
    return {
        "anonymous": None,
        "youth": UserFactory(roles=[Role.YOUTH]),
        "counselor": staff_with_totp(roles=[Role.COUNSELOR]),
        "enrolled": staff_with_totp(roles=[Role.COUNSELOR]),
        "coordinator": staff_with_totp(roles=[Role.COORDINATOR]),
        "editor": staff_with_totp(roles=[Role.EDITOR]),
    }


def expect(client, actors, doc, readers):
    got = {name: get(client, user, doc) for name, user in actors.items()}
    assert got == {name: 200 if name in readers else 404 for name in actors}


EVERYONE = {"anonymous", "youth", "counselor", "enrolled", "coordinator", "editor"}
STAFF = {"counselor", "enrolled", "coordinator", "editor"}
MANAGERS = {"coordinator", "editor"}


@pytest.mark.parametrize("as_link", [False, True], ids=["download block", "rich-text link"])
def test_a_public_articles_document_is_for_everyone(client, actors, as_link):
    doc = document()
    on_article(doc, Audience.PUBLIC, as_link=as_link)
    expect(client, actors, doc, EVERYONE)


@pytest.mark.parametrize("as_link", [False, True], ids=["download block", "rich-text link"])
def test_an_internal_articles_document_is_for_staff_only(client, actors, as_link):
    doc = document()
    on_article(doc, Audience.INTERNAL, as_link=as_link)
    expect(client, actors, doc, STAFF)


def test_a_lesson_document_is_for_those_enrolled_and_course_managers(client, actors):
    doc = document("leitfaden.pdf")
    course = in_lesson(doc)
    Enrolment.objects.create(user=actors["enrolled"], course=course, source=EnrolmentSource.COORDINATOR)
    # Editors manage documents in the CMS and may open every one; coordinators manage courses.
    expect(client, actors, doc, {"enrolled"} | MANAGERS)


def test_an_unpublished_courses_document_is_not_for_its_learners_yet(client, actors):
    doc = document("entwurf.pdf")
    course = in_lesson(doc, published=False)
    Enrolment.objects.create(user=actors["enrolled"], course=course, source=EnrolmentSource.COORDINATOR)
    expect(client, actors, doc, MANAGERS)


def test_a_document_used_nowhere_is_for_editors_only(client, actors):
    expect(client, actors, document("unbenutzt.pdf"), MANAGERS)


def test_a_document_on_a_public_and_an_internal_page_is_public(client, actors):
    doc = document()
    on_article(doc, Audience.INTERNAL)
    on_article(doc, Audience.PUBLIC)
    expect(client, actors, doc, EVERYONE)


def test_a_document_of_an_unpublished_public_article_is_not_public(client, actors):
    doc = document()
    article = on_article(doc, Audience.PUBLIC)
    article.unpublish()
    expect(client, actors, doc, MANAGERS)


def test_a_quality_standard_document_is_for_staff(client, actors):
    doc = document("standard.pdf")
    standard = QualityStandard(title="Qualitätsstandard")
    standard.versions.add(StandardVersion(label="2026", effective_from="2026-01-01", document=doc))
    standard.save()
    expect(client, actors, doc, STAFF)


def test_an_internal_document_is_404_even_with_the_right_name_and_the_admin_still_lists_it(client, actors):
    doc = document()
    on_article(doc, Audience.INTERNAL)
    client.force_login(actors["youth"])
    assert client.get(f"/documents/{doc.pk}/{doc.filename}").status_code == 404
    client.force_login(actors["editor"])
    listing = client.get("/staff/cms/documents/")
    assert listing.status_code == 200 and doc.title in listing.content.decode()
    assert client.get(f"/staff/cms/documents/edit/{doc.pk}/").status_code == 200


def upload_to_cms(client, editor, data):
    client.force_login(editor)
    return client.post(
        "/staff/cms/documents/add/",
        {"title": "Formular", "file": SimpleUploadedFile("formular.pdf", data), "collection": 1, "tags": ""},
    )


def test_a_pdf_with_a_hidden_script_cannot_be_uploaded_to_the_cms(client, actors):
    crafted = pdf_with_object_stream(
        b"<< /S /JavaScript /JS (app.alert(1)) >>", filters=("FlateDecode", "ASCIIHexDecode")
    )

    response = upload_to_cms(client, actors["editor"], crafted)

    assert response.status_code == 200 and not Document.objects.exists()
    with translation.override(response.wsgi_request.LANGUAGE_CODE):  # the admin speaks the editor's language
        refusal = translation.gettext(
            "This PDF contains scripts, actions, attached files or XFA forms and cannot be used."
        )
    assert escape(refusal) in response.content.decode()


def test_a_harmless_pdf_is_uploaded_to_the_cms(client, actors):
    response = upload_to_cms(client, actors["editor"], harmless_pdf())

    assert response.status_code == 302 and Document.objects.get().title == "Formular"


def test_image_files_are_not_served_by_the_portal_at_all(client):
    # Images (lesson pictures, campaign share images) are files under MEDIA_ROOT; the portal has no route
    # for /media/, so neither an original nor a rendition can be fetched by guessing its name.
    import io

    from PIL import Image as PILImage
    from wagtail.images.models import Image

    picture = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(picture, "PNG")
    image = Image.objects.create(
        title="Schaubild", file=ContentFile(picture.getvalue(), name="schaubild.png")
    )
    rendition = image.get_rendition("fill-10x10")

    assert client.get(image.file.url).status_code == 404
    assert client.get(rendition.url).status_code == 404
