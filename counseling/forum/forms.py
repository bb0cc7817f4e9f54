from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from counseling.forum.models import Category, ForumProfile, ReportReason, WatchedWord
from hub.validators import refuse_email_like, refuse_phone_like

BODY_MAX = 5000


def _body_field(label):
    return forms.CharField(
        label=label, max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6, "maxlength": BODY_MAX})
    )


class _PseudonymMixin:
    """A first post also picks the forum name (it may differ from the login name)."""

    def _add_pseudonym(self, need: bool):
        if need:
            self.fields = {
                "pseudonym": forms.CharField(
                    label=_("Your forum name"),
                    min_length=3,
                    max_length=30,
                    validators=[refuse_email_like, refuse_phone_like],
                    help_text=_("Others see this name. Do not use your real name."),
                ),
                **self.fields,
            }

    def clean_pseudonym(self):
        name = self.cleaned_data["pseudonym"].strip()
        if ForumProfile.objects.filter(pseudonym__iexact=name).exists():
            raise forms.ValidationError(_("This forum name is taken. Please choose another one."))
        return name


class ThreadForm(_PseudonymMixin, forms.Form):
    title = forms.CharField(label=_("Your question in one line"), max_length=150)
    body = _body_field(_("Describe your question"))

    def __init__(self, *args, need_pseudonym=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_pseudonym(need_pseudonym)


class ReplyForm(_PseudonymMixin, forms.Form):
    body = _body_field(_("Your answer"))

    def __init__(self, *args, need_pseudonym=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_pseudonym(need_pseudonym)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Anything else the moderators should know? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationAnswerForm(forms.Form):
    body = _body_field(_("Your first message to the counselor"))


# --- moderators ---------------------------------------------------------------------------------------


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (for the moderation log)"), max_length=300)


class EditForm(forms.Form):
    body = _body_field(_("Text"))
    note = forms.CharField(
        label=_("Note shown with the post"), max_length=300, help_text=_("For example: phone number removed.")
    )
    approve = forms.BooleanField(label=_("Publish after the edit"), required=False)


class SuspendForm(forms.Form):
    DAYS = [
        (1, _("1 day")),
        (3, _("3 days")),
        (7, _("1 week")),
        (30, _("30 days")),
        (0, _("lift the suspension")),
    ]
    days = forms.TypedChoiceField(label=_("Suspend for"), choices=DAYS, coerce=int, initial=7)
    reason = forms.CharField(label=_("Reason (shown to the poster)"), max_length=300, required=False)


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the young person"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_(
            "I read your post and I would like to talk with you in private. If you want, we can continue "
            "in a confidential counseling conversation."
        ),
    )


class WatchedWordForm(forms.ModelForm):
    class Meta:
        model = WatchedWord
        fields = ["word", "language", "action", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("every language")), *settings.LANGUAGES]
        self.fields["word"].help_text = _(
            "Whole words; end with * to match any ending (e.g. umbring*), start with * to match any "
            "beginning (e.g. *انتحار)."
        )

    def clean_word(self):
        return self.cleaned_data["word"].strip().lower()


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["topic", "language", "name", "description", "is_sensitive", "position"]
