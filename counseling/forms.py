from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hub.countries import country_choices
from hub.dates import format_when
from hub.forms import InvitationAcceptForm
from hub.topics import Topic
from hub.validators import refuse_email_like, refuse_phone_like, refuse_reserved_name

BODY_MAX = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked from its content by counseling/uploads.py."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        from counseling.uploads import UploadRefused, inspect_upload

        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(inspect_upload(upload))
            except UploadRefused as refused:
                errors.append(refused.message)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def counseling_languages():
    return list(settings.LANGUAGES)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Please write your message.")},
    )
    attachments = AttachmentsField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("PDF, JPG, PNG or Word (DOCX), up to 5 MB each. Photos are sent without location data."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, attachments_left: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments_left = attachments_left

    def clean(self):
        cleaned = super().clean()
        # A browser never fills a file input again: when the form comes back for another reason, the
        # files that were fine must be chosen once more, and the person is told so.
        chose_files = self.files and self.files.getlist(self.add_prefix("attachments"))
        if self.errors and chose_files and "attachments" not in self.errors:
            self.add_error(
                "attachments",
                _("Please choose your files again: they are not kept when the form comes back."),
            )
        return cleaned

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if self.attachments_left is not None and len(files) > self.attachments_left:
            raise forms.ValidationError(
                _("You can send %(count)s more attachments today. Please try the rest tomorrow."),
                params={"count": self.attachments_left},
            )
        return files


class EnquiryForm(MessageForm):
    topic = forms.ChoiceField(
        label=_("What is your question about?"), choices=Topic.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("In which language should we answer?"))
    postcode = forms.RegexField(
        label=_("Postcode where you live or want to live (optional)"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Please enter a German postcode with five digits, or leave it empty.")},
        help_text=_("Helps us find counselors near you. You can also ask from abroad."),
    )
    # Stored on the case (counseling/arrival.py offers "I have arrived" to those who live abroad).
    country = forms.ChoiceField(
        label=_("Country where you live now (optional)"),
        required=False,
        help_text=_("If you live outside Germany: once you have arrived, a JMD near you can take over."),
    )
    site = forms.SlugField(required=False, widget=forms.HiddenInput)
    field_order = ["topic", "language", "postcode", "country", "body", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Callables: read when the choices are shown or checked, not normalised on every blank form (the
        # ask page serves its blank form from a fragment: 250 countries normalised for nothing, issue 19).
        self.fields["language"].choices = counseling_languages
        self.fields["country"].choices = _country_choices_or_none
        self.fields["body"].label = _("Your question")


def _country_choices_or_none() -> list[tuple[str, str]]:
    return [("", _("Prefer not to say")), *country_choices()]


class CallbackForm(forms.Form):
    """The slot choices are the callback slots of the moment, as shown to the person."""

    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        help_text=_("A German or international number, e.g. 0176 1234567 or +90 532 123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    topic = forms.ChoiceField(label=_("What is your question about?"), choices=Topic.choices)
    language = forms.ChoiceField(label=_("In which language should we call?"))
    slots = forms.MultipleChoiceField(
        label=_("When can we call you? Choose two or three times."), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = counseling_languages()
        self.offered = {slot.start.isoformat(): slot for slot in slots}
        self.fields["slots"].choices = [(key, _slot_label(slot.start)) for key, slot in self.offered.items()]

    def clean_phone(self) -> str:
        import phonenumbers

        raw = self.cleaned_data["phone"]
        try:
            number = phonenumbers.parse(raw, "DE")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("We cannot call this number. Please check it, e.g. 0176 1234567 or +90 532 123 4567.")
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_slots(self) -> list:
        chosen = self.cleaned_data["slots"]
        if not 2 <= len(chosen) <= 3:
            raise forms.ValidationError(_("Please choose two or three times."))
        return [self.offered[key].start for key in chosen]


def _slot_label(start) -> str:
    return format_when(start, "weekday_datetime_short")


class ChatLanguageForm(forms.Form):
    """GET: which language the young person wants to chat in (availability depends on it)."""

    language = forms.ChoiceField(label=_("Chat language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = counseling_languages()


class ChatStartForm(forms.Form):
    """The chat's language comes with it as a hidden field, chosen (and checked) on the same page."""

    topic = forms.ChoiceField(label=_("What is your question about?"), choices=Topic.choices)


class RoundJoinForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Your name in the chat round"),
        max_length=40,
        validators=[refuse_email_like, refuse_phone_like],
        help_text=_("Others in the round see this name. A nickname is fine – not your real name."),
    )


class GuestKeepForm(InvitationAcceptForm):
    """A chat guest keeps their chat by choosing a username and password (nothing else)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["display_name"]
        # A young person's name, unlike a staff member's, must not pass for the team's.
        self.fields["username"].validators.append(refuse_reserved_name)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["username"].help_text = _(
            "Choose any nickname. Do not use your real name, e-mail address or phone number."
        )
