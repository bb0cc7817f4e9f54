"""The training-report fill shared by bench/learning_report.py and bench/staff_pages.py: `n` counselors
spread over the given sites, enrolled in one course in four states (a quarter completed, a quarter
overdue, a quarter started, the rest not started), in bulk."""

from datetime import timedelta


def enrol_staff(course, n: int, site_ids: list[int], *, username_prefix: str) -> list:
    """Makes the staff, their site links and enrolments; returns the users (in order)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from guardian.models import UserObjectPermission

    from hub.models import User
    from hub.roles import Role
    from learning.models import Enrolment, Lesson, LessonCompletion
    from sites.models import Site

    now = timezone.now()
    lesson = course.lessons.first() or Lesson.objects.create(course=course, title="Schweigepflicht")
    users = User.objects.bulk_create(
        [
            User(username=f"{username_prefix}{i:05d}", display_name=f"Staff {i}", is_staff=True)
            for i in range(n)
        ],
        batch_size=2000,
    )
    Group.objects.get_or_create(name=Role.COUNSELOR)[0].user_set.add(*users)
    permission = Permission.objects.get(codename="counsel_at_site")
    site_type = ContentType.objects.get_for_model(Site)
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user=u,
                permission=permission,
                content_type=site_type,
                object_pk=str(site_ids[i % len(site_ids)]),
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=u,
                course=course,
                source="rule",
                due_at=now + timedelta(days=-1 if i % 4 == 1 else 10),
                completed_at=now if i % 4 == 0 else None,
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(enrolment=e, lesson=lesson) for e in enrolments[2::4]]
    )
    return users
