"""Training reports per course and site: enrolled, in progress, completed, overdue — on the page and as
CSV. A person counts with their latest enrolment in the course (a re-certification replaces the old
run). Each report costs the same few queries however many people are enrolled, and reads no more model
instances than the page shows: totals are counted from tuples, the CSV is written from tuples, and only
the page of people becomes objects. The totals and the CSV are kept until a write changes what they
count (learning/report_cache.py), so a change shows on the next view and a repeated view costs little."""

import io
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.csv_export import guarded_writer
from learning.models import Course, Enrolment, LessonCompletion, QuizAttempt
from learning.report_cache import report_cached
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
    """Totals per site and for all, and the people as a queryset (the page shows one page of them, the
    CSV all): 5,000 enrolled staff are 5,000 small tuples for the totals, not 10,000 model instances."""

    people: object = None
    sites: list[SiteTotals] = field(default_factory=list)
    total: SiteTotals | None = None
    site_ids: set[int] | None = None  # the reader's scope (None: every site)
    site_names: dict = field(default_factory=dict)  # site id -> name, for the page of people


def _status(completed_at, due_at, started, now) -> str:
    if completed_at:
        return "completed"
    if due_at and due_at < now:
        return "overdue"
    return "in_progress" if started else "not_started"


def _seconds_true(rows_due, now) -> float | None:
    """How long statuses computed at `now` stay true: until the next open enrolment falls due."""
    upcoming = [due_at for completed_at, due_at in rows_due if not completed_at and due_at and due_at >= now]
    return math.ceil((min(upcoming) - now).total_seconds()) if upcoming else None


def _site_links(site_ids: set[int] | None, user_ids=None) -> dict[int, set[int]]:
    """Which sites each staff member (of `user_ids`, default everyone) works at within the scope."""
    links = site_staff_links()
    if site_ids is not None:
        links = links.filter(object_pk__in=[str(pk) for pk in site_ids])
    if user_ids is not None:
        links = links.filter(user_id__in=user_ids)
    sites_of: dict[int, set[int]] = defaultdict(set)
    for user_id, site_pk in links.values_list("user_id", "object_pk"):
        sites_of[user_id].add(int(site_pk))
    return sites_of


def _sites_of(site_ids: set[int] | None) -> tuple[dict[int, set[int]], dict[int, str]]:
    """Which sites each staff member works at within the scope, and the sites' names: two queries."""
    sites_of = _site_links(site_ids)
    names = dict(
        Site.objects.filter(pk__in={pk for ids in sites_of.values() for pk in ids}).values_list("pk", "name")
    )
    return sites_of, names


def course_people(course: Course, *, site_ids: set[int] | None = None):
    return (
        latest_enrolments(site_ids)
        .filter(course=course)
        .select_related("user")
        .order_by("user__username", "pk")
    )


def course_report(course: Course, *, site_ids: set[int] | None = None, now=None) -> CourseReport:
    """Per-site totals (kept until a write changes them) and `people` left unevaluated for the caller to
    page (`people_describe`)."""
    people = course_people(course, site_ids=site_ids)
    sites, total, names = report_cached(
        "totals", course, site_ids, lambda: _totals(people, site_ids, now or timezone.now())
    )
    return CourseReport(people=people, sites=sites, total=total, site_ids=site_ids, site_names=names)


def _totals(people, site_ids, now) -> tuple[tuple, float | None]:
    """One query of tuples and the site links (three queries in all)."""
    rows = list(people.values_list("user_id", "completed_at", "due_at", "started"))
    sites_of, names = _sites_of(site_ids)
    total = SiteTotals(_("All"))
    by_site: dict[int | None, SiteTotals] = {}
    for user_id, completed_at, due_at, started in rows:
        status = _status(completed_at, due_at, started, now)
        for key in sites_of.get(user_id) or {None}:
            totals = by_site.get(key) or by_site.setdefault(
                key, SiteTotals(names[key] if key else _("No site"))
            )
            _count(totals, status)
        _count(total, status)
    sites = sorted(by_site.values(), key=lambda totals: totals.name)
    return (sites, total, names), _seconds_true(((row[1], row[2]) for row in rows), now)


def people_describe(enrolments, report: CourseReport, *, now=None) -> list:
    """Status and site names on the enrolments of one page (the sites of these people: one query)."""
    now = now or timezone.now()
    enrolments = list(enrolments)
    sites_of = _site_links(report.site_ids, user_ids=[enrolment.user_id for enrolment in enrolments])
    names = report.site_names
    for enrolment in enrolments:
        enrolment.status = _status(enrolment.completed_at, enrolment.due_at, enrolment.started, now)
        enrolment.status_label = STATUS_LABELS[enrolment.status]
        enrolment.site_names = sorted(names[pk] for pk in sites_of.get(enrolment.user_id, ()))
    return enrolments


def _count(totals: SiteTotals, status: str) -> None:
    totals.enrolled += 1
    setattr(totals, status, getattr(totals, status) + 1)


def course_csv(course: Course, *, site_ids: set[int] | None = None, now=None) -> str:
    """The whole export as text, every cell guarded (hub.csv_export), kept until a write changes it."""
    return report_cached("csv", course, site_ids, lambda: _csv(course, site_ids, now or timezone.now()))


def _csv(course: Course, site_ids: set[int] | None, now) -> tuple[str, float | None]:
    """Rows from tuples, not model instances."""
    out = io.StringIO()
    writer = guarded_writer(out)
    writer.writerow(
        [_("Name"), _("Username"), _("Sites"), _("Status"), _("Enrolled"), _("Due"), _("Completed")]
    )
    sites_of, names = _sites_of(site_ids)
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    rows = course_people(course, site_ids=site_ids).values_list(
        "user__display_name", "user__username", "user_id", "completed_at", "due_at", "started", "enrolled_at"
    )
    due = []
    for display_name, username, user_id, completed_at, due_at, started, enrolled_at in rows:
        due.append((completed_at, due_at))
        writer.writerow(
            [
                display_name or username,  # User.get_full_name
                username,
                "; ".join(sorted(names[pk] for pk in sites_of.get(user_id, ()))),
                labels[_status(completed_at, due_at, started, now)],
                enrolled_at.date().isoformat(),
                due_at.date().isoformat() if due_at else "",
                completed_at.date().isoformat() if completed_at else "",
            ]
        )
    return out.getvalue(), _seconds_true(due, now)
