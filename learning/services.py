"""Writes of the learning platform: enrolment (self, by a coordinator, by rule), progress, quiz attempts,
completion with its certificate, re-certification and quality-standard confirmations."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hub.roles import STAFF_ROLES
from hub.statistics import StatKind, stat_record
from learning.models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentRule,
    EnrolmentSource,
    Lesson,
    LessonCompletion,
    Quiz,
    QuizAttempt,
    StandardConfirmation,
    StandardVersion,
)
from learning.selectors import site_ids_of, site_staff_links
from sites.models import Site


class QuizLocked(Exception):
    """No attempts left, or the quiz is already passed."""


def _due_at(course: Course, enrolled_at: datetime) -> datetime | None:
    if course.due_date:
        return datetime.combine(course.due_date, time(23, 59), tzinfo=timezone.get_current_timezone())
    if course.due_days:
        return enrolled_at + timedelta(days=course.due_days)
    return None


def enrolment_create(*, user, course: Course, source: str, due_at: datetime | None = None) -> Enrolment:
    """Enrol, or return the open enrolment the user already has (safe to call twice, also concurrently)."""
    existing = Enrolment.objects.filter(user=user, course=course, completed_at__isnull=True).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                user=user,
                course=course,
                source=source,
                enrolled_at=now,
                due_at=due_at or _due_at(course, now),
            )
    except IntegrityError:
        return Enrolment.objects.get(user=user, course=course, completed_at__isnull=True)


# --- enrolment by rule ---------------------------------------------------------------------------------


def enrolments_sync_user(*, user) -> int:
    """Enrol a staff member in every course whose rules match them and which they never took.
    Called when they gain a role or a site (learning/signals.py) and by the nightly resync."""
    if not user.is_active:
        return 0
    roles = set(user.groups.values_list("name", flat=True))
    if not roles & set(STAFF_ROLES):
        return 0
    site_ids = site_ids_of(user)
    rules = (
        EnrolmentRule.objects.filter(course__is_published=True)
        .filter(Q(role__in=roles) | Q(role=""), Q(site_id__in=site_ids) | Q(site__isnull=True))
        .exclude(course__in=Enrolment.objects.filter(user=user).values("course_id"))
        .select_related("course")
    )
    courses = {rule.course_id: rule.course for rule in rules}
    for course in courses.values():
        enrolment_create(user=user, course=course, source=EnrolmentSource.RULE)
    return len(courses)


def rule_users(rule: EnrolmentRule):
    users = get_user_model().objects.filter(is_active=True)
    users = users.filter(groups__name=rule.role) if rule.role else users.filter(groups__name__in=STAFF_ROLES)
    if rule.site_id:
        links = site_staff_links().filter(object_pk=str(rule.site_id))
        users = users.filter(pk__in=links.values("user_id"))
    return users.distinct()


def course_sync_rules(*, course: Course) -> int:
    """Enrol everyone the course's rules match who never took it (after an edit, and nightly)."""
    if not course.is_published:
        return 0
    taken = Enrolment.objects.filter(course=course).values("user_id")
    created = 0
    for rule in course.rules.all():
        for user in rule_users(rule).exclude(pk__in=taken):
            enrolment_create(user=user, course=course, source=EnrolmentSource.RULE)
            created += 1
    return created


# --- progress ------------------------------------------------------------------------------------------


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: Lesson) -> Certificate | None:
    LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    return _complete_if_done(enrolment)


def grade(quiz: Quiz, answers: dict[str, list[int]]) -> tuple[int, dict[str, bool]]:
    """Score in percent (rounded down) and which questions were answered right. A question is right
    when exactly its correct answers are chosen."""
    results = {}
    for question in quiz.questions:
        correct = {i for i, answer in enumerate(question.value["answers"]) if answer["correct"]}
        results[question.id] = set(answers.get(question.id, [])) == correct
    score = (100 * sum(results.values())) // len(results) if results else 0
    return score, results


def attempts_left(quiz: Quiz, used: int, enrolment: Enrolment | None = None) -> int | None:
    if quiz.max_attempts == 0:
        return None
    extra = int((enrolment.extra_attempts if enrolment else {}).get(str(quiz.pk), 0))
    return max(quiz.max_attempts + extra - used, 0)


@transaction.atomic
def quiz_attempt_grant(*, enrolment: Enrolment, quiz: Quiz) -> Enrolment:
    """A coordinator gives someone who used up their attempts one more."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    key = str(quiz.pk)
    enrolment.extra_attempts = {
        **enrolment.extra_attempts,
        key: int(enrolment.extra_attempts.get(key, 0)) + 1,
    }
    enrolment.save(update_fields=["extra_attempts"])
    return enrolment


@transaction.atomic
def quiz_submit(*, enrolment: Enrolment, quiz: Quiz, answers: dict[str, list[int]]) -> QuizAttempt:
    # Lock the enrolment: two tabs submitting at once must not both get the last attempt.
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    previous = list(QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz))
    if (
        enrolment.completed_at
        or any(a.passed for a in previous)
        or attempts_left(quiz, len(previous), enrolment) == 0
    ):
        raise QuizLocked
    score, _results = grade(quiz, answers)
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        number=len(previous) + 1,
        score=score,
        passed=score >= quiz.pass_mark,
        answers=answers,
    )
    if attempt.passed:
        _complete_if_done(enrolment)
    return attempt


def _complete_if_done(enrolment: Enrolment) -> Certificate | None:
    """Completion = every required lesson done and every quiz passed. Issues the certificate."""
    if enrolment.completed_at is not None:
        return None
    course = enrolment.course
    required = set(course.lessons.filter(required=True).values_list("pk", flat=True))
    done = set(enrolment.lesson_completions.values_list("lesson_id", flat=True))
    quizzes = set(course.quizzes.values_list("pk", flat=True))
    passed = set(enrolment.attempts.filter(passed=True).values_list("quiz_id", flat=True))
    if not (required <= done and quizzes <= passed):
        return None
    now = timezone.now()
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    _count_completion(enrolment, now)
    return certificate_issue(enrolment=enrolment, at=now)


def _count_completion(enrolment: Enrolment, at: datetime) -> None:
    # The statistics count completions per site; someone working at several sites counts without one
    # rather than twice.
    site_ids = site_ids_of(enrolment.user)
    site = Site.objects.filter(pk__in=site_ids).first() if len(site_ids) == 1 else None
    stat_record(StatKind.COURSE_COMPLETION, on=at, site=site)


def certificate_issue(*, enrolment: Enrolment, at: datetime) -> Certificate:
    course = enrolment.course
    valid_until = at + relativedelta(months=course.validity_months) if course.validity_months else None
    return Certificate.objects.create(
        user=enrolment.user,
        course=course,
        enrolment=enrolment,
        holder_name=enrolment.user.get_full_name(),
        course_title=course.title,
        issued_at=at,
        valid_until=valid_until,
    )


RENEWAL_LEAD = timedelta(days=30)


def certificates_open_renewals(*, now: datetime | None = None) -> int:
    """Open a re-certification enrolment for each certificate that runs out within RENEWAL_LEAD, due on
    its expiry. Each certificate is claimed first, so a second run does nothing."""
    now = now or timezone.now()
    expiring = Certificate.objects.filter(
        renewal_opened_at__isnull=True,
        revoked_at__isnull=True,
        valid_until__isnull=False,
        valid_until__lte=now + RENEWAL_LEAD,
        user__is_active=True,
    )
    opened = 0
    for certificate in expiring.select_related("course", "user"):
        claimed = Certificate.objects.filter(pk=certificate.pk, renewal_opened_at__isnull=True).update(
            renewal_opened_at=now
        )
        if not claimed:
            continue
        newer = Certificate.objects.filter(
            user=certificate.user, course=certificate.course, issued_at__gt=certificate.issued_at
        )
        if newer.exists():
            continue
        enrolment_create(
            user=certificate.user,
            course=certificate.course,
            source=EnrolmentSource.RENEWAL,
            due_at=max(certificate.valid_until, now),
        )
        opened += 1
    return opened


def standard_confirm(*, user, version: StandardVersion) -> StandardConfirmation:
    confirmation, _created = StandardConfirmation.objects.get_or_create(user=user, version=version)
    return confirmation
