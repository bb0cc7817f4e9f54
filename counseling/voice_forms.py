"""The voice part of a reply (counseling/voice.py): a file input that the recorder fills
(counseling/js/voice-recorder.js) or, without JavaScript, that takes an audio file; and the length the
recorder measured. With a voice message the written text is optional."""

import json
from dataclasses import replace

from django import forms
from django.utils.translation import gettext_lazy as _

from counseling import voice
from counseling.forms import MessageForm
from counseling.uploads import UploadRefused, inspect_upload

TOO_LONG = _("The voice message is longer than 3 minutes. Please record a shorter one.")
AGAIN = _("Please record or choose your voice message again: it is not kept when the form comes back.")
# The daily limit of counseling/views.attachments_left_today, worded as the attachments field says it.
LIMIT = _("You can send %(count)s more attachments today. Please try the rest tomorrow.")


class VoiceField(forms.FileField):
    """One recording, accepted only if its bytes are audio as browsers record it (counseling/uploads.py)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return inspect_upload(upload, voice=True)
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message) from refused


class VoiceInput(forms.ClearableFileInput):
    def get_context(self, name, value, attrs):
        # The recorder's texts in the language of the page being rendered.
        attrs = {**(attrs or {}), "data-voice-strings": json.dumps(voice.recorder_strings())}
        return super().get_context(name, value, attrs)


def voice_field() -> VoiceField:
    return VoiceField(
        label=_("Voice message (optional)"),
        required=False,
        help_text=_("Up to 3 minutes. Without the recorder you can choose an audio file (WebM, Ogg or M4A)."),
        widget=VoiceInput(
            attrs={"accept": "audio/*", "data-voice-input": "", "data-voice-max-seconds": voice.MAX_SECONDS}
        ),
    )


def duration_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class VoiceReplyMixin(forms.Form):
    """Mixed into a MessageForm: its cleaned "attachments" then include the voice message, so the views and
    services store it like every attachment, under the same daily limit."""

    voice = voice_field()
    voice_duration = duration_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False

    def clean(self):
        recording = self.cleaned_data.get("voice")
        written = self.cleaned_data.get("body", "").strip()
        if not written and recording is None and not {"body", "voice"} & set(self.errors):
            # The text is optional only beside a voice message: the field's own "please write" applies.
            self.add_error("body", self.fields["body"].error_messages["required"])
        cleaned = super().clean()
        if recording is not None:
            self._add_voice(cleaned, recording)
        chose_voice = self.files and self.files.get(self.add_prefix("voice"))
        if self.errors and chose_voice and "voice" not in self.errors:
            self.add_error("voice", AGAIN)
        return cleaned

    def _add_voice(self, cleaned: dict, recording) -> None:
        duration = cleaned.get("voice_duration")
        files = cleaned.get("attachments") or []
        left = getattr(self, "attachments_left", None)
        if voice.too_long(duration):
            self.add_error("voice", TOO_LONG)
        elif left is not None and len(files) + 1 > left:
            self.add_error("voice", forms.ValidationError(LIMIT, params={"count": left}))
        elif "attachments" in cleaned:
            cleaned["attachments"] = [*files, replace(recording, duration_ms=duration)]


class CaseReplyForm(VoiceReplyMixin, MessageForm):
    """The young person's reply in the case thread."""

    field_order = ["body", "voice", "attachments"]


class ChatVoiceForm(forms.Form):
    """A recording posted from the live chat (counseling/voice_views.py)."""

    voice = VoiceField()
    voice_duration = duration_field()
    client_id = forms.UUIDField()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("voice") is not None:
            if voice.too_long(cleaned.get("voice_duration")):
                self.add_error("voice", TOO_LONG)
            else:
                cleaned["voice"] = replace(cleaned["voice"], duration_ms=cleaned.get("voice_duration"))
        return cleaned
