"""Forms of the staff side of mail counseling. They only check input; the services do the work."""

import functools
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counseling import absence
from counseling.forms import BODY_MAX, MessageForm, counseling_languages
from counseling.models import CallbackOutcome, CannedResponse, CaseStatus, Label
from counseling.rounds import within_chat_hours
from counseling.routing import counselors_speaking
from counseling.selectors import ABROAD
from counseling.voice_forms import VoiceReplyMixin
from hub.countries import country_choices
from hub.topics import Topic
from learning.gates import Activity, users_refused
from sites.models import Site


class InboxFilterForm(forms.Form):
    """A GET form: a value that does not fit is reported and ignored, the other filters still apply."""

    # The site list grows with the network (~500 sites): its options are written in Python, not one
    # template include each (hub/widget_html.py).
    status = forms.ChoiceField(label=_("Status"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    due = forms.ChoiceField(
        label=_("Answer due"),
        required=False,
        choices=[("", _("any time")), ("overdue", _("overdue")), ("today", _("by the end of today"))],
    )
    # Where the young person lived when they asked (counseling/arrival.py); "abroad": any country but Germany.
    country = forms.ChoiceField(label=_("Country of residence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all open cases")), *CaseStatus.choices]
        self.fields["language"].choices = [("", _("all languages")), *counseling_languages()]
        self.fields["topic"].choices = [("", _("all topics")), *Topic.choices]
        # Read only when the list is shown (the blank filter is a kept fragment: staff-inbox-filter) or a
        # site was chosen: not on every inbox page.
        self.fields["site"].choices = functools.cache(_site_choices)  # read once per form: shown, checked
        countries = [("", _("all countries")), (ABROAD, _("abroad (any country but Germany)"))]
        self.fields["country"].choices = [*countries, *country_choices()]


def _site_choices() -> list[tuple[str, str]]:
    return [("", _("all sites")), *Site.objects.values_list("slug", "name")]


class StaffReplyForm(VoiceReplyMixin, MessageForm):
    """The reply to the young person, with the canned responses of the case's language."""

    canned = forms.ModelChoiceField(
        label=_("Canned response"),
        queryset=CannedResponse.objects.none(),
        required=False,
        empty_label=_("– choose –"),
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Reply to the young person")
        self.fields["body"].error_messages["required"] = _("Please write your reply.")
        self.fields["body"].widget.attrs["data-canned"] = ""
        self.fields["canned"].queryset = CannedResponse.objects.filter(language=language)
        self.fields["canned"].label_from_instance = lambda canned: f"/{canned.shortcut} – {canned.title}"


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only staff see internal notes – never the young person."),
        error_messages={"required": _("Please write the note.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_note_%s")  # the reply form on the same page has a "body" too
        super().__init__(*args, **kwargs)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)


class LabelsForm(forms.Form):
    labels = forms.ModelMultipleChoiceField(
        label=_("Labels"),
        queryset=Label.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class _CounselorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class HandoverForm(forms.Form):
    counselor = _CounselorChoiceField(
        label=_("To a colleague"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("– nobody in particular –"),
        help_text=_("Colleagues who counsel in the case's language."),
    )
    site = forms.ModelChoiceField(
        label=_("To another site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("– keep the site –"),
        help_text=_(
            "Without a colleague, the case goes to a counselor of that site's team, or to the queue."
        ),
    )
    note = forms.CharField(
        label=_("Handover note (internal)"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Saved as an internal note – never shown to the young person."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        speaking = {
            user.pk: user for user in counselors_speaking(case.language) if user.pk != case.counselor_id
        }
        speakers = set(speaking) - users_refused(Activity.CASES, speaking)  # required training
        self.fields["counselor"].queryset = (
            get_user_model().objects.filter(pk__in=speakers).order_by("display_name", "username")
        )
        # What the colleague select shows, for the key of the blank form kept by the case page
        # (counseling/case_page.py): ids and the names the options print, without reading the users again.
        self.counselor_key = tuple(
            sorted((pk, speaking[pk].display_name, speaking[pk].username) for pk in speakers)
        )
        self.fields["site"].queryset = (
            Site.objects.exclude(pk=case.site_id) if case.site_id else Site.objects.all()
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("counselor") and not data.get("site"):
            raise forms.ValidationError(_("Please choose a colleague or a site to hand the case over to."))
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please tell your mentee what to change.")},
    )


class AbsenceForm(forms.Form):
    is_absent = forms.BooleanField(label=_("I am away"), required=False)
    absent_until = forms.DateField(
        label=_("Absent until (last day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. From the day after, you get new cases again."),
    )
    absence_message = forms.CharField(
        label=_("Message for young people"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown in your words to young people who read the portal in the language you are using now; "
            "everyone else sees a translated notice that you are away and the day you are back."
        ),
    )

    def clean_absent_until(self):
        return absence.last_day_validate(self.cleaned_data["absent_until"])


class CannedResponseForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"))

    class Meta:
        model = CannedResponse
        fields = ["language", "shortcut", "title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = counseling_languages()


class CallbackOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallbackOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Short note for the case (optional)"),
        max_length=300,
        required=False,
        help_text=_("No call content – only what the next colleague needs to know."),
    )


ROUND_PLANNING_HORIZON = timedelta(days=365)


class RoundScheduleForm(forms.Form):
    """A topic chat round lies within the chat hours (availability engine), on one day."""

    title = forms.CharField(label=_("Title"), max_length=120)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    language = forms.ChoiceField(label=_("Language"), choices=counseling_languages)
    starts_at = forms.DateTimeField(
        label=_("Starts (German time)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=180, initial=60)

    def clean(self):
        cleaned = super().clean()
        starts_at, minutes = cleaned.get("starts_at"), cleaned.get("minutes")
        if starts_at and minutes:
            now = timezone.now()
            if starts_at <= now:
                self.add_error("starts_at", _("Please choose a time in the future."))
            # Checked before any arithmetic: "9999-12-31T23:59" plus an hour is past the last datetime.
            elif starts_at > now + ROUND_PLANNING_HORIZON:
                self.add_error("starts_at", _("Please choose a time within the next twelve months."))
            elif not within_chat_hours(starts_at, starts_at + timedelta(minutes=minutes)):
                self.add_error("starts_at", _("A chat round must lie within the chat hours."))
            else:
                cleaned["ends_at"] = starts_at + timedelta(minutes=minutes)
        return cleaned


class LabelForm(forms.ModelForm):
    """A label's name: unique regardless of case, so that "Wohnung" and "wohnung" do not both exist."""

    class Meta:
        model = Label
        fields = ["name"]
        labels = {"name": _("Name")}

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = Label.objects.exclude(pk=self.instance.pk) if self.instance.pk else Label.objects.all()
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("A label called %(name)s already exists."), code="unique", params={"name": name}
            )
        return name

    def validate_unique(self):
        # clean_name has checked (case-insensitively, with a message of its own); the database constraint
        # stays the last word.
        pass
