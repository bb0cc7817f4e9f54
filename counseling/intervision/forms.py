"""Forms of intervision. The request form refuses an excerpt or question while anything in it could
identify someone (identifying.py), naming each word; the view re-renders it with everything typed."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from counseling.forms import counseling_languages
from counseling.intervision import identifying, services
from counseling.intervision.models import GroupKind, IntervisionGroup
from hub.models import User
from hub.roles import Role
from hub.topics import Topic
from sites.models import ProviderGroup

EXCERPT_MAX, QUESTION_MAX, ANSWER_MAX = 6000, 2000, 4000
HORIZON = timedelta(days=366)

KIND_LABELS = {
    identifying.NAME: pgettext_lazy("identifying detail", "could be a name"),
    identifying.PLACE: pgettext_lazy("identifying detail", "a place"),
    identifying.NUMBER: pgettext_lazy("identifying detail", "a number (phone, date, postcode, age …)"),
    identifying.CONTACT: pgettext_lazy("identifying detail", "contact details"),
    identifying.KNOWN: pgettext_lazy("identifying detail", "known from this case"),
}


class RequestForm(forms.Form):
    messages = forms.MultipleChoiceField(
        label=_("Messages to quote"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose messages and put them into the excerpt; then edit the excerpt."),
    )
    excerpt = forms.CharField(
        label=_("Excerpt"),
        max_length=EXCERPT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Names, places and numbers must go: replace them with a placeholder in square brackets, "
            "e.g. [Name], [town] or [age]."
        ),
        error_messages={"required": _("Please choose or write an excerpt.")},
    )
    question = forms.CharField(
        label=_("Your question to the group"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write your question.")},
    )
    group = forms.ModelChoiceField(
        label=_("Intervision group"), queryset=IntervisionGroup.objects.none(), empty_label=_("– choose –")
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    language = forms.ChoiceField(label=_("Language of the discussion"), choices=counseling_languages)

    def __init__(self, *args, case, groups, message_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["group"].queryset = groups
        self.fields["messages"].choices = message_choices
        self.flags: dict[str, list] = {}

    def clean(self):
        cleaned = super().clean()
        for name, language in (("excerpt", self.case.language), ("question", cleaned.get("language"))):
            text = cleaned.get(name)
            if not text:
                continue
            flags = services.identifying_flags(self.case, text, language=language or self.case.language)
            if flags:
                self.flags[name] = flags
                self.add_error(name, [flag_message(flag) for flag in flags])
        return cleaned

    def marked(self, name: str) -> str:
        """The text with each flagged word marked, for the list beside the field."""
        text = self.data.get(name, "")
        out, at = [], 0
        for flag in self.flags.get(name, []):
            out += [escape(text[at : flag.start]), f"<mark>{escape(flag.text)}</mark>"]
            at = flag.end
        out.append(escape(text[at:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece of the text is escaped above


def flag_message(flag) -> str:
    return gettext("Remove or replace “%(word)s” (%(why)s).") % {
        "word": flag.text,
        "why": KIND_LABELS[flag.kind],
    }


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write your answer.")},
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices, widget=forms.RadioSelect)
    provider_group = forms.ModelChoiceField(
        label=_("Provider group"), queryset=ProviderGroup.objects.all(), required=False, empty_label="–"
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "–"), *counseling_languages()], required=False
    )
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=User.objects.none(), required=False, empty_label="–"
    )

    def __init__(self, *args, actor_is_coordinator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = User.objects.filter(groups__name=Role.MENTOR, is_active=True)
        self.fields["mentor"].label_from_instance = lambda user: user.get_full_name()
        if not actor_is_coordinator:  # a mentor sets up their own group
            self.fields["kind"].choices = [(GroupKind.MENTOR, GroupKind.MENTOR.label)]
            del self.fields["mentor"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == GroupKind.PROVIDER_GROUP and not cleaned.get("provider_group"):
            self.add_error("provider_group", _("Please choose the provider group."))
        if kind == GroupKind.LANGUAGE and not cleaned.get("language"):
            self.add_error("language", _("Please choose the language."))
        if kind == GroupKind.MENTOR and "mentor" in self.fields and not cleaned.get("mentor"):
            self.add_error("mentor", _("Please choose the mentor."))
        return cleaned


class MemberForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Counselor"), queryset=User.objects.none(), empty_label=_("– choose –")
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = lambda user: user.get_full_name()


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = forms.DateTimeField(
        label=_("Starts (German time)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=240, initial=90)

    def clean(self):
        cleaned = super().clean()
        starts_at, minutes = cleaned.get("starts_at"), cleaned.get("minutes")
        if starts_at and minutes:
            now = timezone.now()
            if starts_at <= now:
                self.add_error("starts_at", _("Please choose a time in the future."))
            elif (
                starts_at > now + HORIZON
            ):  # checked before adding: "9999-12-31T23:59" plus an hour overflows
                self.add_error("starts_at", _("Please choose a time within the next twelve months."))
            else:
                cleaned["ends_at"] = starts_at + timedelta(minutes=minutes)
        return cleaned
