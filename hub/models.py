from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who signs in: youth under a freely chosen username, staff invited by a coordinator.

    first_name/last_name stay from AbstractUser for library compatibility but are never asked for:
    youth stay anonymous, staff show a display name (a pseudonym is allowed).
    """

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown to young people instead of your username. A pseudonym is fine."),
    )
    # A chat guest under a generated pseudonym; deleted with their chat unless they keep the account.
    is_guest = models.BooleanField(default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def get_full_name(self):
        return self.display_name or self.username

    def get_short_name(self):
        return self.display_name or self.username


class StaffInvitation(models.Model):
    """A coordinator's invitation for a new staff member. The link in the mail is a signed token."""

    email = models.EmailField(_("e-mail"))
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    roles = models.JSONField(_("roles"), default=list)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self):
        return self.email

    def is_open(self, now=None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at


class AuditEntry(models.Model):
    """Who opened what, and when (every staff read of a case). Append-only; coordinators read it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=40)
    target_type = models.CharField(_("object type"), max_length=40)
    target_id = models.CharField(_("object"), max_length=64)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type} {self.target_id}"
