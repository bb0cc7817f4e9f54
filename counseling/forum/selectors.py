"""Reads for the forum pages. Every list selects what its rows show, so a page costs the same number of
queries whatever its length."""

from collections import Counter

from django.db.models import Count, F, Max, Prefetch, Q

from counseling.forum.access import posts_visible_to, threads_visible_to
from counseling.forum.models import (
    CaseInvitation,
    Category,
    Post,
    PostStatus,
    Report,
    ThreadWatch,
)

POSTS_PER_PAGE = 25
THREADS_PER_PAGE = 30
QUEUE_PAGE_SIZE = 40


def categories(*, language: str | None):
    published = Q(threads__status=PostStatus.PUBLISHED)
    rows = Category.objects.annotate(
        thread_count=Count("threads", filter=published),
        last_activity=Max("threads__last_post_at", filter=published),
    )
    return rows.filter(language=language) if language else rows


def category_languages() -> list[str]:
    return list(Category.objects.order_by().values_list("language", flat=True).distinct())


def threads_of(user, category):
    return (
        threads_visible_to(user)
        .filter(category=category)
        .select_related("author__forum_profile")
        .order_by(F("last_post_at").desc(nulls_first=True), "-pk")
    )


def posts_of(user, thread):
    return (
        posts_visible_to(user)
        .filter(thread=thread)
        .select_related("author__forum_profile")
        .order_by("created_at", "pk")
    )


def watched_threads(user):
    """The user's watched threads, unread ones first."""
    watches = ThreadWatch.objects.filter(user=user, thread__status=PostStatus.PUBLISHED).select_related(
        "thread__category"
    )
    rows = list(watches.order_by(F("thread__last_post_at").desc(nulls_last=True)))
    for watch in rows:
        last = watch.thread.last_post_at
        watch.unread = last is not None and last > watch.last_seen_at
    rows.sort(key=lambda watch: not watch.unread)
    return rows


def unread_count(user) -> int:
    return ThreadWatch.objects.filter(
        user=user, thread__status=PostStatus.PUBLISHED, thread__last_post_at__gt=F("last_seen_at")
    ).count()


def pending_posts_of(user):
    return Post.objects.filter(author=user, status=PostStatus.PENDING).select_related("thread")


def open_invitations(user):
    return CaseInvitation.objects.filter(youth=user, status=CaseInvitation.Status.OPEN).select_related(
        "counselor"
    )


def moderation_queue():
    """Waiting and reported posts: the most-reported first, then the longest-waiting."""
    open_reports = Report.objects.filter(resolved_at=None).order_by("created_at")
    return (
        Post.objects.filter(Q(status=PostStatus.PENDING) | Q(open_reports__gt=0))
        .exclude(status=PostStatus.HIDDEN)
        .select_related("thread__category", "author__forum_profile")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_report_list"))
        .order_by("-open_reports", "created_at", "pk")
    )


def report_summary(post) -> list[tuple[str, int]]:
    """(reason label, how many) for the post's open reports, the most frequent first."""
    from counseling.forum.models import ReportReason

    labels = dict(ReportReason.choices)
    counts = Counter(report.reason for report in post.open_report_list)
    return [(labels.get(reason, reason), count) for reason, count in counts.most_common()]
