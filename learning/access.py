"""Who may see which course, lesson, quiz, certificate and report."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.roles import Role, has_role, may_enter_staff_area
from learning.models import Certificate, Course, Enrolment, Lesson, Quiz
from learning.selectors import current_enrolment, lead_site_ids, site_ids_of


def may_manage_courses(user) -> bool:
    return user.has_perm("learning.add_enrolment")


def may_read_course_files(user, course_ids) -> bool:
    """A lesson's documents: for those enrolled in a published course, and for coordinators."""
    if not user.is_authenticated:
        return False
    if may_manage_courses(user):
        return True
    return Enrolment.objects.filter(user=user, course_id__in=course_ids, course__is_published=True).exists()


def may_read_standards(user, standard_ids) -> bool:
    """Quality standards, their documents included, are for all staff (not network partners)."""
    return user.is_authenticated and may_enter_staff_area(user)


def access_course(user, slug: str) -> Course:
    """Published courses are visible to all staff (the staff middleware has checked the role);
    unpublished ones only to coordinators."""
    course = Course.objects.filter(slug=slug).first()
    if course is None or not (course.is_published or may_manage_courses(user)):
        raise Http404
    return course


def access_enrolment(user, slug: str) -> tuple[Course, Enrolment]:
    """The course with the user's current enrolment; 403 for someone not enrolled."""
    course = access_course(user, slug)
    enrolment = current_enrolment(user, course)
    if enrolment is None:
        raise PermissionDenied
    return course, enrolment


def access_lesson(user, slug: str, lesson_id: int) -> tuple[Course, Enrolment, Lesson]:
    course, enrolment = access_enrolment(user, slug)
    lesson = Lesson.objects.filter(course=course, pk=lesson_id).first()
    if lesson is None:
        raise Http404
    return course, enrolment, lesson


def access_quiz(user, slug: str, quiz_id: int) -> tuple[Course, Enrolment, Quiz]:
    course, enrolment = access_enrolment(user, slug)
    quiz = Quiz.objects.filter(course=course, pk=quiz_id).first()
    if quiz is None:
        raise Http404
    return course, enrolment, quiz


def access_certificate(user, code: str) -> Certificate:
    """The PDF: for its holder and coordinators. Anyone else learns nothing (404)."""
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None or not (certificate.user_id == user.pk or may_manage_courses(user)):
        raise Http404
    return certificate


def access_enrolment_report(user, slug: str, enrolment_id: int) -> Enrolment:
    """A person's progress: coordinators; site leads for staff of their sites."""
    scope = report_site_scope(user)
    course = access_course(user, slug)
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, course=course).select_related("user", "course").first()
    )
    if enrolment is None:
        raise Http404
    if scope is not None and not (site_ids_of(enrolment.user) & scope):
        raise PermissionDenied
    return enrolment


def report_site_scope(user) -> set[int] | None:
    """Coordinators see every site (None); site leads their own sites; anyone else is refused."""
    if user.has_perm("learning.view_enrolment"):
        return None
    if has_role(user, Role.SITE_LEAD):
        sites = lead_site_ids(user)
        if sites:
            return sites
    raise PermissionDenied
