import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.sealed import SealedField, WrappedKeyField


class FederalState(models.TextChoices):
    """German federal states; the codes are those the `holidays` package uses for subdivisions."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class ProviderGroup(models.Model):
    """A federal umbrella of providers (Trägergruppe), e.g. AWO or IB."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("provider group")
        verbose_name_plural = _("provider groups")

    def __str__(self):
        return self.short_name


class Site(models.Model):
    """One JMD site (Standort). Staff scope (who leads it, who counsels there) is kept with
    django-guardian object permissions on the site."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    # The identifier in the Servicebüro's register of all JMD sites; imports match on it.
    code = models.CharField(_("site code"), max_length=20, unique=True, null=True, blank=True)
    provider_group = models.ForeignKey(
        ProviderGroup, on_delete=models.PROTECT, related_name="sites", verbose_name=_("provider group")
    )
    is_model_site = models.BooleanField(_("model site of the digital-hub"), default=False)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    town = models.CharField(_("town"), max_length=120)
    federal_state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    offers_online = models.BooleanField(_("online counseling"), default=True)
    offers_on_site = models.BooleanField(_("on-site counseling"), default=True)
    offers_groups = models.BooleanField(_("group offers"), default=False)
    # How appointments are offered (the slots come from the APPOINTMENTS hours).
    appointment_minutes = models.PositiveSmallIntegerField(_("appointment length (minutes)"), default=45)
    appointment_buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between appointments (minutes)"), default=15
    )
    appointment_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=24)
    appointment_window_days = models.PositiveSmallIntegerField(_("booking window (days)"), default=28)
    appointment_capacity = models.PositiveSmallIntegerField(
        _("appointments at the same time"),
        default=1,
        help_text=_("How many counselors take appointments in parallel."),
    )
    # Translated with django-modeltranslation (sites/translation.py), falling back to German.
    description = models.TextField(_("description"), blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    directions = models.TextField(_("directions"), blank=True)

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        permissions = [
            ("lead_site", _("Lead the site")),
            ("counsel_at_site", _("Counsel at the site")),
        ]

    def __str__(self):
        return f"{self.name} ({self.town})"


class HoursKind(models.TextChoices):
    """What a set of weekly hours is for. Every kind runs through the one availability engine."""

    ON_SITE = "on_site", _("On-site counseling")
    ONLINE = "online", _("Online counseling and live chat")
    CALLBACK = "callback", _("Callback service")
    APPOINTMENTS = "appointments", _("Appointments")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One weekly time range of a site, in German local time. Several ranges per day are allowed."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hours", verbose_name=_("site"))
    kind = models.CharField(_("for"), max_length=20, choices=HoursKind.choices, default=HoursKind.ON_SITE)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["kind", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")) | models.Q(closes="00:00"),
                name="hours_close_after_open",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Dated days on which a site is closed (team day, holidays of the team, moving)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures", verbose_name=_("site"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason (shown to visitors)"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}"


class AppointmentMode(models.TextChoices):
    ON_SITE = "on_site", _("at the site")
    VIDEO = "video", _("by video")
    PHONE = "phone", _("by phone")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("did not come")
    DONE = "done", _("took place")


ACTIVE_APPOINTMENT = [AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED]


class Appointment(models.Model):
    """A booked slot at a site (blended counseling).

    `seat` numbers the parallel places of a slot (1..capacity); the partial unique constraint on
    (site, starts_at, seat) makes overbooking impossible even when two people book the last place at once.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("site")
    )
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("young person"),
    )
    mode = models.CharField(_("how"), max_length=10, choices=AppointmentMode.choices)
    language = models.CharField(_("language"), max_length=10)
    # The number for a call by phone, sealed with the appointment's own key like a callback number
    # (sites/appointments.py: appointment_phone); both empty for other modes.
    wrapped_key = WrappedKeyField(editable=False, blank=True, default=b"")
    phone_sealed = SealedField(key="", purpose="appointment-phone", blank=True, default=b"")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    seat = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=10, choices=AppointmentStatus.choices, default="booked")
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    idempotency_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The calendar entry in the mail says only "Appointment" unless the person asked for the site's name
    # and address in it (a shared phone's calendar is read by others).
    calendar_shows_site = models.BooleanField(_("site name in the calendar entry"), default=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "starts_at", "seat"],
                condition=models.Q(status__in=ACTIVE_APPOINTMENT),
                name="appointment_one_booking_per_seat",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["site", "starts_at"])]

    def __str__(self):
        return f"{self.site} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_APPOINTMENT


class GroupFormat(models.TextChoices):
    ON_SITE = "on_site", _("at the site")
    VIRTUAL = "virtual", _("online (video)")


class GroupOffer(models.Model):
    """A group offer of a site (a language café, an application training…): one or more dated meetings,
    a fixed number of places and a waiting list. Title and description are translated like site texts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="group_offers", verbose_name=_("site")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=GroupFormat.choices)
    language = models.CharField(_("language"), max_length=10)
    capacity = models.PositiveSmallIntegerField(_("places"))
    room = models.CharField(_("room or meeting point"), max_length=200, blank=True)
    # Shown to participants with a place only, so that strangers cannot walk into the video meeting.
    link = models.URLField(_("video link"), blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("group offer")
        verbose_name_plural = _("group offers")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="group_offer_has_places")
        ]

    def __str__(self):
        return self.title


class GroupSession(models.Model):
    """One dated meeting of a group offer."""

    offer = models.ForeignKey(
        GroupOffer, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("group offer")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="group_session_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.offer} {self.starts_at:%Y-%m-%d %H:%M}"


class ParticipationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("has a place")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("signed off")


ACTIVE_PARTICIPATION = [ParticipationStatus.CONFIRMED, ParticipationStatus.WAITING]


class GroupParticipation(models.Model):
    """A young person in a group offer, under a pseudonym of their choice. The waiting list is the
    WAITING rows in the order they signed up."""

    offer = models.ForeignKey(
        GroupOffer, on_delete=models.CASCADE, related_name="participations", verbose_name=_("group offer")
    )
    youth = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_participations",
        verbose_name=_("young person"),
    )
    pseudonym = models.CharField(_("name in the group"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=ParticipationStatus.choices)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("moved up at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "youth"],
                condition=models.Q(status__in=ACTIVE_PARTICIPATION),
                name="group_one_active_participation",
            )
        ]

    def __str__(self):
        return f"{self.pseudonym} – {self.offer}"
