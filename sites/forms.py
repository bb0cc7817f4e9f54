from datetime import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.validators import refuse_email_like, refuse_phone_like
from sites.importer import parse_language_codes
from sites.models import Closure, GroupFormat, GroupOffer, GroupSession, OpeningHours, Site


class SiteProfileForm(forms.ModelForm):
    class Meta:
        model = Site
        # The plain translated fields edit the text in the language the editor is working in.
        fields = [
            "street",
            "postcode",
            "town",
            "phone",
            "email",
            "description",
            "accessibility_notes",
            "directions",
            "offers_online",
            "offers_on_site",
            "offers_groups",
            "appointment_minutes",
            "appointment_buffer_minutes",
            "appointment_notice_hours",
            "appointment_window_days",
            "appointment_capacity",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
        }

    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("Two-letter codes separated by commas, e.g. de, ar, fa, ru."),
    )
    field_order = ["street", "postcode", "town", "phone", "email", "languages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["languages"] = ", ".join(self.instance.languages or [])
        for name in ["appointment_minutes", "appointment_window_days", "appointment_capacity"]:
            self.fields[name].widget.attrs["min"] = 1
            self.fields[name].validators.append(MinValueValidator(1))

    def clean_languages(self) -> list[str]:
        return parse_language_codes(self.cleaned_data["languages"])

    def save(self, commit=True):
        self.instance.languages = self.cleaned_data["languages"]
        return super().save(commit)


OFFER_CHOICES = [
    ("", _("any offer")),
    ("online", _("Online counseling")),
    ("on_site", _("On-site counseling")),
    ("groups", _("Group offers")),
]


class SiteFinderForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode or town"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "search"}),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    offer = forms.ChoiceField(label=_("Offer"), choices=OFFER_CHOICES, required=False)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("any language"))] + [
            (code, name) for code, name in settings.LANGUAGES
        ]


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["kind", "weekday", "opens", "closes"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}),
            "closes": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens and closes.hour + closes.minute > 0:
            self.add_error("closes", _("The closing time must be after the opening time."))
        return cleaned


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day must not be before the first day."))
        return cleaned


# absolute_max: a form claiming more rows than max_num is refused all the same (validate_max), so no more
# rows than that are built and shown again with the error. Django's default builds up to 1,000 more, and
# a single request with a huge hours-TOTAL_FORMS made the server build and render a thousand rows.
HoursFormSet = forms.inlineformset_factory(
    Site, OpeningHours, form=OpeningHoursForm, extra=3, can_delete=True, max_num=60, validate_max=True,
    absolute_max=60,
)  # fmt: skip
ClosureFormSet = forms.inlineformset_factory(
    Site, Closure, form=ClosureForm, extra=2, can_delete=True, max_num=100, validate_max=True,
    absolute_max=100,
)  # fmt: skip


PHONE_PATTERN = r"^\+?[0-9 ()/.-]{6,24}$"


class BookingForm(forms.Form):
    """The slot choices are the free slots of the moment; the key makes a resent form book once."""

    mode = forms.ChoiceField(label=_("How would you like to meet?"), widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language"))
    slot = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect)
    phone = forms.RegexField(
        label=_("Phone number (only for an appointment by phone)"),
        regex=PHONE_PATTERN,
        required=False,
        error_messages={"invalid": _("Please enter a phone number with digits only, e.g. +49 176 1234567.")},
    )
    calendar_shows_site = forms.BooleanField(
        label=_("Show the name and address of the site in the calendar entry"),
        help_text=_(
            "The confirmation mail brings a calendar entry. Without this it only says “Appointment”, "
            "so nobody who sees your calendar learns where you are going."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_calendar_shows_site_help"}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, site, slots, **kwargs):
        super().__init__(*args, **kwargs)
        modes = []
        if site.offers_on_site:
            modes.append(("on_site", _("at the site")))
        if site.offers_online:
            modes += [("video", _("by video")), ("phone", _("by phone"))]
        self.fields["mode"].choices = modes
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            (code, names.get(code, code)) for code in (site.languages or ["de"])
        ]
        self.slots = {slot.start.isoformat(): slot for slot in slots}
        self.fields["slot"].choices = [(key, key) for key in self.slots]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == "phone" and not cleaned.get("phone"):
            self.add_error("phone", _("Please enter the number we should call."))
        return cleaned


class AppointmentStatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("confirm", "confirm"),
            ("cancel", "cancel"),
            ("no_show", "no_show"),
            ("no_show_undo", "no_show_undo"),
            ("move", "move"),
        ]
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    slot = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "cancel" and not cleaned.get("reason"):
            self.add_error("reason", _("Please give a reason for the cancellation."))
        return cleaned


class GroupOfferForm(forms.ModelForm):
    class Meta:
        model = GroupOffer
        # Title and description edit the text in the language the editor is working in (German falls back).
        fields = ["title", "description", "format", "language", "capacity", "room", "link"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "format": forms.RadioSelect}
        help_texts = {
            "link": _("Only participants with a place see the link."),
            "room": _('For meetings at the site, e.g. "Room 2, ground floor".'),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": 500})
        self.fields["capacity"].validators += [MinValueValidator(1), MaxValueValidator(500)]
        self.fields["title"].required = True

    def clean_link(self):
        link = self.cleaned_data["link"]
        if link and not link.startswith("https://"):
            raise forms.ValidationError(_("Please use a secure link that starts with https://."))
        return link

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == GroupFormat.ON_SITE and not cleaned.get("room"):
            self.add_error("room", _("Please say where at the site the group meets."))
        return cleaned


class GroupSessionForm(forms.ModelForm):
    """A meeting as a day and two times in German time, which is how teams plan them."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("until"), widget=forms.TimeInput(attrs={"type": "time"}))

    class Meta:
        model = GroupSession
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            starts_at = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                day=starts_at.date(),
                starts=starts_at.time(),
                ends=timezone.localtime(self.instance.ends_at).time(),
            )

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("The end must be after the start."))
            else:
                self.instance.starts_at = timezone.make_aware(datetime.combine(day, starts))
                self.instance.ends_at = timezone.make_aware(datetime.combine(day, ends))
        return cleaned


GroupSessionFormSet = forms.inlineformset_factory(
    GroupOffer,
    GroupSession,
    form=GroupSessionForm,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=60,
    validate_max=True,
    absolute_max=60,  # as HoursFormSet
)


class GroupJoinForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Your name in the group"),
        max_length=40,
        validators=[refuse_email_like, refuse_phone_like],
        help_text=_("Others in the group see this name. A nickname is fine – not your full name."),
    )


class GroupFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("online and at a site"))] + GroupFormat.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("any language"))] + list(settings.LANGUAGES)
