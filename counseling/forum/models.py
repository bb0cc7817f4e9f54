"""The forum: young people help each other under a pseudonym, counselors answer, moderators keep it safe.

Forum posts are community content that other readers see, so they are not sealed like counseling
messages; they carry no real names. A post's author is a SET_NULL key: deleting an account leaves its
posts as "deleted user" (counseling.forum.services.purge_forum applies the retention periods).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.labels import language_label
from hub.topics import Topic


class Category(models.Model):
    """One topic in one language; sensitive categories are always pre-moderated."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("Empty: the topic's name."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_sensitive = models.BooleanField(_("sensitive (always pre-moderated)"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["language", "position", "topic"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        constraints = [models.UniqueConstraint(fields=["topic", "language"], name="forum_category_once")]

    def __str__(self):
        return f"{self.display_name} ({language_label(self.language)})"

    @property
    def display_name(self) -> str:
        return self.name or str(self.get_topic_display())


class PostStatus(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden")


class Thread(models.Model):
    """A question and its replies. Its status follows its opening post."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=150)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.PENDING)
    is_locked = models.BooleanField(_("locked"), default=False)
    # Kept by the services whenever a post is published or hidden, so lists need no aggregate per row.
    reply_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    has_counselor_answer = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        indexes = [models.Index(fields=["category", "status", "-last_post_at"])]

    def __str__(self):
        return self.title

    @property
    def author_name(self) -> str:
        return poster_name(self.author)


class HoldReason(models.TextChoices):
    NEW_POSTER = "new_poster", _("new poster")
    SENSITIVE = "sensitive", _("sensitive category")
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("e-mail address")
    SOCIAL = "social", _("social-media handle or link")
    WATCHED_WORD = "watched_word", _("watched word")
    SELF_HARM = "self_harm", _("possible self-harm")


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_posts",
    )
    is_opening = models.BooleanField(default=False)
    body = models.TextField(_("text"))
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.PENDING)
    hold_reasons = models.JSONField(default=list, blank=True)
    # Fixed when written, so a later role change does not relabel old answers.
    is_counselor_answer = models.BooleanField(default=False)
    is_helpful = models.BooleanField(default=False)
    is_self_harm = models.BooleanField(_("about self-harm (shows the support box)"), default=False)
    open_reports = models.PositiveIntegerField(default=0)
    edit_note = models.CharField(_("note on the edit"), max_length=300, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "status", "created_at"]),
            models.Index(
                fields=["-open_reports", "created_at"],
                name="forum_post_queue",
                condition=Q(status="pending") | Q(open_reports__gt=0),
            ),
        ]

    def __str__(self):  # never the content
        return f"post {self.pk} in thread {self.thread_id}"

    @property
    def author_name(self) -> str:
        return poster_name(self.author)


class ForumProfile(models.Model):
    """A young person's forum name, their standing and a suspension, if any."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile"
    )
    pseudonym = models.CharField(_("forum name"), max_length=30, unique=True)
    published_posts = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("forum profile")
        verbose_name_plural = _("forum profiles")

    def __str__(self):
        return self.pseudonym

    def is_suspended(self, now=None) -> bool:
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())


class ReportReason(models.TextChoices):
    WORRYING = "worrying", _("I am worried about the person who wrote this")
    PERSONAL_DATA = "personal_data", _("It shares personal data")
    BULLYING = "bullying", _("Bullying, insults or hate")
    SPAM = "spam", _("Spam or advertising")
    WRONG = "wrong", _("Wrong or dangerous advice")
    OTHER = "other", _("Something else")


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    comment = models.CharField(_("comment (optional)"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="forum_report_open_once",
            )
        ]

    def __str__(self):
        return f"report {self.pk} on post {self.post_id}"


class WatchedWord(models.Model):
    """A word moderators watch for, per language (empty: every language). Whole words only, unless it
    ends with * (any ending, for inflected languages) or starts with * (any beginning)."""

    class Action(models.TextChoices):
        BLOCK = "block", _("block (the post is not accepted)")
        HOLD = "hold", _("hold for review")

    class Kind(models.TextChoices):
        GENERAL = "general", _("general")
        SELF_HARM = "self_harm", _("self-harm (shows the support box)")

    word = models.CharField(_("word or phrase"), max_length=80)
    language = models.CharField(_("language"), max_length=10, blank=True, choices=settings.LANGUAGES)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.HOLD)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["language", "word"]
        constraints = [models.UniqueConstraint(fields=["word", "language"], name="forum_watched_word_once")]

    def __str__(self):
        return self.word


class ThreadWatch(models.Model):
    """Someone follows a thread: unread when a post arrived after their last visit."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches")
    last_seen_at = models.DateTimeField(default=timezone.now)
    # One mail per unread stretch: claimed when mailed, cleared when the thread is read again.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="forum_watch_once")]

    def __str__(self):
        return f"{self.user_id} watches {self.thread_id}"


class ModerationAction(models.Model):
    """What moderators did and why: the forum's own log (never the post's text)."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("approved")
        HIDE = "hide", _("hidden")
        EDIT = "edit", _("edited")
        LOCK = "lock", _("thread locked")
        UNLOCK = "unlock", _("thread unlocked")
        SUSPEND = "suspend", _("poster suspended")
        FLAG = "flag", _("self-harm flag changed")
        INVITE = "invite", _("invited to counseling")
        DISMISS = "dismiss", _("reports dismissed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.kind} by {self.actor_id}"


class CaseInvitation(models.Model):
    """A counselor invites the author of a worrying post into a private counseling case. Nothing is
    opened until the young person accepts; the case is linked here, on the forum's side."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_invitations"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    message = models.CharField(_("message to the young person"), max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    case_public_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"invitation {self.pk}"


def poster_name(user) -> str:
    """A young person's forum name, a counselor's display name, or "deleted user". Reads only what the
    list selected (author__forum_profile), never a query per row."""
    if user is None:
        return str(_("deleted user"))
    try:
        return user.forum_profile.pseudonym
    except ForumProfile.DoesNotExist:
        return user.display_name or str(_("Counselor"))
