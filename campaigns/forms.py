from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.models import Channel, ChannelKind, PlannedPost


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
        fields = ["campaign", "platform", "language", "publish_on", "status", "channel", "text"]
        widgets = {
            "publish_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.select_related("campaign")
        self.fields["channel"].label_from_instance = lambda channel: f"{channel.campaign.title} – {channel}"
        self.fields["text"].error_messages["required"] = _("Please write the text of the post.")
        self.fields["publish_on"].error_messages["invalid"] = _("Please enter a date.")

    def clean(self):
        cleaned = super().clean()
        channel, campaign = cleaned.get("channel"), cleaned.get("campaign")
        if channel and campaign and channel.campaign_id != campaign.pk:
            self.add_error("channel", _("This short link belongs to another campaign."))
        return cleaned
