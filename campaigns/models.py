"""Campaigns: Wagtail landing pages, channels with short links and QR codes, reach counters and the
post planner for digital streetwork.

Reach is counted without tracking people: one row per (channel, language, day, kind) holding a number,
incremented in place. No cookie, no address, no user id is stored with it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from counseling.partners.countries import ClientCountry
from hub.links import absolute_url
from sites.models import Weekday

# Short codes without look-alike characters (0/O, 1/l/I), so a code copied from a poster works.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7


def new_channel_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CallToAction(models.TextChoices):
    ASK = "ask", _("Ask a question")
    FIND_SITE = "find_site", _("Find a JMD near you")
    GROUP_OFFER = "group_offer", _("Join a group offer")


class CampaignIndexPage(Page):
    """The folder campaign pages live in."""

    max_count = 1
    subpage_types = ["campaigns.CampaignPage"]

    class Meta:
        verbose_name = _("campaigns")

    def serve(self, request, *args, **kwargs):
        return redirect("hub:start")


class CampaignPage(Page):
    language = models.CharField(
        _("main language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_(
            "Short links of this campaign open the page in this language unless a channel says otherwise."
        ),
    )
    message = RichTextField(_("message"), blank=True, features=["h2", "bold", "italic", "ul", "ol", "link"])
    call_to_action = models.CharField(
        _("call to action"), max_length=20, choices=CallToAction.choices, default=CallToAction.ASK
    )
    call_to_action_label = models.CharField(
        _("button text"), max_length=60, blank=True, help_text=_("Leave empty for the standard text.")
    )
    share_text = models.CharField(
        _("share text"), max_length=200, blank=True, help_text=_("Shown with the link on social media.")
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("1200 × 630 pixels work best on every network."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("message"),
        MultiFieldPanel(
            [FieldPanel("call_to_action"), FieldPanel("call_to_action_label")], heading=_("Call to action")
        ),
        MultiFieldPanel([FieldPanel("share_text"), FieldPanel("share_image")], heading=_("Social media")),
    ]
    settings_panels = [FieldPanel("language"), *Page.settings_panels]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaign")

    def landing_url(self, language: str) -> str:
        slug = getattr(self, f"slug_{language}", "") or self.slug_de or self.slug
        with override(language):
            return reverse("campaigns:landing", kwargs={"slug": slug})

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        from django.utils.translation import get_language

        return parts[0], parts[1], self.landing_url(get_language() or self.language)

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        return redirect(self.landing_url(request.LANGUAGE_CODE or self.language))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign"] = self
        return context

    def get_template(self, request, *args, **kwargs):
        return "campaigns/landing.html"


class ChannelKind(models.TextChoices):
    POSTER = "poster", _("Poster or flyer")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    FACEBOOK = "facebook", _("Facebook")
    TELEGRAM = "telegram", _("Telegram")
    PARTNER = "partner", _("Partner website")
    OTHER = "other", _("Other")


class Channel(models.Model):
    """Where a campaign is shown: each has its own short link (/c/<code>/) and QR code."""

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(
        _("name"), max_length=80, help_text=_("e.g. “Poster Berlin U-Bahn” or “Instagram Reel 3”")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Language the short link opens; empty: the campaign's main language."),
    )
    code = models.CharField(max_length=16, unique=True, default=new_channel_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "kind", "name"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def landing_language(self) -> str:
        return self.language or self.campaign.language

    def short_path(self) -> str:
        return reverse("campaign_short_link", kwargs={"code": self.code})

    def short_url(self, request=None) -> str:
        """On the request's host where there is one (hub/links.py); in templates: {% short_url channel %}."""
        return absolute_url(self.short_path(), request=request)


class ReachKind(models.TextChoices):
    LANDING = "landing", _("Landings")
    SIGNUP = "signup", _("Sign-ups")
    ENQUIRY = "enquiry", _("First questions")


class ReachCount(models.Model):
    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="reach_counts")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="reach_counts")
    language = models.CharField(max_length=8)
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=ReachKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "language", "day", "kind"], name="campaigns_reach_row")
        ]
        indexes = [models.Index(fields=["campaign", "day"])]

    def __str__(self):
        return f"{self.day} {self.kind} {self.language}: {self.count}"


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    FACEBOOK = "facebook", _("Facebook")
    TELEGRAM = "telegram", _("Telegram")
    YOUTUBE = "youtube", _("YouTube")
    OTHER = "other", _("Other")


class PostStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready to post")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class PlannedPost(models.Model):
    """A digital-streetwork post planned for a campaign: what goes out where, in which language, when."""

    campaign = models.ForeignKey(
        CampaignPage, on_delete=models.CASCADE, related_name="planned_posts", verbose_name=_("campaign")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    publish_on = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=2200)
    status = models.CharField(_("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.IDEA)
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("short link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_posts",
        help_text=_("The channel whose short link goes into the post."),
    )
    social_space = models.ForeignKey(
        "campaigns.SocialSpace",
        verbose_name=_("social space"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_posts",
        help_text=_("The place the post goes to (social-space analysis)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["publish_on", "pk"]

    def __str__(self):
        return f"{self.publish_on} {self.get_platform_display()} ({self.language})"


# --- social-space analysis and the social-media office hour (issue 20, digital streetwork) -------------


class ContactRole(models.TextChoices):
    """Who speaks for a place: always a role, never a young person found there."""

    ADMIN = "admin", _("Admin of the group or channel")
    MODERATOR = "moderator", _("Moderator")
    PARTNER = "partner", _("Partner organisation that runs it")
    NONE = "none", _("No contact yet")


class SocialSpace(models.Model):
    """A digital place where the target groups meet (Sozialraumanalyse, JMD 2Connect): recorded by online
    mentors as a place, with no personal data of the young people seen there (the form refuses handles,
    phone numbers and e-mail addresses: campaigns/social_spaces.py). Reach is read per place through the
    campaign channels used there and the posts planned for it."""

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(
        _("name of the group or channel"),
        max_length=120,
        help_text=_("As the place calls itself, e.g. “Germans in Tirana – questions and answers”."),
    )
    # The partners' country list (JMD 2Connect's origin countries and neighbours), one translated list.
    country = models.CharField(_("country"), max_length=2, choices=ClientCountry.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    members = models.PositiveIntegerField(_("size (members or followers, about)"), null=True, blank=True)
    topics = models.JSONField(_("topics seen"), default=list, blank=True)  # hub.topics.Topic values
    rules = models.TextField(_("rules of the place"), max_length=2000, blank=True)
    contact_role = models.CharField(
        _("contact"), max_length=20, choices=ContactRole.choices, default=ContactRole.NONE
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    observed_on = models.DateField(_("date observed"))
    channels = models.ManyToManyField(
        Channel,
        verbose_name=_("campaign channels used there"),
        blank=True,
        related_name="social_spaces",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "platform", "name"]
        verbose_name = _("social space")
        verbose_name_plural = _("social spaces")

    def __str__(self):
        return f"{self.get_platform_display()}: {self.name}"


class OfficeHours(models.Model):
    """When an online mentor holds the staff's social-media office hour (Social-Media-Sprechstunde):
    weekly hours in German time, turned into slots by the availability engine (campaigns/office_hours.py)."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_hours",
        verbose_name=_("host"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("from"))
    closes = models.TimeField(_("until"))

    class Meta:
        ordering = ["host", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="office_hours_order"
            )
        ]

    def __str__(self):
        return f"{self.weekday} {self.opens}–{self.closes}"


class OfficeHourBooking(models.Model):
    """A member of staff's half hour with the streetwork team. The partial unique constraint on (host,
    starts_at) is what finally prevents two bookings of one host's slot."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hours_held"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hours_booked"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    question = models.CharField(_("what you would like to talk about"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "starts_at"],
                condition=models.Q(cancelled_at__isnull=True),
                name="office_hour_one_booking_per_host",
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}"
