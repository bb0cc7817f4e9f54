"""Progress, quizzes and completion: a quiz below the pass mark does not complete the course; attempts
are limited; required lessons and passed quizzes complete it and issue the certificate."""

import pytest

from hub.models import StatEvent
from hub.statistics import StatKind
from learning import services
from learning.models import Certificate, EnrolmentSource, QuizAttempt
from learning.tests.factories import CourseFactory, LessonFactory, QuizFactory
from sites.services import site_counselor_grant
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(title="Datenschutz und Krisenintervention", validity_months=12)
    LessonFactory(course=course, title="Schweigepflicht")
    LessonFactory(course=course, title="Zusatzmaterial", required=False)
    return course


def _answers(quiz, *, right: bool):
    first, second = list(quiz.questions)
    if right:
        return {first.id: [1], second.id: [1, 2]}
    return {first.id: [0], second.id: [0]}


def test_a_quiz_below_the_pass_mark_does_not_complete_the_course(course, counselor):
    quiz = QuizFactory(course=course)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    services.lesson_complete(enrolment=enrolment, lesson=course.lessons.get(required=True))
    attempt = services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=False))
    enrolment.refresh_from_db()
    assert (attempt.score, attempt.passed) == (0, False)
    assert enrolment.completed_at is None
    assert not Certificate.objects.exists()


def test_exactly_the_pass_mark_passes(course, counselor):
    quiz = QuizFactory(course=course, pass_mark=50)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    first = next(iter(quiz.questions))
    attempt = services.quiz_submit(enrolment=enrolment, quiz=quiz, answers={first.id: [1]})
    assert (attempt.score, attempt.passed) == (50, True)


def test_a_multiple_choice_question_needs_every_right_answer_and_no_wrong_one(course):
    quiz = QuizFactory(course=course)
    first, second = list(quiz.questions)
    assert services.grade(quiz, {first.id: [1], second.id: [1]})[0] == 50
    assert services.grade(quiz, {first.id: [1], second.id: [0, 1, 2]})[0] == 50
    assert services.grade(quiz, {first.id: [1], second.id: [2, 1]})[0] == 100


def test_attempts_are_limited(course, counselor):
    quiz = QuizFactory(course=course, max_attempts=2)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    for _ in range(2):
        services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=False))
    with pytest.raises(services.QuizLocked):
        services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=True))
    assert QuizAttempt.objects.count() == 2
    assert services.attempts_left(quiz, 2) == 0


def test_unlimited_attempts_when_the_limit_is_zero(course, counselor):
    quiz = QuizFactory(course=course, max_attempts=0)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    for _ in range(5):
        services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=False))
    assert services.attempts_left(quiz, 5) is None


def test_a_passed_quiz_cannot_be_retaken(course, counselor):
    quiz = QuizFactory(course=course)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=True))
    with pytest.raises(services.QuizLocked):
        services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=True))


def test_required_lessons_and_passed_quizzes_complete_the_course_with_a_certificate(course, counselor):
    quiz = QuizFactory(course=course)
    counselor.display_name = "Anna Berg"
    counselor.save()
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=True))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the required lesson is still open
    certificate = services.lesson_complete(enrolment=enrolment, lesson=course.lessons.get(required=True))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None  # the optional lesson is not needed
    assert certificate.holder_name == "Anna Berg"
    assert certificate.course_title == "Datenschutz und Krisenintervention"
    assert certificate.valid_until.year == certificate.issued_at.year + 1
    assert len(certificate.code) >= 22  # 128 random bits, URL-safe


def test_a_completion_is_counted_for_the_statistics_without_the_person(course, counselor):
    site = SiteFactory()
    site_counselor_grant(site=site, user=counselor)
    quiz = QuizFactory(course=course)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    services.lesson_complete(enrolment=enrolment, lesson=course.lessons.get(required=True))
    assert not StatEvent.objects.filter(kind=StatKind.COURSE_COMPLETION).exists()
    services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=_answers(quiz, right=True))
    event = StatEvent.objects.get(kind=StatKind.COURSE_COMPLETION)
    assert event.site_ref == site.pk
    assert {f.name for f in StatEvent._meta.fields}.isdisjoint({"user", "user_id", "case", "enrolment"})
