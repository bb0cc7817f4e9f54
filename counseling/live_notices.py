"""Live notices to the people of a case that are not about one message: a counselor's absence set or
ended. (A new answer and a video-call invitation are announced where they happen: services and
staff_chat_views.) Events carry ids and kinds only; the case page fetches what changed over HTTP, where
access is checked (counseling/assets/counseling/js/case_live.js)."""

from counseling.models import OPEN_STATUSES, Case
from hub.services import user_notify


def absence_announce(*, counselor_id: int) -> None:
    """Every open case of the counselor: its young person's (or partner's) case page shows the notice."""
    cases = Case.objects.filter(counselor_id=counselor_id, status__in=OPEN_STATUSES)
    for public_id, youth_id, opened_by_id in cases.values_list("public_id", "youth_id", "opened_by_id"):
        for user_id in {youth_id, opened_by_id} - {None}:
            user_notify(user_id=user_id, event={"kind": "absence", "case": str(public_id)})
