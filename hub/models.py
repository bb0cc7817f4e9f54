from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.sealed import SealedField, WrappedKeyField


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
    # The language the person last used the portal in (hub.privacy_middleware.UserLanguageMiddleware): notices
    # are written in it and their links open the page in it.
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    # What get_full_name reads: lists that show many people's names load only these (counseling/inbox.py).
    NAME_FIELDS = ("display_name", "username")

    def get_full_name(self):
        return self.display_name or self.username

    def get_short_name(self):
        return self.display_name or self.username


class StaffInvitation(models.Model):
    """A coordinator's invitation for a new staff member. The link in the mail is a signed token."""

    email = models.EmailField(_("e-mail"))
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    roles = models.JSONField(_("roles"), default=list)
    # Sites (as counselor or lead) and counseling languages and topics, applied when the invitation is
    # accepted (counseling/staffing.py): site ids and codes only.
    setup = models.JSONField(_("set-up"), default=dict, blank=True)
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
    # A short, content-free note: the roles granted, the old and new retention period…
    detail = models.CharField(_("details"), max_length=200, blank=True)
    # Set by the database, not by the application's clock; a trigger refuses any other time (hub 0006).
    at = models.DateTimeField(_("when"), db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type} {self.target_id}"


class RetentionPolicy(models.Model):
    """A coordinator's choice for one retention period (hub/retention.py holds defaults and bounds).

    A row exists only once the default was changed; its absence means "the safe default"."""

    key = models.CharField(_("what"), max_length=40, unique=True)
    value = models.PositiveIntegerField(_("period"))
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return f"{self.key}={self.value}"


class PurgeRun(models.Model):
    """One run of the retention purges: when, how it was started and how many rows each purge removed.
    Counts only – never content, usernames or ids of what was deleted."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    trigger = models.CharField(_("started by"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("deleted"), default=dict)
    error = models.CharField(_("error"), max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")

    def __str__(self):
        return f"purge {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class StatEvent(models.Model):
    """One countable event for the statistics (hub/statistics.py), recorded when it happens.

    Deliberately without any reference to a person or a case, so that it survives the retention purge
    and an account deletion; site and provider group are plain numbers for the same reason (a deleted
    site does not take last year's figures with it)."""

    kind = models.CharField(max_length=24)
    day = models.DateField(db_index=True)
    site_ref = models.PositiveIntegerField(null=True, blank=True)
    provider_group_ref = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=12, blank=True)
    language = models.CharField(max_length=10, blank=True)
    topic = models.CharField(max_length=40, blank=True)
    # The case's country of residence (ISO code, hub/countries.py): a country, never a person.
    country = models.CharField(max_length=2, blank=True)
    # Per kind: the first answer's duration in minutes; nothing for the others.
    value = models.PositiveIntegerField(null=True, blank=True)
    # Per kind: the first answer came within the 48-hour clock.
    flag = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("statistics event")
        verbose_name_plural = _("statistics events")
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self):
        return f"{self.kind} {self.day}"


class StatMonth(models.Model):
    """The statistics events of one month summed: what the statistics page counts from
    (hub/stat_months.py), kept up to date by `stat_record` in the same transaction as the event and
    rebuilt from the events by `manage.py stats_rebuild`.

    Two sorts of rows: with `dimension` = "" one per combination of kind, site, provider group, channel,
    language, topic and country of residence (for filtered tables); with `dimension` = "site",
    "language", … one per kind and value of that dimension alone, the other columns empty (the unfiltered
    tables read a few hundred of these instead of the combinations). First answers keep their durations,
    from which any selection's median is exact. "Not stated" is 0 or "" (never NULL) so that the unique
    key, and with it the upsert, also matches rows without a site."""

    month = models.DateField()  # the first day of the month
    kind = models.CharField(max_length=24)
    dimension = models.CharField(max_length=16, blank=True)
    site_ref = models.PositiveIntegerField(default=0)
    provider_group_ref = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=12, blank=True)
    language = models.CharField(max_length=10, blank=True)
    topic = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True)
    n = models.PositiveIntegerField(default=0)
    # First answers among n that kept the 48-hour clock.
    within = models.PositiveIntegerField(default=0)
    # First answers: each one's minutes until the answer, in no order (a median cannot be summed).
    minutes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("monthly statistics figure")
        verbose_name_plural = _("monthly statistics figures")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    *("dimension", "month", "kind", "site_ref"),
                    *("provider_group_ref", "channel", "language", "topic", "country"),
                ],
                name="hub_statmonth_one_row_per_combination",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.month:%Y-%m}: {self.n}"


class PushSubscription(models.Model):
    """One browser of a young person that asked to hear "you have a new message" (hub/push.py).

    Endpoint and browser keys are sealed with the row's own data key: the endpoint is a capability (who
    has it can post to that browser) and the keys decide who can read what is posted. Deleted with the
    account (CASCADE), on switching off, when the push service says the browser dropped it (404/410), and
    90 days after its last use (hub.retention.PUSH_SUBSCRIPTIONS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(unique=True)
    wrapped_key = WrappedKeyField()
    endpoint_sealed = SealedField(key="", purpose="push-endpoint")
    keys_sealed = SealedField(key="", purpose="push-keys")  # JSON {"p256dh": …, "auth": …}
    # The notice is shown in the language the switch was turned on in (no text is ever sent).
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    # Switched on, confirmed by the browser on /me/, or a message delivered: the 90 days start again.
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("notification subscription")
        verbose_name_plural = _("notification subscriptions")

    def __str__(self):
        return f"push subscription {self.public_id}"
