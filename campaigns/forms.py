from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from campaigns.models import Channel, ChannelKind, OfficeHours, PlannedPost, Platform, SocialSpace
from counseling.forum import contact_details
from counseling.partners.countries import ClientCountry
from hub.dates import format_when
from hub.topics import Topic


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["kind", "name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ChannelKind.choices
        self.fields["language"].choices = [("", _("Campaign's main language")), *settings.LANGUAGES]
        self.fields["name"].error_messages["required"] = _("Please give the channel a name.")


class PlannedPostForm(forms.ModelForm):
    class Meta:
        model = PlannedPost
        fields = [
            "campaign",
            "platform",
            "language",
            "publish_on",
            "status",
            "channel",
            "social_space",
            "text",
        ]
        widgets = {
            "publish_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.select_related("campaign")
        self.fields["channel"].label_from_instance = lambda channel: f"{channel.campaign.title} – {channel}"
        self.fields["social_space"].queryset = SocialSpace.objects.all()
        self.fields["text"].error_messages["required"] = _("Please write the text of the post.")
        self.fields["publish_on"].error_messages["invalid"] = _("Please enter a date.")

    def clean(self):
        cleaned = super().clean()
        channel, campaign = cleaned.get("channel"), cleaned.get("campaign")
        if channel and campaign and channel.campaign_id != campaign.pk:
            self.add_error("channel", _("This short link belongs to another campaign."))
        return cleaned


# --- social-space analysis and office hour (issue 20) -----------------------------------------------------


class SocialSpaceForm(forms.ModelForm):
    """A digital place, described without personal data of the young people seen there: a handle, a
    phone number or an e-mail address in a free text is refused with a message that names it."""

    topics = forms.MultipleChoiceField(
        label=_("Topics seen"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    # Free texts checked for personal data, and whether a link or handle is refused in each: a place's
    # name may not hold a phone number or address either, but "Telegram Deutschland" is a name.
    CHECKED = {"name": False, "rules": True, "notes": True}

    class Meta:
        model = SocialSpace
        fields = [
            "platform",
            "name",
            "country",
            "language",
            "members",
            "topics",
            "rules",
            "contact_role",
            "observed_on",
            "channels",
            "notes",
        ]
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rules": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "contact_role": forms.RadioSelect,
            "channels": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *ClientCountry.choices]
        self.fields["members"].max_value = MAX_MEMBERS
        self.fields["members"].widget.attrs.update(min=0, max=MAX_MEMBERS)
        self.fields["members"].validators.append(MaxValueValidator(MAX_MEMBERS))
        self.fields["channels"].queryset = Channel.objects.select_related("campaign")
        self.fields["channels"].label_from_instance = lambda channel: f"{channel.campaign.title} – {channel}"
        self.fields["contact_role"].help_text = _(
            "The place's admin or moderator as a role – never a young person."
        )
        self.fields["notes"].help_text = _(
            "Describe the place, not the people in it: no names, usernames (@name), phone numbers or "
            "e-mail addresses of the young people you see there."
        )
        self.fields["name"].error_messages["required"] = _("Please give the name of the group or channel.")
        self.fields["observed_on"].error_messages["invalid"] = _("Please enter a date.")

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("language") or "de"
        for name, refuse_handles in self.CHECKED.items():
            problem = personal_data_in(cleaned.get(name) or "", language, handles=refuse_handles)
            if problem:
                self.add_error(name, problem)
        return cleaned


MAX_MEMBERS = 100_000_000


def personal_data_in(text: str, language: str, *, handles: bool) -> str:
    """The translated message for the first kind of contact detail found in `text`, or ""."""
    text = contact_details.normalise(text)
    if contact_details.has_email(text):
        return _(
            "This looks like an e-mail address. Please leave it out: we record the place, not the people "
            "in it."
        )
    if contact_details.has_phone(text, language):
        return _(
            "This looks like a phone number. Please leave it out: we record the place, not the people in it."
        )
    if handles and contact_details.has_social(text):
        return _(
            "This looks like a username (@name) or a link to a profile. Please leave it out: we record "
            "the place, not the people in it."
        )
    return ""


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ["weekday", "opens", "closes"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens", "closes"):
            self.fields[name].error_messages["invalid"] = _("Please enter a time such as 14:00.")

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The end must be after the start."))
        return cleaned


class OfficeHourBookingForm(forms.Form):
    """A slot the availability engine offers now; the choices are filled by the view."""

    starts_at = forms.ChoiceField(label=_("Time"))
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    question = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: starting an Instagram account for your site, answering comments."),
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A list, not radios: three weeks of half hours would make a very long page on a phone.
        self.fields["starts_at"].choices = [
            ("", "—"),
            *((slot.start.isoformat(), format_when(slot.start, "weekday_datetime")) for slot in slots),
        ]
        self.fields["starts_at"].error_messages["invalid_choice"] = _(
            "This slot has just been taken. Please choose another one."
        )
        self.fields["starts_at"].error_messages["required"] = _("Please choose a time.")
