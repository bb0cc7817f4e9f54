"""Who may read, write and moderate in the forum.

- Everyone may read published posts (the pages carry noindex); a hidden post is gone for readers.
- Posting, reporting and watching need an account: young people (not chat guests) under their forum
  name, and counselors, whose posts carry the counselor badge.
- Counselors of any site (and mentors) moderate: the permission "forum.moderate" (hub/roles.py).
- An author sees their own post while it waits for moderation; nobody else but moderators does.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from counseling.forum.models import CaseInvitation, Category, Post, PostStatus, Thread
from hub import fragments
from hub.roles import Role, has_role, is_staff_member

MODERATE = "forum.moderate"


def may_moderate(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MODERATE)


def is_youth_poster(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_guest
        and has_role(user, Role.YOUTH)
        and not is_staff_member(user)
    )


def may_post(user) -> bool:
    if is_youth_poster(user):
        return True
    if not may_moderate(user):
        return False
    from hub.mfa import totp_pending

    # The same 2FA rule as everywhere (hub/mfa.py), asked once per request-bound user.
    return not totp_pending(user)


def _visible(user) -> Q:
    visible = Q(status=PostStatus.PUBLISHED)
    if may_moderate(user):
        visible |= Q(status=PostStatus.PENDING)
    elif user.is_authenticated:
        visible |= Q(status=PostStatus.PENDING, author=user)
    return visible


def threads_visible_to(user):
    return Thread.objects.filter(_visible(user))


def posts_visible_to(user):
    return Post.objects.filter(_visible(user))


def access_category(user, pk) -> Category:
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise Http404
    return category


def access_thread(user, pk, *, for_write=False) -> Thread:
    """A thread the user may read; for_write: may also reply (not locked, unless they moderate)."""
    if user.is_authenticated:
        thread = threads_visible_to(user).select_related("category").filter(pk=pk).first()
    else:
        # Visitors read published threads only; the row is kept with the forum version (hub/fragments.py)
        # and shared between requests, so nothing may be set on it.
        thread = fragments.cached(
            "forum-thread-row",
            depends=("forum",),
            vary=(pk,),
            build=lambda: Thread.objects.select_related("category").filter(pk=pk).first(),
        )
        thread = thread if thread is not None and thread.status == PostStatus.PUBLISHED else None
    if thread is None:
        raise Http404
    if for_write and (not may_post(user) or (thread.is_locked and not may_moderate(user))):
        raise PermissionDenied
    return thread


def access_post(user, pk) -> Post:
    """A post the user can read (to report it or mark it helpful)."""
    post = posts_visible_to(user).select_related("thread__category").filter(pk=pk).first()
    if post is None or post.thread.status == PostStatus.HIDDEN:
        raise Http404
    return post


def access_post_moderation(user, pk) -> Post:
    if not may_moderate(user):
        raise PermissionDenied
    post = Post.objects.select_related("thread__category", "author__forum_profile").filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def access_thread_moderation(user, pk) -> Thread:
    if not may_moderate(user):
        raise PermissionDenied
    thread = Thread.objects.filter(pk=pk).first()
    if thread is None:
        raise Http404
    return thread


def may_mark_helpful(user, post: Post) -> bool:
    if not post.is_counselor_answer or post.status != PostStatus.PUBLISHED:
        return False
    return may_moderate(user) or (user.is_authenticated and post.thread.author_id == user.pk)


def access_invitation(user, pk) -> CaseInvitation:
    """A young person's own invitation; anyone else's is 404."""
    invitation = (
        CaseInvitation.objects.select_related("counselor", "post__thread__category").filter(pk=pk).first()
    )
    if invitation is None or not user.is_authenticated or invitation.youth_id != user.pk:
        raise Http404
    return invitation


def access_own_pending_post(user, pk) -> Post:
    """The author's own post while it waits; anything else is 404."""
    post = Post.objects.select_related("thread__category").filter(pk=pk, status=PostStatus.PENDING).first()
    if post is None or not user.is_authenticated or post.author_id != user.pk:
        raise Http404
    return post
