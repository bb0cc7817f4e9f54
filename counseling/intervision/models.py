"""Intervision: counselors ask colleagues for advice on a case without exposing the young person
(seed 003, "Mentorats- und Intervisionssystem für die Online-BeraterInnen").

A request goes to one intervision group (per provider group, per language, or a mentor's group, set up
by coordinators and mentors). Its excerpt, question and answers are sealed with the request's own data
key, so key rotation re-wraps it and the retention purge (counseling/intervision/retention.py) shreds it
with the key. The request keeps a link to its case for the requester only (access.py); it goes when the
case goes, since the excerpt was the young person's words.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hub.sealed import SealedField, WrappedKeyField
from hub.topics import Topic


class GroupKind(models.TextChoices):
    PROVIDER_GROUP = "provider_group", pgettext_lazy("intervision group", "Provider group")
    LANGUAGE = "language", pgettext_lazy("intervision group", "Language")
    MENTOR = "mentor", pgettext_lazy("intervision group", "Mentor's group")


class IntervisionGroup(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    provider_group = models.ForeignKey(
        "sites.ProviderGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider group"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The mentor who runs a mentor's group (and may change its members and meetings).
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervision group")
        verbose_name_plural = _("intervision groups")

    def __str__(self):
        return self.name


class IntervisionMember(models.Model):
    group = models.ForeignKey(IntervisionGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervision_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="intervision_member_once")]

    def __str__(self):
        return f"{self.user_id} in {self.group_id}"


class IntervisionRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(IntervisionGroup, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # For the requester's link back to their case only; never rendered for anyone else (access.py).
    case = models.ForeignKey("counseling.Case", on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    language = models.CharField(_("language"), max_length=10)
    wrapped_key = WrappedKeyField(default=b"")
    excerpt_sealed = SealedField(purpose="intervision-excerpt")
    question_sealed = SealedField(purpose="intervision-question")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["group", "created_at"])]

    def __str__(self):  # never the content, never the case
        return f"intervision request {self.public_id.hex[:8]}"


class IntervisionAnswer(models.Model):
    request = models.ForeignKey(IntervisionRequest, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body_sealed = SealedField(key="request", purpose="intervision-answer")
    # Marked by the requester: this answer helped.
    helped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"answer {self.pk} to {self.request_id}"


class IntervisionMeeting(models.Model):
    """A scheduled meeting of a group; its room is a page inside the portal (no third-party service)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(IntervisionGroup, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return self.title
