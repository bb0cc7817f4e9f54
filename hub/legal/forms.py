from django import forms
from django.utils.translation import gettext_lazy as _

from hub.legal.feedback import MESSAGE_MAX, PAGE_MAX


class FeedbackForm(forms.Form):
    """Feedback on the accessibility statement: anyone may send it, an address only if they want an answer."""

    message = forms.CharField(
        label=_("What did not work for you?"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the barrier and, if you can, what you wanted to do. Please do not write about your "
            "counseling question here – for that, ask a question."
        ),
        error_messages={"required": _("Please describe what did not work.")},
    )
    page = forms.CharField(label=_("On which page? (optional)"), max_length=PAGE_MAX, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address, if you want an answer (optional)"),
        required=False,
        help_text=_("We use it only to answer you, and delete it together with your message."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer by e-mail"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent from the neutral sender address, in the language the person wrote in."),
    )
