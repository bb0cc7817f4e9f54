"""Learning jobs: due-date reminders, overdue notices to the site leads, re-certification and the rule
resync. Each is safe to run twice: rows are claimed by a conditional UPDATE before a mail goes out."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from learning import services
from learning.models import Course, Enrolment
from learning.selectors import site_staff_links

REMIND_BEFORE = timedelta(days=7)


def _mail(*, to: list[str], template: str, context: dict) -> None:
    if not to:
        return
    with translation.override("de"):
        EmailMessage(
            subject=render_to_string(f"learning/mail/{template}_subject.txt", context).strip(),
            body=render_to_string(f"learning/mail/{template}.txt", context),
            from_email=settings.NEUTRAL_FROM_EMAIL,
            to=to,
        ).send()


def _course_link(course: Course) -> str:
    with translation.override("de"):
        return settings.SITE_URL + reverse("learning_staff:course", args=[course.slug])


def _open_with_due():
    return Enrolment.objects.filter(completed_at__isnull=True, due_at__isnull=False, user__is_active=True)


@shared_task(name="learning.remind_due_enrolments")
def remind_due_enrolments() -> int:
    """The learner, once, when the due date is less than REMIND_BEFORE away."""
    now = timezone.now()
    sent = 0
    due_soon = _open_with_due().filter(due_at__gt=now, due_at__lte=now + REMIND_BEFORE, reminded_at=None)
    for enrolment in due_soon.select_related("user", "course"):
        if not Enrolment.objects.filter(pk=enrolment.pk, reminded_at=None).update(reminded_at=now):
            continue
        if enrolment.user.email:
            context = {
                "course": enrolment.course,
                "due_at": enrolment.due_at,
                "link": _course_link(enrolment.course),
            }
            _mail(to=[enrolment.user.email], template="due_reminder", context=context)
            sent += 1
    return sent


def _lead_emails(user) -> list[str]:
    site_ids = (
        site_staff_links().filter(user=user, permission__codename="counsel_at_site").values("object_pk")
    )
    lead_ids = (
        site_staff_links().filter(permission__codename="lead_site", object_pk__in=site_ids).values("user_id")
    )
    leads = get_user_model().objects.filter(pk__in=lead_ids, is_active=True).exclude(email="")
    return sorted(leads.exclude(pk=user.pk).values_list("email", flat=True))


@shared_task(name="learning.notify_overdue_enrolments")
def notify_overdue_enrolments() -> int:
    """The site leads of the learner's sites, once per enrolment, when the due date has passed."""
    now = timezone.now()
    sent = 0
    overdue = _open_with_due().filter(due_at__lte=now, overdue_notified_at=None)
    for enrolment in overdue.select_related("user", "course"):
        if not Enrolment.objects.filter(pk=enrolment.pk, overdue_notified_at=None).update(
            overdue_notified_at=now
        ):
            continue
        leads = _lead_emails(enrolment.user)
        if leads:
            context = {
                "course": enrolment.course,
                "due_at": enrolment.due_at,
                "name": enrolment.user.get_full_name(),
                "link": settings.SITE_URL + reverse("learning_staff:reports"),
            }
            _mail(to=leads, template="overdue", context=context)
            sent += 1
    return sent


@shared_task(name="learning.open_renewals")
def open_renewals() -> int:
    return services.certificates_open_renewals()


@shared_task(name="learning.sync_rule_enrolments")
def sync_rule_enrolments() -> int:
    return sum(
        services.course_sync_rules(course=course) for course in Course.objects.filter(is_published=True)
    )
