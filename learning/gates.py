"""May this staff member do ACTIVITY? Counseling asks here before someone takes a case, is assigned one,
accepts a live chat or takes a callback. With no requirement configured everyone may (the default)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from learning.models import Activity, Certificate, Course


def _required_courses(activity: str):
    return Course.objects.filter(requirements__activity=activity).order_by("title")


def _valid_certificates(user_ids, course_ids, *, now):
    return Certificate.objects.filter(
        user_id__in=user_ids, course_id__in=course_ids, revoked_at__isnull=True
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))


def missing_courses(user, activity: str, *, now=None) -> list[Course]:
    """The required courses of which the user holds no valid certificate (two queries)."""
    required = list(_required_courses(activity))
    if not required:
        return []
    held = set(
        _valid_certificates(
            [user.pk], [course.pk for course in required], now=now or timezone.now()
        ).values_list("course_id", flat=True)
    )
    return [course for course in required if course.pk not in held]


def activity_refusal(user, activity: str, *, now=None) -> str | None:
    """None if the user may do the activity; otherwise a translated message (safe HTML) linking to the
    first missing course."""
    missing = missing_courses(user, activity, now=now)
    if not missing:
        return None
    course = missing[0]
    return format_html(
        '{} <a href="{}">{}</a>',
        _("%(activity)s needs a valid certificate of this course:") % {"activity": Activity(activity).label},
        reverse("learning_staff:course", args=[course.slug]),
        course.title,
    )


def users_refused(activity: str, user_ids, *, now=None) -> set[int]:
    """Of the given users, those who may not do the activity. Two queries for any number of users."""
    required = set(_required_courses(activity).values_list("pk", flat=True))
    user_ids = set(user_ids)
    if not required or not user_ids:
        return set()
    held: dict[int, set[int]] = {}
    for user_id, course_id in _valid_certificates(user_ids, required, now=now or timezone.now()).values_list(
        "user_id", "course_id"
    ):
        held.setdefault(user_id, set()).add(course_id)
    return {user_id for user_id in user_ids if not required <= held.get(user_id, set())}
