"""Every write in the forum. Notifications leave after commit and never carry content."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone

from counseling.forum import rules
from counseling.forum.access import may_moderate
from counseling.forum.models import (
    CaseInvitation,
    Category,
    ForumProfile,
    HoldReason,
    ModerationAction,
    Post,
    PostStatus,
    Report,
    Thread,
    ThreadWatch,
)
from hub.services import user_notify
from hub.topics import Topic


class PostingRefused(Exception):
    """The post was not stored; the form comes back with the text and this reason."""


class PosterSuspended(PostingRefused):
    def __init__(self, until):
        super().__init__(until)
        self.until = until


class PostBlocked(PostingRefused):
    def __init__(self, words):
        super().__init__(words)
        self.words = words


# --- profiles -----------------------------------------------------------------------------------------


def profile_of(user) -> ForumProfile | None:
    return ForumProfile.objects.filter(user=user).first() if user.is_authenticated else None


def profile_create(*, user, pseudonym: str) -> ForumProfile:
    return ForumProfile.objects.create(user=user, pseudonym=pseudonym.strip())


# --- posting ------------------------------------------------------------------------------------------


def _screen(*, author, category: Category, text: str) -> tuple[str, list[str], bool]:
    """Status, hold reasons and self-harm flag for a new post; raises when it must not be stored."""
    if may_moderate(author):
        return PostStatus.PUBLISHED, [], False
    profile = ForumProfile.objects.get(user=author)
    if profile.is_suspended():
        raise PosterSuspended(profile.suspended_until)
    words = rules.check_words(text, language=category.language)
    if words.blocked:
        raise PostBlocked(words.blocked)
    reasons = rules.contact_reasons(text, language=category.language)
    if words.held:
        reasons.append(HoldReason.WATCHED_WORD)
    if words.self_harm:
        reasons.append(HoldReason.SELF_HARM)
    if category.is_sensitive:
        reasons.append(HoldReason.SENSITIVE)
    if profile.published_posts < settings.FORUM_TRUSTED_AFTER_POSTS:
        reasons.append(HoldReason.NEW_POSTER)
    status = PostStatus.PENDING if reasons else PostStatus.PUBLISHED
    return status, [str(reason) for reason in reasons], words.self_harm


def _post_create(*, thread: Thread, author, body: str, is_opening: bool, screened_text: str) -> Post:
    status, reasons, self_harm = _screen(author=author, category=thread.category, text=screened_text)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        is_opening=is_opening,
        status=status,
        hold_reasons=reasons,
        is_self_harm=self_harm,
        is_counselor_answer=may_moderate(author),
        created_at=now,
    )
    ThreadWatch.objects.get_or_create(thread=thread, user=author, defaults={"last_seen_at": now})
    if status == PostStatus.PUBLISHED:
        _published(post)
    return post


@transaction.atomic
def thread_create(*, category: Category, author, title: str, body: str, pseudonym: str = "") -> Post:
    """A new question; returns its opening post (pending or published). A first post also creates the
    forum profile under `pseudonym` (rolled back with the post if the post is refused)."""
    if pseudonym:
        profile_create(user=author, pseudonym=pseudonym)
    thread = Thread.objects.create(category=category, title=title, author=author)
    return _post_create(
        thread=thread, author=author, body=body, is_opening=True, screened_text=f"{title}\n{body}"
    )


@transaction.atomic
def post_reply(*, thread: Thread, author, body: str, pseudonym: str = "") -> Post:
    if pseudonym:
        profile_create(user=author, pseudonym=pseudonym)
    return _post_create(thread=thread, author=author, body=body, is_opening=False, screened_text=body)


@transaction.atomic
def post_author_edit(*, post: Post, author, body: str) -> Post:
    """The author changes a post that still waits (e.g. removes a phone number): screened again, and
    published at once if nothing holds it any more."""
    post = Post.objects.select_for_update().select_related("thread__category").get(pk=post.pk)
    if post.author_id != author.pk or post.status != PostStatus.PENDING:
        raise ValueError("only the author's own waiting post can be changed")
    text = f"{post.thread.title}\n{body}" if post.is_opening else body
    status, reasons, self_harm = _screen(author=author, category=post.thread.category, text=text)
    post.body, post.status, post.hold_reasons = body, status, reasons
    post.is_self_harm = post.is_self_harm or self_harm
    post.save(update_fields=["body", "status", "hold_reasons", "is_self_harm"])
    if status == PostStatus.PUBLISHED:
        _published(post)
    return post


def _published(post: Post) -> None:
    """First publication: count it for the author's standing, refresh the thread, tell the watchers."""
    post.published_at = post.published_at or timezone.now()
    Post.objects.filter(pk=post.pk).update(published_at=post.published_at)
    if post.author_id and not post.is_counselor_answer:
        ForumProfile.objects.filter(user_id=post.author_id).update(published_posts=F("published_posts") + 1)
    thread_refresh(post.thread)
    _notify_watchers(post)


def thread_refresh(thread: Thread) -> Thread:
    """Status, reply count, last activity and the counselor flag, from the thread's posts."""
    published = Q(status=PostStatus.PUBLISHED)
    figures = thread.posts.aggregate(
        replies=Count("pk", filter=published & Q(is_opening=False)),
        last=Max("published_at", filter=published),
        counselor=Count("pk", filter=published & Q(is_counselor_answer=True, is_opening=False)),
    )
    opening = thread.posts.filter(is_opening=True).values_list("status", flat=True).first()
    thread.status = opening or PostStatus.PENDING
    thread.reply_count = figures["replies"]
    thread.last_post_at = figures["last"]
    thread.has_counselor_answer = bool(figures["counselor"])
    thread.save(update_fields=["status", "reply_count", "last_post_at", "has_counselor_answer"])
    return thread


def _notify_watchers(post: Post) -> None:
    from counseling.forum.tasks import notify_watchers

    watchers = ThreadWatch.objects.filter(thread_id=post.thread_id).exclude(user_id=post.author_id)
    for user_id in watchers.values_list("user_id", flat=True):
        user_notify(user_id=user_id, event={"kind": "forum", "thread": post.thread_id})
    transaction.on_commit(lambda: notify_watchers.delay(post.pk))


# --- readers ------------------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, post: Post, reporter, reason: str, comment: str = "") -> Report:
    """One open report per person and post: reporting twice does not count twice."""
    existing = Report.objects.filter(post=post, reporter=reporter, resolved_at=None).first()
    if existing is not None:
        return existing
    report = Report.objects.create(post=post, reporter=reporter, reason=reason, comment=comment)
    Post.objects.filter(pk=post.pk).update(open_reports=F("open_reports") + 1)
    return report


@transaction.atomic
def helpful_set(*, post: Post, helpful: bool) -> Post:
    """At most one helpful answer per thread."""
    if helpful:
        Post.objects.filter(thread_id=post.thread_id, is_helpful=True).update(is_helpful=False)
    post.is_helpful = helpful
    post.save(update_fields=["is_helpful"])
    return post


def watch_set(*, thread: Thread, user, watching: bool) -> None:
    if watching:
        ThreadWatch.objects.get_or_create(thread=thread, user=user)
    else:
        ThreadWatch.objects.filter(thread=thread, user=user).delete()


def thread_seen(*, thread: Thread, user) -> None:
    """Reading the thread clears "unread" and allows the next mail notice."""
    if user.is_authenticated:
        ThreadWatch.objects.filter(thread=thread, user=user).update(
            last_seen_at=timezone.now(), mailed_at=None
        )


# --- moderation ---------------------------------------------------------------------------------------


def _log(kind, *, actor, post=None, thread=None, note="") -> None:
    ModerationAction.objects.create(
        kind=kind, actor=actor, post=post, thread=thread or (post and post.thread), note=note
    )


def _resolve_reports(post: Post, now) -> None:
    Report.objects.filter(post=post, resolved_at=None).update(resolved_at=now)
    post.open_reports = 0


@transaction.atomic
def post_approve(*, post: Post, moderator) -> Post:
    """Publish a waiting post, or keep a reported one (its reports are dismissed)."""
    post = Post.objects.select_for_update().select_related("thread__category").get(pk=post.pk)
    now = timezone.now()
    first_time = post.published_at is None
    kind = (
        ModerationAction.Kind.APPROVE
        if post.status != PostStatus.PUBLISHED
        else ModerationAction.Kind.DISMISS
    )
    _resolve_reports(post, now)
    post.status = PostStatus.PUBLISHED
    post.moderated_by, post.moderated_at = moderator, now
    post.save(update_fields=["status", "moderated_by", "moderated_at", "open_reports"])
    _log(kind, actor=moderator, post=post)
    if first_time:
        _published(post)
        if post.author_id:
            user_notify(user_id=post.author_id, event={"kind": "forum_published", "thread": post.thread_id})
    else:
        thread_refresh(post.thread)
    return post


@transaction.atomic
def post_hide(*, post: Post, moderator, reason: str) -> Post:
    """Gone for readers (and for the author); an opening post takes its thread with it."""
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    now = timezone.now()
    _resolve_reports(post, now)
    post.status, post.hidden_reason = PostStatus.HIDDEN, reason
    post.moderated_by, post.moderated_at = moderator, now
    post.is_helpful = False
    post.save(
        update_fields=[
            "status",
            "hidden_reason",
            "moderated_by",
            "moderated_at",
            "open_reports",
            "is_helpful",
        ]
    )
    _log(ModerationAction.Kind.HIDE, actor=moderator, post=post, note=reason)
    thread_refresh(post.thread)
    return post


@transaction.atomic
def post_edit(*, post: Post, moderator, body: str, note: str, approve: bool = False) -> Post:
    """A moderator's edit is shown with its note, e.g. "phone number removed"."""
    post.body, post.edit_note, post.edited_at = body, note, timezone.now()
    post.save(update_fields=["body", "edit_note", "edited_at"])
    _log(ModerationAction.Kind.EDIT, actor=moderator, post=post, note=note)
    if approve:
        post = post_approve(post=post, moderator=moderator)
    return post


@transaction.atomic
def post_flag_self_harm(*, post: Post, moderator, flagged: bool) -> Post:
    post.is_self_harm = flagged
    post.save(update_fields=["is_self_harm"])
    _log(ModerationAction.Kind.FLAG, actor=moderator, post=post, note="on" if flagged else "off")
    return post


@transaction.atomic
def thread_lock(*, thread: Thread, moderator, locked: bool) -> Thread:
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    kind = ModerationAction.Kind.LOCK if locked else ModerationAction.Kind.UNLOCK
    _log(kind, actor=moderator, thread=thread)
    return thread


@transaction.atomic
def poster_suspend(*, post: Post, moderator, days: int, reason: str) -> ForumProfile:
    """The post's author may not post for `days` days (0 lifts a suspension)."""
    profile = ForumProfile.objects.select_for_update().filter(user_id=post.author_id).first()
    if profile is None:
        raise ValueError("only a young person's forum profile can be suspended")
    profile.suspended_until = timezone.now() + timedelta(days=days) if days else None
    profile.suspension_reason = reason if days else ""
    profile.save(update_fields=["suspended_until", "suspension_reason"])
    _log(ModerationAction.Kind.SUSPEND, actor=moderator, post=post, note=f"{days}d: {reason}"[:300])
    return profile


# --- invitations into counseling ----------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, post: Post, counselor, message: str) -> CaseInvitation:
    if post.author_id is None or post.is_counselor_answer:
        raise ValueError("only a young person's post can lead to an invitation")
    invitation = CaseInvitation.objects.create(
        youth_id=post.author_id, counselor=counselor, post=post, message=message
    )
    _log(ModerationAction.Kind.INVITE, actor=counselor, post=post)
    user_notify(user_id=post.author_id, event={"kind": "forum_invitation", "invitation": invitation.pk})
    from counseling.forum.tasks import notify_invitation

    transaction.on_commit(lambda: notify_invitation.delay(invitation.pk))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: CaseInvitation, body: str):
    """The young person said yes: a private case opens with their first message, for the counselor who
    invited them. The forum post's address goes into an internal note, so the counselor has the context."""
    from counseling import services as counseling_services

    invitation = CaseInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != CaseInvitation.Status.OPEN:
        raise ValueError("invitation already answered")
    post = Post.objects.select_related("thread__category").filter(pk=invitation.post_id).first()
    category = post.thread.category if post else None
    case = counseling_services.enquiry_create(
        youth=invitation.youth,
        topic=category.topic if category else Topic.OTHER,
        language=category.language if category else settings.LANGUAGE_CODE,
        body=body,
    )
    counselor = invitation.counselor
    if counselor is not None and counselor.is_active and case.counselor_id != counselor.pk:
        counseling_services.case_handover(case=case, actor=counselor, counselor=counselor)
    if counselor is not None and post is not None:
        link = reverse("forum_staff:post", args=[post.pk])
        counseling_services.note_add(case=case, author=counselor, body=f"Forum: {settings.SITE_URL}{link}")
    invitation.status, invitation.responded_at = CaseInvitation.Status.ACCEPTED, timezone.now()
    invitation.case_public_id = case.public_id
    invitation.save(update_fields=["status", "responded_at", "case_public_id"])
    return case


def invitation_decline(*, invitation: CaseInvitation) -> CaseInvitation:
    updated = CaseInvitation.objects.filter(pk=invitation.pk, status=CaseInvitation.Status.OPEN).update(
        status=CaseInvitation.Status.DECLINED, responded_at=timezone.now()
    )
    if updated:
        invitation.status = CaseInvitation.Status.DECLINED
    return invitation
