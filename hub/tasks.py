from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from hub.models import StaffInvitation
from hub.retention import retention_run
from hub.services import invitation_token


@shared_task(name="hub.push_new_message", autoretry_for=(OSError,), retry_backoff=30, max_retries=3)
def push_new_message(user_id: int) -> dict:
    """ "You have a new message" on every browser the person switched it on for (hub/push.py)."""
    from hub.push import push_new_message as send

    return send(user_id=user_id)


@shared_task(name="hub.ping")
def ping() -> str:
    """Round-trip probe for health checks and the test suite."""
    return "pong"


@shared_task(
    name="hub.send_staff_invitation",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_staff_invitation(invitation_id: int, language: str, base_url: str = "") -> None:
    """`base_url`: the host the coordinator invited from (SITE_URL when there was no request)."""
    invitation = StaffInvitation.objects.filter(pk=invitation_id, accepted_at=None).first()
    if invitation is None:
        return
    with translation.override(language):
        link = (base_url or settings.SITE_URL).rstrip("/") + reverse(
            "hub:invitation_accept", args=[invitation_token(invitation)]
        )
        context = {"invitation": invitation, "link": link, "days": settings.STAFF_INVITATION_DAYS}
        send_mail(
            subject=render_to_string("hub/mail/staff_invitation_subject.txt", context).strip(),
            message=render_to_string("hub/mail/staff_invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


@shared_task(name="hub.clear_expired_sessions")
def clear_expired_sessions() -> int:
    return retention_run(trigger="beat", keys=["sessions"]).total


@shared_task(name="hub.purge_stale_invitations")
def purge_stale_invitations() -> int:
    return retention_run(trigger="beat", keys=["invitations"]).total


@shared_task(name="hub.retention_purge")
def retention_purge() -> dict:
    """Every retention purge (hub/retention.py); returns the counts it recorded."""
    return retention_run(trigger="beat").counts
