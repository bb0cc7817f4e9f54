"""The staff pages: a course, lessons and quizzes through the views, self-enrolment, enrolling staff,
quality standards — each with its denials."""

import pytest
from django.utils import timezone

from hub.roles import Role
from hub.tests.factories import staff_with_totp
from learning.models import (
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    QualityStandard,
    QuizAttempt,
    StandardConfirmation,
    StandardVersion,
)
from learning.tests.factories import CourseFactory, LessonFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(title="Datenschutz und Krisenintervention", slug="datenschutz")
    LessonFactory(course=course, title="Schweigepflicht", module="Datenschutz")
    QuizFactory(course=course, module="Datenschutz")
    return course


def enrol(user, course):
    return Enrolment.objects.create(user=user, course=course, source=EnrolmentSource.COORDINATOR)


def test_my_courses_lists_enrolled_and_open_courses_only(client, counselor, course):
    enrol(counselor, course)
    CourseFactory(title="Offener Kurs", self_enrolment=True)
    CourseFactory(title="Geschlossener Kurs")
    CourseFactory(title="Unveröffentlicht", self_enrolment=True, is_published=False)
    client.force_login(counselor)
    page = client.get("/en/staff/learning/").content.decode()
    assert "Datenschutz und Krisenintervention" in page and "Offener Kurs" in page
    assert "Geschlossener Kurs" not in page and "Unveröffentlicht" not in page


def test_a_lesson_is_marked_done_through_the_page(client, counselor, course):
    enrolment = enrol(counselor, course)
    lesson = course.lessons.get()
    client.force_login(counselor)
    page = client.get(f"/en/staff/learning/courses/datenschutz/lessons/{lesson.pk}/").content.decode()
    assert "Schweigepflicht gilt immer." in page
    client.post(f"/en/staff/learning/courses/datenschutz/lessons/{lesson.pk}/")
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=lesson).exists()


def test_a_quiz_page_shows_feedback_per_answer_and_attempts_left(client, counselor, course):
    enrol(counselor, course)
    quiz = course.quizzes.get()
    first, second = list(quiz.questions)
    client.force_login(counselor)
    url = f"/en/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/"
    response = client.post(url, {f"q-{first.id}": "0", f"q-{second.id}": "0"})
    page = response.content.decode()
    assert "Not passed yet" in page and "Nein – Schweigepflicht." in page and "Niemals abwarten." in page
    assert "1 attempt left." in page
    response = client.post(url, {f"q-{first.id}": "1", f"q-{second.id}": ["1", "2"]})
    assert "Passed" in response.content.decode()
    assert QuizAttempt.objects.filter(passed=True).count() == 1


def test_an_unanswered_question_keeps_the_given_answers_and_uses_no_attempt(client, counselor, course):
    enrol(counselor, course)
    quiz = course.quizzes.get()
    first, _second = list(quiz.questions)
    client.force_login(counselor)
    response = client.post(
        f"/en/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/", {f"q-{first.id}": "1"}
    )
    page = response.content.decode()
    assert "Please answer every question." in page
    assert f'name="q-{first.id}" value="1" checked' in page
    assert not QuizAttempt.objects.exists()


def test_someone_not_enrolled_cannot_open_lessons_or_quizzes(client, counselor, course):
    client.force_login(counselor)
    lesson, quiz = course.lessons.get(), course.quizzes.get()
    assert client.get(f"/en/staff/learning/courses/datenschutz/lessons/{lesson.pk}/").status_code == 403
    assert client.post(f"/en/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/").status_code == 403


def test_a_lesson_of_another_course_is_not_found(client, counselor, course):
    enrol(counselor, course)
    foreign = LessonFactory()
    client.force_login(counselor)
    assert client.get(f"/en/staff/learning/courses/datenschutz/lessons/{foreign.pk}/").status_code == 404


def test_self_enrolment_only_where_open(client, counselor, course):
    client.force_login(counselor)
    assert client.post("/en/staff/learning/courses/datenschutz/enrol/").status_code == 403
    course.self_enrolment = True
    course.save()
    client.post("/en/staff/learning/courses/datenschutz/enrol/")
    client.post("/en/staff/learning/courses/datenschutz/enrol/")
    assert Enrolment.objects.filter(user=counselor, source=EnrolmentSource.SELF).count() == 1


def test_an_unpublished_course_is_hidden_from_staff_but_not_from_coordinators(client, counselor, coordinator):
    CourseFactory(slug="entwurf", is_published=False)
    client.force_login(counselor)
    assert client.get("/en/staff/learning/courses/entwurf/").status_code == 404
    client.force_login(coordinator)
    assert client.get("/en/staff/learning/courses/entwurf/").status_code == 200


def test_a_coordinator_enrols_staff_and_a_counselor_may_not(client, coordinator, counselor, course):
    colleague = staff_with_totp(username="colleague", roles=[Role.COUNSELOR])
    client.force_login(counselor)
    assert client.get("/en/staff/learning/courses/datenschutz/enrol-staff/").status_code == 403
    client.force_login(coordinator)
    response = client.post("/en/staff/learning/courses/datenschutz/enrol-staff/", {})
    assert "Please choose at least one staff member." in response.content.decode()
    client.post(
        "/en/staff/learning/courses/datenschutz/enrol-staff/", {"users": [counselor.pk, colleague.pk]}
    )
    assert set(Enrolment.objects.values_list("user__username", flat=True)) == {"counselor_anna", "colleague"}


def test_youth_cannot_reach_the_staff_learning_pages(client, youth, course):
    client.force_login(youth)
    assert client.get("/en/staff/learning/").status_code == 403


def test_staff_confirm_the_current_version_of_a_standard(client, counselor):
    standard = QualityStandard.objects.create(title="Qualitätsstandards Online-Beratung")
    today = timezone.localdate()
    old = StandardVersion.objects.create(
        standard=standard, label="1.0", effective_from=today.replace(year=today.year - 1)
    )
    new = StandardVersion.objects.create(
        standard=standard, label="2.0", effective_from=today, body="<p>Neu</p>"
    )
    client.force_login(counselor)
    page = client.get("/en/staff/learning/standards/").content.decode()
    assert "Version 2.0" in page and "I have read this version" in page
    response = client.post(f"/en/staff/learning/standards/{old.public_id}/confirm/", follow=True)
    assert "A newer version of this standard is in force." in response.content.decode()
    client.post(f"/en/staff/learning/standards/{new.public_id}/confirm/")
    assert list(StandardConfirmation.objects.values_list("version__label", flat=True)) == ["2.0"]
    assert "Read and confirmed" in client.get("/en/staff/learning/standards/").content.decode()


def test_coordinators_author_courses_in_the_cms_and_counselors_cannot(client, coordinator, counselor):
    client.force_login(coordinator)
    assert client.get("/staff/cms/snippets/learning/course/add/").status_code == 200
    assert client.get("/staff/cms/snippets/learning/activityrequirement/").status_code == 200
    assert client.get("/staff/cms/snippets/learning/qualitystandard/add/").status_code == 200
    client.force_login(counselor)
    assert client.get("/staff/cms/snippets/learning/course/add/").status_code in (302, 403)


def test_coordinators_may_upload_images_and_documents_for_lessons(coordinator, counselor):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        assert policy.user_has_permission(coordinator, "add")
        assert policy.user_has_permission(coordinator, "choose")
        assert not policy.user_has_permission(counselor, "add")


def test_a_lesson_shows_video_audio_and_downloads(client, counselor, course):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    def document(name):
        return Document.objects.create(title=name, file=ContentFile(b"data", name=name))

    lesson = LessonFactory(
        course=course,
        body=[
            ("media", document("gespraech.mp4")),
            ("media", document("podcast.mp3")),
            ("download", document("leitfaden.pdf")),
        ],
    )
    enrol(counselor, course)
    client.force_login(counselor)
    page = client.get(f"/en/staff/learning/courses/datenschutz/lessons/{lesson.pk}/").content.decode()
    assert page.count("<video") == 1 and page.count("<audio") == 1
    assert "Download: leitfaden.pdf" in page
    video = Document.objects.get(title="gespraech.mp4")
    url = f"/en/staff/learning/courses/datenschutz/lessons/{lesson.pk}/files/{video.pk}/"
    assert url in page
    response = client.get(url)
    assert response["Content-Type"] == "video/mp4" and b"".join(response.streaming_content) == b"data"
    other = document("fremd.pdf")  # a document that is not part of this lesson
    assert (
        client.get(
            f"/en/staff/learning/courses/datenschutz/lessons/{lesson.pk}/files/{other.pk}/"
        ).status_code
        == 404
    )
    client.force_login(staff_with_totp(username="not_enrolled", roles=[Role.COUNSELOR]))
    assert client.get(url).status_code == 403


def test_my_courses_costs_the_same_queries_for_many_courses(client, counselor, django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            enrol(counselor, CourseFactory(self_enrolment=True))

    fill(2)
    client.force_login(counselor)
    with django_assert_max_num_queries(20) as few:
        client.get("/en/staff/learning/")
    fill(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/en/staff/learning/")


def test_a_failed_attempt_marks_wrong_questions_but_keeps_the_right_answers_hidden(client, counselor, course):
    enrol(counselor, course)
    quiz = course.quizzes.get()
    first, second = list(quiz.questions)
    client.force_login(counselor)
    url = f"/en/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/"
    page = client.post(url, {f"q-{first.id}": "0", f"q-{second.id}": "0"}).content.decode()
    assert "Not passed yet" in page and "1 attempt left." in page
    result = page.split('class="feedback"', 1)[1].split("</ol>", 1)[0]
    assert result.count("not right") == 2
    assert "✓" not in result
    assert "Nur mit Einwilligung" not in result and "Notruf 112" not in result
    assert "The right answers are shown once you have passed or used all your attempts." in page


def test_the_right_answers_show_once_the_attempts_are_used_up(client, counselor, course):
    enrol(counselor, course)
    quiz = course.quizzes.get()
    first, second = list(quiz.questions)
    client.force_login(counselor)
    url = f"/en/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/"
    client.post(url, {f"q-{first.id}": "0", f"q-{second.id}": "0"})
    page = client.post(url, {f"q-{first.id}": "0", f"q-{second.id}": "0"}).content.decode()
    assert "You have used all attempts." in page
    result = page.split('class="feedback"', 1)[1].split("</ol>", 1)[0]
    assert "Nur mit Einwilligung ✓" in result and "Notruf 112 ✓" in result


def test_the_right_answers_show_once_passed(client, counselor, course):
    enrol(counselor, course)
    quiz = course.quizzes.get()
    first, second = list(quiz.questions)
    client.force_login(counselor)
    url = f"/en/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/"
    page = client.post(url, {f"q-{first.id}": "1", f"q-{second.id}": "0"}).content.decode()
    assert "Passed" in page
    result = page.split('class="feedback"', 1)[1].split("</ol>", 1)[0]
    assert "Notruf 112 ✓" in result and "Krisendienst ✓" in result
