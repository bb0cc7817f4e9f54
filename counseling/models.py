"""Mail counseling (jmd4you): cases, their messages, attachments and internal notes.

Everything a young person or a counselor writes is stored sealed with the case's own data key
(hub/crypto.py); `Case.wrapped_key` is the only copy of that key, wrapped by the master key. Clearing it
makes the case unreadable even in old backups of the message tables.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.labels import language_label
from hub.sealed import SealedField, WrappedKeyField
from hub.topics import Topic


class CaseStatus(models.TextChoices):
    NEW = "new", _("new")
    OPEN = "open", _("open")
    WAITING = "waiting", _("waiting for the young person")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = [CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING]


class CounselorProfile(models.Model):
    """What routing needs to know about a counselor: languages, topics, how many cases, presence."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselor_profile"
    )
    languages = models.JSONField(_("counseling languages"), default=list, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True, help_text=_("Empty: all topics."))
    capacity = models.PositiveSmallIntegerField(_("open cases at most"), default=25)
    chat_seats = models.PositiveSmallIntegerField(_("live chats at once"), default=2)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentees",
        verbose_name=_("mentor (for trainee counselors)"),
    )
    is_absent = models.BooleanField(_("absent"), default=False)
    absence_message = models.CharField(_("absence message for young people"), max_length=300, blank=True)
    absent_until = models.DateField(_("absent until"), null=True, blank=True)
    # The language the message is written in: young people see it only on pages in that language, and a
    # translated notice everywhere (counseling/absence.py).
    absence_message_language = models.CharField(max_length=10, blank=True)
    # Set by coordinators: answers, with a translation aid, cases in languages no present counselor speaks
    # (counseling/routing.py sends those to the fallback queue).
    is_fallback = models.BooleanField(
        _("fallback for other languages"),
        default=False,
        help_text=_("Answers questions in languages nobody present speaks, with a translation aid."),
    )
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("counselor profile")
        verbose_name_plural = _("counselor profiles")

    def __str__(self):
        return str(self.user)


class Label(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self):
        return self.name


class Case(models.Model):
    """One enquiry and everything that follows from it (a mail thread; later also chats)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("young person"),
    )
    # A network partner who opened the enquiry on behalf of a client (then `youth` may be empty).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_opened",
        verbose_name=_("opened by"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    language = models.CharField(_("language"), max_length=10)
    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("site"),
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    # Where the young person lived when they asked (ISO code, hub/countries.py; empty: not said). Coarse
    # on purpose and not sealed: the inbox filters by it and the statistics count it. Abroad, the case
    # page offers "I have arrived in Germany" (counseling/arrival.py).
    country_of_residence = models.CharField(_("country of residence"), max_length=2, blank=True)
    # Handed over to its site: routed only among that site's team, never back to `handed_over_from`.
    team_only = models.BooleanField(default=False)
    handed_over_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NEW)
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("counselor"),
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="cases", verbose_name=_("labels"))
    wrapped_key = WrappedKeyField(editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    # When the case was last closed: the retention period of closed cases runs from here.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The answer clock (counseling/clock.py): set when the enquiry arrives, cleared by the first answer.
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The young person answered the feedback questions after closing (counseling/feedback.py): a flag on
    # the case, never a link from the anonymous answer back to it.
    feedback_given = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["counselor", "status"]),
            models.Index(fields=["site", "status"]),
            models.Index(fields=["status", "answer_due_at"]),
            models.Index(fields=["youth", "-last_message_at"]),
            # The inbox's order over open cases (selectors.inbox): every box walks it and stops after a
            # page, instead of sorting all of a busy counselor's or the queue's open cases per request.
            # Plain ascending: PostgreSQL puts NULLs last in an ascending index by default (what the
            # inbox's "NULLS LAST" asks for), and SQLite refuses NULLS LAST in CREATE INDEX.
            models.Index(
                models.F("answer_due_at").asc(),
                models.F("last_message_at").desc(),
                models.F("id").asc(),
                condition=models.Q(status__in=OPEN_STATUSES),
                name="case_open_inbox_order",
            ),
            # The escalated box's count for its pager (all sites, or a lead's): read from this small
            # index alone instead of every open case's row (10 ms at 15,000 open cases).
            models.Index(
                fields=["site"],
                condition=models.Q(status__in=OPEN_STATUSES, escalated_at__isnull=False),
                name="case_open_escalated",
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()} ({self.public_id.hex[:8]})"


class MessageStatus(models.TextChoices):
    PUBLISHED = "published", _("sent")
    PENDING = "pending", _("waiting for the mentor")
    RETURNED = "returned", _("returned by the mentor")


class Message(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    body_sealed = SealedField(key="case", purpose="message")
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.PUBLISHED)
    review_comment = models.CharField(_("comment from the mentor"), max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
    # Set for a line of the case's live chat: its number in the chat (see Chat).
    chat_seq = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "status", "created_at"]),
            # The case page's latest entries and the inbox's "young person wrote at", whatever the status.
            models.Index(fields=["case", "created_at", "id"], name="message_case_timeline"),
            # The inbox's "a reply waits for approval" per row: pending replies are few among many.
            models.Index(fields=["case"], condition=models.Q(status="pending"), name="message_pending_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "chat_seq"],
                condition=models.Q(chat_seq__isnull=False),
                name="message_chat_seq_once",
            )
        ]

    def __str__(self):  # never the content
        return f"message {self.pk} of {self.case_id}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name_sealed = SealedField(key="message.case", purpose="attachment-name")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data_sealed = SealedField(key="message.case", purpose="attachment")
    created_at = models.DateTimeField(auto_now_add=True)
    # Voice messages (counseling/voice.py) are attachments of an audio kind: the length the recorder
    # measured (None for a file chosen without the recorder) and a counselor's written summary for the
    # record, sealed like a message body and shown to staff only.
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    summary_sealed = SealedField(key="message.case", purpose="voice-summary", blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"attachment {self.public_id}"

    @property
    def is_voice(self) -> bool:
        return self.content_type.startswith("audio/")


class InternalNote(models.Model):
    """Staff-only notes (also handover notes); never shown to the young person."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body_sealed = SealedField(key="case", purpose="note")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="note_case_timeline")]

    def __str__(self):
        return f"note {self.pk} of {self.case_id}"


class CaseEvent(models.Model):
    """What happened to a case besides messages: assignment, handover, status, escalation. No content."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        QUEUED = "queued", _("waiting in the queue")
        TAKEN = "taken", _("taken from the queue")
        HANDOVER = "handover", _("handed over")
        STATUS = "status", _("status changed")
        REMINDED = "reminded", _("answer reminder")
        ESCALATED = "escalated", _("escalated")
        CHAT_ENDED = "chat_ended", _("chat ended")
        CONVERTED = "converted", _("chat continued as a mail thread")
        VIDEO = "video", _("video call offered")
        RELEASED = "released", _("back in the team queue")
        ARRIVED = "arrived", _("arrived in Germany")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey("sites.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, blank=True)
    # Why routing did what it did, as data (counseling/routing_reasons.py renders it in the reader's
    # language): {"rule": "matched", "language": "ru", "topic": "work", "team": true, "nearest": "45127"}.
    reason = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # The case page's latest entries (counseling/timeline.py) and the retention's last activity.
        indexes = [models.Index(fields=["case", "created_at", "id"], name="caseevent_case_timeline")]

    def __str__(self):
        return f"{self.kind} {self.case_id}"


class CannedResponse(models.Model):
    """Reusable answers per language, kept by coordinators; counselors insert them by shortcut."""

    language = models.CharField(_("language"), max_length=10)
    shortcut = models.SlugField(
        _("shortcut"), max_length=30, help_text=_("Type /shortcut in a reply to insert it.")
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["language", "shortcut"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "shortcut"], name="canned_unique_shortcut_per_language"
            )
        ]

    def __str__(self):
        return f"/{self.shortcut} ({language_label(self.language)})"


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("waiting for a counselor")
    TAKEN = "taken", _("taken by a counselor")
    DONE = "done", _("done")


class CallbackOutcome(models.TextChoices):
    REACHED = "reached", _("reached")
    NOT_REACHED = "not_reached", _("not reached – try again")
    GIVEN_UP = "given_up", _("not reached – no further attempt")


class CallbackRequest(models.Model):
    """A young person asks to be called back in one of two or three preferred slots.

    The phone number is stored normalised (E.164) and sealed with the case key, and it is wiped as soon
    as the callback is done – at the latest 7 days after the last preferred slot (purge job)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="callbacks")
    phone_sealed = SealedField(key="case", purpose="phone", blank=True)
    slots = models.JSONField(_("preferred times"), default=list)  # ISO datetimes of the slot starts
    last_slot_ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=12, choices=CallbackOutcome.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    number_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):  # never the number
        return f"callback {self.public_id}"

    @property
    def has_number(self) -> bool:
        return bool(self.phone_sealed)

    @property
    def slot_times(self) -> list:
        return [datetime.fromisoformat(slot) for slot in self.slots]


class ChatStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for a counselor")
    ACTIVE = "active", _("running")
    ENDED = "ended", _("ended")


LIVE_CHAT_STATUSES = [ChatStatus.WAITING, ChatStatus.ACTIVE]


class Chat(models.Model):
    """A live 1:1 chat on a case (counseling/chat.py). Its lines are the case's messages, numbered by
    `Message.chat_seq` under a lock on this row, so that a client can ask for "everything after n"."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="chat")
    status = models.CharField(max_length=10, choices=ChatStatus.choices, default=ChatStatus.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_seq = models.PositiveIntegerField(default=0)
    youth_read_seq = models.PositiveIntegerField(default=0)
    staff_read_seq = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"chat of {self.case_id}"


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ChatRound(models.Model):
    """A topic chat round: a moderated group chat at a set time (counseling/rounds.py).

    The transcript is sealed with the round's own key; closing the round destroys the key and the
    lines unless CHAT_ROUND_KEEP_TRANSCRIPT is set by the retention policy."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    language = models.CharField(_("language"), max_length=10)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("moderator")
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.SCHEDULED)
    wrapped_key = WrappedKeyField(editable=False)
    last_seq = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("chat round")
        verbose_name_plural = _("chat rounds")

    def __str__(self):
        return self.title


class RoundParticipant(models.Model):
    round = models.ForeignKey(ChatRound, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pseudonym = models.CharField(_("name in the round"), max_length=40)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="round_participant_once")]

    def __str__(self):
        return self.pseudonym


class RoundMessage(models.Model):
    round = models.ForeignKey(ChatRound, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pseudonym = models.CharField(max_length=80)
    from_moderator = models.BooleanField(default=False)
    body_sealed = SealedField(key="round", purpose="round")
    client_id = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["round", "seq"], name="round_message_seq_once")]

    def __str__(self):  # never the content
        return f"line {self.seq} of round {self.round_id}"


class CaseTombstone(models.Model):
    """What is left when a young person deletes their account: the case number and who worked it, so
    that the counselor who opens it sees "the person deleted their account". No content, no user of the
    deleted account; purged with the closed cases' period."""

    public_id = models.UUIDField(unique=True)
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey("sites.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    deleted_at = models.DateTimeField(_("deleted"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self):
        return f"deleted case {self.public_id}"


class CaseRead(models.Model):
    """When a staff member last opened a case page: the inbox marks a case unread when the young person
    wrote after that (counseling/inbox.py). One row per person and case, overwritten on each opening."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_read_once_per_user")]

    def __str__(self):
        return f"read of {self.case_id} by {self.user_id}"


# Anonymous feedback after closing a case (counseling/feedback.py): its own module, no link to a case.
from counseling.feedback_models import CaseFeedback  # noqa: E402, F401
