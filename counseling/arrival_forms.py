"""The two steps of "I have arrived in Germany" (counseling/arrival_views.py): where, then consent."""

from django import forms
from django.utils.translation import gettext_lazy as _

POSTCODE_INVALID = _("Please enter the five digits of a German postcode, e.g. 12043.")


class ArrivalPostcodeForm(forms.Form):
    postcode = forms.RegexField(
        label=_("Your postcode in Germany"),
        regex=r"^\d{5}$",
        strip=True,
        error_messages={"required": POSTCODE_INVALID, "invalid": POSTCODE_INVALID},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5}),
    )


class ArrivalConsentForm(forms.Form):
    """Carries the postcode and the site the young person was shown, so they consent to that one."""

    postcode = forms.CharField(widget=forms.HiddenInput)
    site = forms.SlugField(widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_(
            "I agree: my conversation goes to this JMD. Its team can read everything written in it so far "
            "and answers me from now on. I keep my conversation here, with everything in it."
        ),
        error_messages={"required": _("Please tick the box if you want this. Nothing has been passed on.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_consent_%s")  # the postcode form on the same page has a postcode
        super().__init__(*args, **kwargs)
