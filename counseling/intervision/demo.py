"""Demo intervision (``make run`` only): the demo mentor's group with the demo counselor and trainee,
and its next meeting, so that "Ask colleagues" on a demo case has a group to post to."""

from datetime import timedelta

from django.utils import timezone

from counseling.intervision.models import GroupKind, IntervisionGroup, IntervisionMeeting, IntervisionMember
from hub.models import User


def load(out) -> list[dict]:
    users = {user.username: user for user in User.objects.filter(username__startswith="demo_")}
    mentor = users.get("demo_mentor")
    group, _created = IntervisionGroup.objects.get_or_create(
        name="Mentorat Online-Beratung",
        defaults={"kind": GroupKind.MENTOR, "mentor": mentor, "created_by": mentor},
    )
    for name in ("demo_mentor", "demo_counselor", "demo_trainee"):
        if name in users:
            IntervisionMember.objects.get_or_create(group=group, user=users[name])
    if not group.meetings.exists():
        starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
        IntervisionMeeting.objects.create(
            group=group, title="Fallbesprechung", starts_at=starts, ends_at=starts + timedelta(minutes=90)
        )
    return []
