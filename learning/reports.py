"""Training reports per course and site: enrolled, in progress, completed, overdue — on the page and as
CSV. A person counts with their latest enrolment in the course (a re-certification replaces the old
run). Each report costs the same few queries however many people are enrolled."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models import Course, Enrolment, LessonCompletion, QuizAttempt
from learning.selectors import site_staff_links
from sites.models import Site

STATUS_LABELS = {
    "completed": gettext_lazy("Completed"),
    "overdue": gettext_lazy("Overdue"),
    "in_progress": gettext_lazy("In progress"),
    "not_started": gettext_lazy("Not started"),
}


def latest_enrolments(site_ids: set[int] | None = None):
    newer = Enrolment.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), enrolled_at__gt=OuterRef("enrolled_at")
    )
    started = Exists(LessonCompletion.objects.filter(enrolment=OuterRef("pk"))) | Exists(
        QuizAttempt.objects.filter(enrolment=OuterRef("pk"))
    )
    enrolments = Enrolment.objects.exclude(Exists(newer)).annotate(started=started)
    if site_ids is not None:
        links = site_staff_links().filter(object_pk__in=[str(pk) for pk in site_ids])
        enrolments = enrolments.filter(user_id__in=links.values("user_id"))
    return enrolments


def _status_filters(now):
    open_ = Q(completed_at__isnull=True)
    overdue = open_ & Q(due_at__lt=now)
    return {
        "completed": Q(completed_at__isnull=False),
        "overdue": overdue,
        "in_progress": open_ & ~overdue & Q(started=True),
    }


def course_overview(*, site_ids: set[int] | None = None, now=None) -> list[Course]:
    """Every course with its counts: two queries."""
    now = now or timezone.now()
    counts = {
        row["course_id"]: row
        for row in latest_enrolments(site_ids)
        .values("course_id")
        .annotate(
            enrolled=Count("pk"),
            **{name: Count("pk", filter=condition) for name, condition in _status_filters(now).items()},
        )
    }
    courses = list(Course.objects.all())
    for course in courses:
        course.counts = counts.get(course.pk, {"enrolled": 0, "completed": 0, "overdue": 0, "in_progress": 0})
    return courses


@dataclass
class SiteTotals:
    name: str
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    overdue: int = 0
    not_started: int = 0


@dataclass
class CourseReport:
    people: list = field(default_factory=list)
    sites: list[SiteTotals] = field(default_factory=list)
    total: SiteTotals | None = None


def _status(enrolment, now) -> str:
    if enrolment.completed_at:
        return "completed"
    if enrolment.due_at and enrolment.due_at < now:
        return "overdue"
    return "in_progress" if enrolment.started else "not_started"


def course_report(course: Course, *, site_ids: set[int] | None = None, now=None) -> CourseReport:
    """People and per-site totals: three queries (enrolments with users, site links, site names)."""
    now = now or timezone.now()
    enrolments = list(
        latest_enrolments(site_ids).filter(course=course).select_related("user").order_by("user__username")
    )
    links = site_staff_links().filter(user_id__in=[e.user_id for e in enrolments])
    if site_ids is not None:
        links = links.filter(object_pk__in=[str(pk) for pk in site_ids])
    sites_of: dict[int, set[int]] = defaultdict(set)
    for user_id, site_pk in links.values_list("user_id", "object_pk").distinct():
        sites_of[user_id].add(int(site_pk))
    names = dict(
        Site.objects.filter(pk__in={pk for ids in sites_of.values() for pk in ids}).values_list("pk", "name")
    )
    report = CourseReport(total=SiteTotals(_("All")))
    by_site: dict[int | None, SiteTotals] = {}
    for enrolment in enrolments:
        status = _status(enrolment, now)
        enrolment.status = status
        enrolment.status_label = STATUS_LABELS[status]
        enrolment.site_names = sorted(names[pk] for pk in sites_of[enrolment.user_id])
        report.people.append(enrolment)
        for key in sites_of[enrolment.user_id] or {None}:
            totals = by_site.setdefault(key, SiteTotals(names[key] if key else _("No site")))
            _count(totals, status)
        _count(report.total, status)
    report.sites = sorted(by_site.values(), key=lambda totals: totals.name)
    return report


def _count(totals: SiteTotals, status: str) -> None:
    totals.enrolled += 1
    setattr(totals, status, getattr(totals, status) + 1)


def write_csv(writer, report: CourseReport) -> None:
    """Rows into a guarded writer (hub.csv_export.csv_download)."""
    writer.writerow(
        [_("Name"), _("Username"), _("Sites"), _("Status"), _("Enrolled"), _("Due"), _("Completed")]
    )
    for enrolment in report.people:
        writer.writerow(
            [
                enrolment.user.get_full_name(),
                enrolment.user.username,
                "; ".join(enrolment.site_names),
                enrolment.status_label,
                enrolment.enrolled_at.date().isoformat(),
                enrolment.due_at.date().isoformat() if enrolment.due_at else "",
                enrolment.completed_at.date().isoformat() if enrolment.completed_at else "",
            ]
        )
