"""Reports per course and site with CSV export; a constant query count with 500 enrolled staff."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.models import UserObjectPermission

from hub.models import User
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from learning.models import Enrolment, EnrolmentSource, Lesson, LessonCompletion
from learning.tests.factories import CourseFactory, LessonFactory
from sites import services as site_services
from sites.models import Site
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def _enrol_many(course, sites, count):
    """`count` counselors spread over the sites, in bulk: a quarter completed, a quarter overdue, a
    quarter started, the rest not started."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [User(username=f"staff{i}", display_name=f"Staff {i}", is_staff=True) for i in range(count)]
    )
    group, _ = Group.objects.get_or_create(name=Role.COUNSELOR)
    group.user_set.add(*users)
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="counsel_at_site")
    site_type = ContentType.objects.get_for_model(Site)
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user=user,
                permission=permission,
                content_type=site_type,
                object_pk=str(sites[i % len(sites)].pk),
            )
            for i, user in enumerate(users)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=user,
                course=course,
                source=EnrolmentSource.COORDINATOR,
                due_at=now - timedelta(days=1) if i % 4 == 1 else now + timedelta(days=10),
                completed_at=now if i % 4 == 0 else None,
            )
            for i, user in enumerate(users)
        ]
    )
    lesson = Lesson.objects.filter(course=course).first()
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(enrolment=e, lesson=lesson) for i, e in enumerate(enrolments) if i % 4 == 2]
    )


@pytest.fixture
def course():
    course = CourseFactory(title="Datenschutz und Krisenintervention", slug="datenschutz")
    LessonFactory(course=course)
    return course


def test_the_report_counts_per_site(client, coordinator, course):
    sites = [SiteFactory(name="Bonn"), SiteFactory(name="Köln")]
    _enrol_many(course, sites, 8)
    client.force_login(coordinator)
    response = client.get("/en/staff/learning/reports/datenschutz/")
    report = response.context["report"]
    assert [(s.name, s.enrolled, s.completed, s.overdue, s.in_progress) for s in report.sites] == [
        ("Bonn", 4, 2, 0, 2),
        ("Köln", 4, 0, 2, 0),
    ]
    assert (report.total.enrolled, report.total.completed, report.total.overdue) == (8, 2, 2)
    overview = client.get("/en/staff/learning/reports/").context["courses"]
    assert overview[0].counts["enrolled"] == 8 and overview[0].counts["in_progress"] == 2


def test_the_report_for_500_enrolled_staff_keeps_a_constant_query_count(
    client, coordinator, course, django_assert_max_num_queries
):
    sites = [SiteFactory() for _ in range(20)]
    _enrol_many(course, sites, 10)
    client.force_login(coordinator)
    client.get("/en/")  # once per session and process: the reader's language, the footer's legal links
    with django_assert_max_num_queries(14) as small:
        client.get("/en/staff/learning/reports/datenschutz/")
    Enrolment.objects.all().delete()
    User.objects.filter(username__startswith="staff").delete()
    _enrol_many(course, sites, 500)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/en/staff/learning/reports/datenschutz/")
    assert response.context["report"].total.enrolled == 500
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/en/staff/learning/reports/datenschutz/csv/")
    assert len(response.content.decode().splitlines()) == 501
    with django_assert_max_num_queries(12):
        client.get("/en/staff/learning/reports/")


def test_the_csv_export_lists_people_with_site_and_status(client, coordinator, course):
    _enrol_many(course, [SiteFactory(name="Bonn")], 2)
    User.objects.filter(username="staff0").update(display_name="=HYPERLINK(1)")
    client.force_login(coordinator)
    response = client.get("/en/staff/learning/reports/datenschutz/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Name", "Username", "Sites", "Status"]
    assert rows[1][:4] == ["'=HYPERLINK(1)", "staff0", "Bonn", "Completed"]
    assert rows[2][3] == "Overdue"


def test_a_site_lead_sees_only_their_sites_staff(client, course):
    bonn, koeln = SiteFactory(name="Bonn"), SiteFactory(name="Köln")
    _enrol_many(course, [bonn, koeln], 4)
    lead = staff_with_totp(username="lead_bonn", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=bonn)
    client.force_login(lead)
    report = client.get("/en/staff/learning/reports/datenschutz/").context["report"]
    assert {s.name for s in report.sites} == {"Bonn"}
    assert {e.user.username for e in report.people} == {"staff0", "staff2"}


def test_a_counselor_is_refused_the_reports(client, counselor, course):
    client.force_login(counselor)
    assert client.get("/en/staff/learning/reports/").status_code == 403
    assert client.get("/en/staff/learning/reports/datenschutz/csv/").status_code == 403


def test_the_people_list_is_paged_but_the_totals_count_everyone(client, coordinator, course):
    _enrol_many(course, [SiteFactory(name="Bonn")], 120)
    client.force_login(coordinator)
    response = client.get("/en/staff/learning/reports/datenschutz/?page=2")
    assert response.context["report"].total.enrolled == 120
    assert len(response.context["people"].object_list) == 20
    assert "Page 2 of 2" in response.content.decode()


def test_a_coordinator_grants_one_more_attempt_after_all_are_used(client, coordinator, counselor, course):
    from learning import services
    from learning.tests.factories import QuizFactory

    quiz = QuizFactory(course=course, max_attempts=1)
    enrolment = Enrolment.objects.create(user=counselor, course=course, source=EnrolmentSource.SELF)
    first, second = list(quiz.questions)
    services.quiz_submit(enrolment=enrolment, quiz=quiz, answers={first.id: [0], second.id: [0]})
    with pytest.raises(services.QuizLocked):
        services.quiz_submit(enrolment=enrolment, quiz=quiz, answers={first.id: [1], second.id: [1, 2]})
    url = f"/en/staff/learning/reports/datenschutz/people/{enrolment.pk}/"
    client.force_login(counselor)
    assert client.get(url).status_code == 403
    assert client.post(f"{url}quizzes/{quiz.pk}/grant/").status_code == 403
    client.force_login(coordinator)
    assert "All attempts are used." in client.get(url).content.decode()
    client.post(f"{url}quizzes/{quiz.pk}/grant/")
    enrolment.refresh_from_db()
    attempt = services.quiz_submit(enrolment=enrolment, quiz=quiz, answers={first.id: [1], second.id: [1, 2]})
    assert attempt.passed and attempt.number == 2


def test_a_site_lead_sees_people_of_their_sites_only(client, course):
    bonn, koeln = SiteFactory(name="Bonn"), SiteFactory(name="Köln")
    _enrol_many(course, [bonn, koeln], 2)
    lead = staff_with_totp(username="lead_bonn", roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=bonn)
    client.force_login(lead)
    mine = Enrolment.objects.get(user__username="staff0")
    other = Enrolment.objects.get(user__username="staff1")
    assert client.get(f"/en/staff/learning/reports/datenschutz/people/{mine.pk}/").status_code == 200
    assert client.get(f"/en/staff/learning/reports/datenschutz/people/{other.pk}/").status_code == 403
    assert (
        client.post(f"/en/staff/learning/reports/datenschutz/people/{mine.pk}/quizzes/1/grant/").status_code
        == 403
    )


def test_the_report_makes_objects_only_of_the_page_it_shows(client, coordinator, course):
    """Totals and the CSV come from tuples: 300 enrolled staff are not 300 Enrolment and User objects
    (5,000 of each took most of a second before)."""
    from django.db.models.signals import post_init

    _enrol_many(course, [SiteFactory(name="Bonn"), SiteFactory(name="Köln")], 300)
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    client.force_login(coordinator)
    post_init.connect(count, sender=Enrolment)
    post_init.connect(count, sender=User)
    try:
        response = client.get("/en/staff/learning/reports/datenschutz/")
        assert response.context["report"].total.enrolled == 300
        assert made.count(Enrolment) <= 100 and made.count(User) <= 100 + 1  # the page, and the reader
        made.clear()
        response = client.get("/en/staff/learning/reports/datenschutz/csv/")
        assert len(response.content.decode().splitlines()) == 301
        assert made.count(Enrolment) == 0 and made.count(User) <= 1
    finally:
        post_init.disconnect(count, sender=Enrolment)
        post_init.disconnect(count, sender=User)


def test_the_numbers_follow_enrolment_and_progress_at_once(client, coordinator, course):
    """The report is kept between views, yet a lesson done, a course completed, a new enrolment and a
    re-certification show on the next view, in the totals, the people list and the CSV."""
    site = SiteFactory(name="Bonn")
    anna = staff_with_totp(username="anna", display_name="Anna", roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=anna, site=site)
    enrolment = Enrolment.objects.create(user=anna, course=course, source=EnrolmentSource.COORDINATOR)
    client.force_login(coordinator)

    def seen():
        response = client.get("/en/staff/learning/reports/datenschutz/")
        bonn = response.context["report"].sites[0]
        people = {e.user.username: e.status for e in response.context["people"].object_list}
        rows = list(
            csv.reader(
                io.StringIO(client.get("/en/staff/learning/reports/datenschutz/csv/").content.decode())
            )
        )
        return (bonn.enrolled, bonn.in_progress, bonn.completed), people, [row[3] for row in rows[1:]]

    assert seen() == ((1, 0, 0), {"anna": "not_started"}, ["Not started"])
    LessonCompletion.objects.create(enrolment=enrolment, lesson=course.lessons.first())
    assert seen() == ((1, 1, 0), {"anna": "in_progress"}, ["In progress"])
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    assert seen() == ((1, 0, 1), {"anna": "completed"}, ["Completed"])
    bert = staff_with_totp(username="bert", display_name="Bert", roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=bert, site=site)
    Enrolment.objects.create(user=bert, course=course, source=EnrolmentSource.COORDINATOR)
    assert seen()[0] == (2, 0, 1)
    # a re-certification: Anna's new run replaces the completed one
    Enrolment.objects.create(
        user=anna,
        course=course,
        source=EnrolmentSource.COORDINATOR,
        enrolled_at=timezone.now() + timedelta(seconds=1),
    )
    assert seen() == (
        (2, 0, 0),
        {"anna": "not_started", "bert": "not_started"},
        ["Not started", "Not started"],
    )


def test_a_kept_report_shows_a_completion_on_the_next_view(client, coordinator, course):
    """The second view reads the totals and the CSV from the cache (fewer queries); a completion made
    through the service (the lesson the course asks for) shows on the very next view of both."""
    from learning import services

    site = SiteFactory(name="Bonn")
    _enrol_many(course, [site], 8)
    anna = staff_with_totp(username="anna", display_name="Anna", roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=anna, site=site)
    enrolment = Enrolment.objects.create(user=anna, course=course, source=EnrolmentSource.COORDINATOR)
    client.force_login(coordinator)
    page, export = "/en/staff/learning/reports/datenschutz/", "/en/staff/learning/reports/datenschutz/csv/"

    def completed():
        bonn = client.get(page).context["report"].sites[0]
        rows = list(csv.reader(io.StringIO(client.get(export).content.decode())))
        return bonn.completed, [row[3] for row in rows if row[1] == "anna"]

    with CaptureQueriesContext(connection) as first:
        assert completed() == (2, ["Not started"])
    with CaptureQueriesContext(connection) as kept:
        assert completed() == (2, ["Not started"])
    assert len(kept) < len(first)  # kept: the totals and the export are not read again
    services.lesson_complete(enrolment=enrolment, lesson=course.lessons.first())
    assert completed() == (3, ["Completed"])


def test_a_kept_report_follows_site_links_and_names(client, coordinator, course):
    """What every report reads besides the course: a new site link and a renamed site show at once."""
    bonn, koeln = SiteFactory(name="Bonn"), SiteFactory(name="Köln")
    anna = staff_with_totp(username="anna", display_name="Anna", roles=[Role.COUNSELOR])
    site_services.site_counselor_grant(user=anna, site=bonn)
    Enrolment.objects.create(user=anna, course=course, source=EnrolmentSource.COORDINATOR)
    client.force_login(coordinator)
    page = "/en/staff/learning/reports/datenschutz/"

    def sites():
        return [(s.name, s.enrolled) for s in client.get(page).context["report"].sites]

    assert sites() == [("Bonn", 1)]
    site_services.site_counselor_grant(user=anna, site=koeln)
    assert sites() == [("Bonn", 1), ("Köln", 1)]
    koeln.name = "Köln-Mülheim"
    koeln.save()
    assert sites() == [("Bonn", 1), ("Köln-Mülheim", 1)]


def test_a_kept_report_lasts_until_the_next_due_date_at_most(course):
    """An open enrolment turns overdue without any write: the kept totals expire when it falls due."""
    from learning import reports

    anna = staff_with_totp(username="anna", roles=[Role.COUNSELOR])
    now = timezone.now()
    Enrolment.objects.create(
        user=anna, course=course, source=EnrolmentSource.COORDINATOR, due_at=now + timedelta(minutes=3)
    )
    people = reports.course_people(course)
    (_sites, total, _names), seconds = reports._totals(people, None, now)
    assert total.enrolled == 1 and 179 <= seconds <= 181
    assert reports._csv(course, None, now)[1] == seconds
