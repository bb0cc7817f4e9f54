from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hub.roles import STAFF_ROLES


class EnrolStaffForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Staff members"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one staff member.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True, groups__name__in=STAFF_ROLES).distinct()
        self.fields["users"].queryset = staff.order_by("display_name", "username")
        self.fields["users"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.username})"


def quiz_form_data(quiz, data) -> tuple[dict[str, list[int]], list[str]]:
    """The chosen answers per question id from a POST, and the ids of unanswered questions."""
    answers, missing = {}, []
    for question in quiz.questions:
        count = len(question.value["answers"])
        chosen = sorted(
            {
                int(value)
                for value in data.getlist(f"q-{question.id}")
                if value.isdigit() and int(value) < count
            }
        )
        if not question.value["multiple"]:
            chosen = chosen[:1]
        if chosen:
            answers[question.id] = chosen
        else:
            missing.append(question.id)
    return answers, missing


class CvForm(forms.Form):
    """The CV helper. Nothing of this is stored on the server: the PDF is drawn and sent back."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    profile = forms.CharField(
        label=_("About me"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    experience = forms.CharField(
        label=_("Work experience and internships"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per entry, newest first, e.g. “2025 – internship, bakery Schmidt, Bonn”."),
    )
    education = forms.CharField(
        label=_("School and education"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    skills = forms.CharField(
        label=_("Skills"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “German B1, Arabic native language, English A2”."),
    )
    letter = forms.CharField(
        label=_("Cover letter"), max_length=6000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
