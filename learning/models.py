"""Staff training: courses (lessons and quizzes, authored in the Wagtail admin as snippets), enrolments,
progress, certificates, activity gates and the quality-standard library.

A course's lessons and quizzes carry a free-text ``module`` heading: consecutive items with the same
heading form one module. That keeps the editor one level deep (Wagtail's inline panels do not nest)
while the course page still shows modules.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable

from hub.roles import Role


class Activity(models.TextChoices):
    """Staff activities a coordinator can make depend on a valid certificate."""

    CASES = "cases", _("Take or be assigned mail cases")
    LIVE_CHAT = "live_chat", _("Take live chats")
    CALLBACKS = "callbacks", _("Take callback requests")


class Course(ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    self_enrolment = models.BooleanField(
        _("open for self-enrolment"), default=False, help_text=_("Staff may enrol themselves.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(
        _("due within (days after enrolment)"),
        null=True,
        blank=True,
        help_text=_("Used when no fixed due date is set."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that do not expire."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title


class EnrolmentRule(Orderable):
    """Everyone holding the role (and/or working at the site) is enrolled, now and as they join."""

    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="rules")
    role = models.CharField(
        _("role"), max_length=40, blank=True, choices=[(r.value, r.label) for r in Role if r != Role.YOUTH]
    )
    site = models.ForeignKey(
        "sites.Site",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("site"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("enrolment rule")
        verbose_name_plural = _("enrolment rules")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="") | models.Q(site__isnull=False), name="learning_rule_not_empty"
            )
        ]


class LessonBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"))
    image = ImageBlock(label=_("Image"))
    media = DocumentChooserBlock(label=_("Video or audio file"))
    download = DocumentChooserBlock(label=_("Download"))


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(label=_("Feedback for this answer"), required=False)


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Question"))
    multiple = blocks.BooleanBlock(label=_("Several answers may be right"), required=False)
    answers = blocks.ListBlock(AnswerBlock(), label=_("Answers"), min_num=2)


class Lesson(Orderable):
    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="lessons")
    module = models.CharField(_("module"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = StreamField(LessonBlock(), verbose_name=_("content"), blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self):
        return self.title


class Quiz(Orderable):
    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="quizzes")
    module = models.CharField(_("module"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (percent)"), default=80)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means unlimited.")
    )
    questions = StreamField([("question", QuestionBlock())], verbose_name=_("questions"))

    class Meta(Orderable.Meta):
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return self.title


class ActivityRequirement(ClusterableModel):
    """Which courses a staff member needs a valid certificate of before doing an activity."""

    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices, unique=True)
    courses = ParentalManyToManyField(Course, related_name="requirements", verbose_name=_("required courses"))

    class Meta:
        verbose_name = _("required training")
        verbose_name_plural = _("required training")

    def __str__(self):
        return self.get_activity_display()


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    COORDINATOR = "coordinator", _("Enrolled by a coordinator")
    RULE = "rule", _("Enrolled by rule")
    RENEWAL = "renewal", _("Re-certification")


class Enrolment(models.Model):
    """One run through a course. A re-certification is a new enrolment; only one may be open at a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(_("how"), max_length=20, choices=EnrolmentSource.choices)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Claimed by the periodic jobs before a mail goes out, so each goes once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # Further attempts a coordinator granted, per quiz id: {"12": 1}.
    extra_attempts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(completed_at__isnull=True),
                name="learning_one_open_enrolment",
            )
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user_id} → {self.course_id}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="learning_lesson_once")]

    def __str__(self):
        return f"{self.enrolment_id}: {self.lesson_id}"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("score (percent)"))
    passed = models.BooleanField(_("passed"))
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "quiz", "number"], name="learning_attempt_number")
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.quiz_id} #{self.number}"


def new_certificate_code() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits: a code cannot be guessed, only copied


class Certificate(models.Model):
    """Proof of a completed course. Name and title are copied at issue time: the certificate says what
    was true then, even if the course is renamed later."""

    code = models.CharField(max_length=40, unique=True, default=new_certificate_code)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    # A deleted course leaves its certificates checkable (the title is copied above).
    course = models.ForeignKey(Course, null=True, on_delete=models.SET_NULL, related_name="certificates")
    enrolment = models.OneToOneField(
        Enrolment, null=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    holder_name = models.CharField(_("name"), max_length=150)
    course_title = models.CharField(_("course"), max_length=200)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Set when the re-certification enrolment was opened (claimed by the periodic job).
    renewal_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.holder_name}: {self.course_title}"

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.valid_until is None or now < self.valid_until)


class QualityStandard(ClusterableModel):
    """A shared quality-standard document of all JMD; its versions follow one another."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("quality standard")
        verbose_name_plural = _("quality standards")

    def __str__(self):
        return self.title


class StandardVersion(Orderable):
    standard = ParentalKey(QualityStandard, on_delete=models.CASCADE, related_name="versions")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("version"), max_length=40)
    effective_from = models.DateField(_("in force from"))
    body = RichTextField(_("text"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return self.label


class StandardConfirmation(models.Model):
    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="learning_confirm_once")]

    def __str__(self):
        return f"{self.user_id}: {self.version_id}"


class InterviewRun(models.Model):
    """A signed-in young person's finished interview practice: which path they took and how it went.
    Only the answer keys are kept (no free text); the young person can delete their runs."""

    youth = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    path = models.JSONField(default=list)
    good_answers = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self):
        return f"{self.youth_id}: {self.finished_at:%Y-%m-%d}"
