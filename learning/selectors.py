"""Reads for the learning pages and reports."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from guardian.utils import get_user_obj_perms_model

from learning.models import (
    Certificate,
    Course,
    Enrolment,
    LessonCompletion,
    QualityStandard,
    QuizAttempt,
    StandardConfirmation,
    StandardVersion,
)
from sites.models import Site

SITE_STAFF_PERMS = ["counsel_at_site", "lead_site"]


def site_staff_links():
    """(user, site) rows of the guardian permissions that put a staff member at a site."""
    return get_user_obj_perms_model().objects.filter(
        content_type=ContentType.objects.get_for_model(Site), permission__codename__in=SITE_STAFF_PERMS
    )


def site_ids_of(user) -> set[int]:
    return {int(pk) for pk in site_staff_links().filter(user=user).values_list("object_pk", flat=True)}


def lead_site_ids(user) -> set[int]:
    links = site_staff_links().filter(user=user, permission__codename="lead_site")
    return {int(pk) for pk in links.values_list("object_pk", flat=True)}


def current_enrolment(user, course) -> Enrolment | None:
    """The open run through the course, else the latest finished one."""
    enrolments = Enrolment.objects.filter(user=user, course=course)
    return enrolments.filter(completed_at__isnull=True).first() or enrolments.order_by("-enrolled_at").first()


def courses_for(user):
    """Published courses the user is enrolled in or may enrol in, each with `.enrolment` and
    `.certificate` (the user's latest)."""
    enrolments = Enrolment.objects.filter(user=user).order_by("completed_at", "-enrolled_at")
    certificates = Certificate.objects.filter(user=user).order_by("-issued_at")
    courses = (
        Course.objects.filter(is_published=True)
        .filter(Exists(Enrolment.objects.filter(user=user, course=OuterRef("pk"))) | Q(self_enrolment=True))
        .prefetch_related(
            Prefetch("enrolments", queryset=enrolments, to_attr="my_enrolments"),
            Prefetch("certificates", queryset=certificates, to_attr="my_certificates"),
        )
    )
    result = []
    for course in courses:
        open_runs = [e for e in course.my_enrolments if e.completed_at is None]
        course.enrolment = open_runs[0] if open_runs else (course.my_enrolments or [None])[0]
        course.certificate = course.my_certificates[0] if course.my_certificates else None
        result.append(course)
    return result


@dataclass
class CourseProgress:
    done_lessons: set[int]
    passed_quizzes: set[int]
    attempts: dict[int, list] = field(default_factory=dict)
    required_lessons: int = 0
    total_steps: int = 0

    @property
    def percent(self) -> int:
        done = len(self.done_lessons) + len(self.passed_quizzes)
        return round(100 * done / self.total_steps) if self.total_steps else 0


def progress_of(enrolment: Enrolment | None, course: Course) -> CourseProgress:
    lessons = list(course.lessons.all())
    quizzes = list(course.quizzes.all())
    progress = CourseProgress(set(), set(), total_steps=len(lessons) + len(quizzes))
    if enrolment is None:
        return progress
    progress.done_lessons = set(
        LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )
    for attempt in QuizAttempt.objects.filter(enrolment=enrolment):
        progress.attempts.setdefault(attempt.quiz_id, []).append(attempt)
        if attempt.passed:
            progress.passed_quizzes.add(attempt.quiz_id)
    return progress


def modules_of(course: Course) -> list[tuple[str, list]]:
    """Lessons then quizzes grouped by their module heading, in the editor's order (lessons first
    within a module)."""
    modules: dict[str, list] = {}
    for lesson in course.lessons.all():
        lesson.kind = "lesson"
        modules.setdefault(lesson.module, []).append(lesson)
    for quiz in course.quizzes.all():
        quiz.kind = "quiz"
        modules.setdefault(quiz.module, []).append(quiz)
    return list(modules.items())


def latest_certificate(user, course) -> Certificate | None:
    return Certificate.objects.filter(user=user, course=course).order_by("-issued_at").first()


def may_self_enrol(course) -> bool:
    """Open courses, and every course an activity requires: whoever is refused may enrol at once."""
    return course.self_enrolment or course.requirements.exists()


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).first() if code else None


def standards_for(user):
    """Each standard with its current version (the latest in force) and whether the user confirmed it."""
    today = timezone.localdate()
    versions = StandardVersion.objects.filter(effective_from__lte=today).order_by("-effective_from", "-pk")
    standards = list(
        QualityStandard.objects.prefetch_related(Prefetch("versions", queryset=versions, to_attr="in_force"))
    )
    current_ids = [s.in_force[0].pk for s in standards if s.in_force]
    confirmed = set(
        StandardConfirmation.objects.filter(user=user, version_id__in=current_ids).values_list(
            "version_id", flat=True
        )
    )
    for standard in standards:
        standard.current = standard.in_force[0] if standard.in_force else None
        standard.confirmed = standard.current is not None and standard.current.pk in confirmed
    return standards
