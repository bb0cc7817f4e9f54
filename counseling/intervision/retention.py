"""Intervision's purges for the one retention mechanism (hub/retention.py): requests (with their
answers) and past meetings, after the period a coordinator sets ("intervision"). The request's key is
wiped before its rows go, so a backup taken meanwhile cannot open them either."""

from django.utils.translation import gettext_lazy as _

from counseling.intervision.models import IntervisionMeeting, IntervisionRequest
from hub.retention import Purge, delete_ids, policy_cutoff


def _requests_remove(ids, now) -> int:
    IntervisionRequest.objects.filter(pk__in=ids).update(wrapped_key=b"")
    return IntervisionRequest.objects.filter(pk__in=ids).delete()[1].get(IntervisionRequest._meta.label, 0)


REQUESTS = Purge(
    "intervision_requests",
    _("Intervision requests and their answers"),
    lambda now: IntervisionRequest.objects.filter(created_at__lt=policy_cutoff("intervision", now=now)),
    _requests_remove,
)

MEETINGS = Purge(
    "intervision_meetings",
    _("Past intervision meetings"),
    lambda now: IntervisionMeeting.objects.filter(ends_at__lt=policy_cutoff("intervision", now=now)),
    delete_ids(IntervisionMeeting),
)
