"""The feedback questions for young people and the filters of the staff results (counseling/feedback.py)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from counseling import feedback
from counseling.feedback_models import ComeBack, Helped
from counseling.forum import contact_details
from hub.staff_forms import PeriodFilterForm


class FeedbackForm(forms.Form):
    prefix = "feedback"

    helped = forms.ChoiceField(
        label=_("Did the counseling help you?"),
        choices=Helped.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose an answer.")},
    )
    come_back = forms.ChoiceField(
        label=_("Would you come back or recommend us to a friend?"),
        choices=ComeBack.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose an answer.")},
    )
    text = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        help_text=_("Please write no names, phone numbers or other contact details."),
        required=False,
        max_length=feedback.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self):
        """Contact details would make the answer someone's: refused with a hint, the text stays in the
        field to be changed (the forum's detector, counseling/forum/contact_details.py)."""
        text = self.cleaned_data["text"].strip()
        normalised = contact_details.normalise(text)
        if (
            contact_details.has_phone(normalised, get_language() or "de")
            or contact_details.has_email(normalised)
            or contact_details.has_social(normalised)
        ):
            raise forms.ValidationError(
                _(
                    "Please take out the phone number, e-mail address or account name: "
                    "your feedback stays anonymous, and we cannot answer it."
                )
            )
        return text


class FeedbackFilterForm(PeriodFilterForm):
    """The selection of the results page; the site choices are only the sites the reader may see."""

    field_order = ("year", "month", "by", "site_ref", "channel", "language")
    by = forms.ChoiceField(label=_("Rows"), choices=list(feedback.DIMENSIONS.items()), required=False)
    site_ref = forms.TypedChoiceField(
        label=_("Site"), coerce=int, empty_value=None, required=False, choices=()
    )

    def __init__(self, *args, scope=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        from sites.models import Site

        sites = Site.objects.all() if scope is None else Site.objects.filter(pk__in=scope)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["site_ref"].choices = [("", _("All sites")), *((s.pk, str(s)) for s in sites)]


def feedback_query(data, *, scope) -> tuple[FeedbackFilterForm, dict]:
    """The bound form and the values to use: invalid fields fall back to their defaults (and show why)."""
    years = feedback.feedback_years()
    form = FeedbackFilterForm(data or None, scope=scope, years=years, initial={"year": years[0]})
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    query = {
        "year": cleaned.get("year") or years[0],
        "month": cleaned.get("month"),
        "by": cleaned.get("by") or "month",
        "filters": {key: cleaned.get(key) for key in ("site_ref", "channel", "language")},
    }
    return form, query
