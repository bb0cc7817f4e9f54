"""Forum notices by mail: only to people who gave an address, from the neutral sender, never with the
thread's title or any text. Safe to run twice: each watch is claimed before its mail goes out."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from counseling.forum.models import CaseInvitation, Post, ThreadWatch


def _send(*, to: str, language: str, link: str) -> None:
    with translation.override(language if language in dict(settings.LANGUAGES) else "de"):
        EmailMessage(
            subject=render_to_string("forum/mail/notice_subject.txt").strip(),
            body=render_to_string("forum/mail/notice.txt", {"link": settings.SITE_URL + reverse(link)}),
            from_email=settings.NEUTRAL_FROM_EMAIL,
            to=[to],
        ).send()


@shared_task(name="forum.notify_watchers", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_watchers(post_id: int) -> int:
    """One mail per watcher and unread stretch: after that, none until they have read the thread."""
    post = Post.objects.select_related("thread__category").filter(pk=post_id, status="published").first()
    if post is None:
        return 0
    language = post.thread.category.language
    watches = (
        ThreadWatch.objects.filter(
            thread_id=post.thread_id, mailed_at=None, last_seen_at__lt=post.published_at
        )
        .exclude(user_id=post.author_id)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
    )
    sent = 0
    for watch in watches:
        if ThreadWatch.objects.filter(pk=watch.pk, mailed_at=None).update(mailed_at=timezone.now()):
            with translation.override(language):
                _send(to=watch.user.email, language=language, link="forum:mine")
            sent += 1
    return sent


@shared_task(name="forum.notify_invitation", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_invitation(invitation_id: int) -> bool:
    invitation = (
        CaseInvitation.objects.select_related("youth", "post__thread__category")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.youth.email:
        return False
    language = invitation.post.thread.category.language if invitation.post else "de"
    with translation.override(language):
        _send(to=invitation.youth.email, language=language, link="forum:mine")
    return True
