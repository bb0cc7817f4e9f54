from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hub.models import StaffInvitation
from hub.services import invitation_token


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
def send_staff_invitation(invitation_id: int, language: str) -> None:
    invitation = StaffInvitation.objects.filter(pk=invitation_id, accepted_at=None).first()
    if invitation is None:
        return
    with translation.override(language):
        link = settings.SITE_URL + reverse("hub:invitation_accept", args=[invitation_token(invitation)])
        context = {"invitation": invitation, "link": link, "days": settings.STAFF_INVITATION_DAYS}
        send_mail(
            subject=render_to_string("hub/mail/staff_invitation_subject.txt", context).strip(),
            message=render_to_string("hub/mail/staff_invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


@shared_task(name="hub.clear_expired_sessions")
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="hub.purge_stale_invitations")
def purge_stale_invitations() -> int:
    cutoff = timezone.now() - timedelta(days=30)
    deleted, _ = StaffInvitation.objects.filter(Q(expires_at__lt=cutoff) | Q(accepted_at__lt=cutoff)).delete()
    return deleted
