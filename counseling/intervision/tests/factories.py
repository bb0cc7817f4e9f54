"""Intervision groups, requests and meetings, built through the real services."""

from datetime import timedelta

from django.utils import timezone

from counseling.intervision import services
from counseling.intervision.models import GroupKind

EXCERPT = "Junger Mensch:\nIch habe Angst, dass meine Aufenthaltserlaubnis nicht verlängert wird."
QUESTION = "Wie würdet ihr ihr die nächsten Schritte erklären, ohne sie zu überfordern?"


def group_with(*members, name="Intervision Arabisch", kind=GroupKind.LANGUAGE, language="ar", actor=None):
    group = services.group_create(actor=actor, name=name, kind=kind, language=language)
    for member in members:
        services.member_add(group=group, user=member, actor=actor)
    return group


def request_for(case, requester, group, *, excerpt=EXCERPT, question=QUESTION):
    return services.request_create(
        requester=requester, case=case, group=group, topic=case.topic, language="de",
        excerpt=excerpt, question=question,
    )  # fmt: skip


def meeting_for(group, *, actor=None, days=7):
    starts = timezone.now() + timedelta(days=days)
    return services.meeting_schedule(
        group=group,
        title="Fallbesprechung",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        actor=actor,
    )
