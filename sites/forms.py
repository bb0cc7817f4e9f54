from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sites.models import Closure, OpeningHours, Site


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
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
        }


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


HoursFormSet = forms.inlineformset_factory(
    Site, OpeningHours, form=OpeningHoursForm, extra=3, can_delete=True, max_num=60, validate_max=True
)
ClosureFormSet = forms.inlineformset_factory(
    Site, Closure, form=ClosureForm, extra=2, can_delete=True, max_num=100, validate_max=True
)


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
        choices=[("confirm", "confirm"), ("cancel", "cancel"), ("no_show", "no_show"), ("move", "move")]
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    slot = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "cancel" and not cleaned.get("reason"):
            self.add_error("reason", _("Please give a reason for the cancellation."))
        return cleaned
