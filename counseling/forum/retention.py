"""The forum's purges for the one retention mechanism (hub/retention.py), with the coordinators' periods:
hidden posts (and threads whose opening post was hidden) and waiting posts of deleted accounts after
"forum_hidden_posts"; resolved reports, answered invitations and the moderation log after "forum_log"."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from counseling.forum.models import CaseInvitation, ModerationAction, Post, PostStatus, Report, Thread
from hub.retention import Purge, delete_ids, policy_cutoff


def _hidden_threads(now):
    cutoff = policy_cutoff("forum_hidden_posts", now=now)
    return Thread.objects.filter(
        posts__is_opening=True, posts__status=PostStatus.HIDDEN, posts__moderated_at__lt=cutoff
    )


def _hidden_posts(now):
    cutoff = policy_cutoff("forum_hidden_posts", now=now)
    return Post.objects.filter(
        Q(status=PostStatus.HIDDEN, moderated_at__lt=cutoff)
        | Q(status=PostStatus.PENDING, author__isnull=True, created_at__lt=cutoff)
    )


def _answered_invitations(now):
    cutoff = policy_cutoff("forum_log", now=now)
    return CaseInvitation.objects.exclude(status=CaseInvitation.Status.OPEN).filter(responded_at__lt=cutoff)


# Threads go first: deleting a thread takes its posts with it.
HIDDEN_THREADS = Purge(
    "forum_hidden_threads", _("Forum: hidden threads"), _hidden_threads, delete_ids(Thread)
)
HIDDEN_POSTS = Purge("forum_hidden_posts", _("Forum: hidden posts"), _hidden_posts, delete_ids(Post))
EMPTY_THREADS = Purge(
    "forum_empty_threads",
    _("Forum: threads left without posts"),
    lambda now: Thread.objects.filter(posts__isnull=True),
    delete_ids(Thread),
)
REPORTS = Purge(
    "forum_reports",
    _("Forum: resolved reports"),
    lambda now: Report.objects.filter(resolved_at__lt=policy_cutoff("forum_log", now=now)),
    delete_ids(Report),
)
INVITATIONS = Purge(
    "forum_invitations", _("Forum: answered invitations"), _answered_invitations, delete_ids(CaseInvitation)
)
MODERATION_LOG = Purge(
    "forum_moderation_log",
    _("Forum: moderation log"),
    lambda now: ModerationAction.objects.filter(at__lt=policy_cutoff("forum_log", now=now)),
    delete_ids(ModerationAction),
)
