"""Forum notices by mail: only to people who gave an address, from the neutral sender, never with the
thread's title or any text. Safe to run twice: each watch is claimed before its mail goes out."""

from celery import shared_task
from django.utils import timezone

from counseling.forum.models import CaseInvitation, Post, ThreadWatch
from hub.youth_mail import youth_language, youth_link, youth_mail_send


def _send(*, user, language: str, link: str) -> None:
    # The person's own language first (the category's when they never chose one).
    language = youth_language(user, language)
    youth_mail_send(
        to=user.email,
        template="forum/mail/notice",
        context={"link": youth_link(link, language=language)},
        language=language,
    )


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
            _send(user=watch.user, language=language, link="forum:mine")
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
    _send(user=invitation.youth, language=language, link="forum:mine")
    return True
