import re

from django import forms
from django.utils.translation import gettext_lazy as _

from counseling.forms import BODY_MAX, counseling_languages
from counseling.partners.countries import ClientCountry
from counseling.partners.models import PartnerOrganisation
from hub.topics import Topic

# What gives a client away at a glance: an e-mail address, or a "Name:" line in any of our languages.
# Names in running text cannot be told from other words; the form asks for none and the partner confirms.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_NAME_LINE = re.compile(
    r"(?:^|\n)\s*(?:name|full name|first name|last name|vorname|nachname|nom|prénom|prenom|имя|фамилия|"
    r"ім['’]я|прізвище|isim|adı|soyadı|soyad|emri|mbiemri|اسم|الاسم)\s*:",
    re.IGNORECASE,
)


class PartnerEnquiryForm(forms.Form):
    client_country = forms.ChoiceField(
        label=_("Where does your client live now?"), choices=[("", "–"), *ClientCountry.choices]
    )
    language = forms.ChoiceField(
        label=_("In which language should we answer?"),
        help_text=_("Usually your client's language, so that you can pass the answer on."),
    )
    topic = forms.ChoiceField(
        label=_("What is the question about?"), choices=Topic.choices, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label=_("The question"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe your client's situation without their name, address, phone number or e-mail "
            "address: we answer the question, we do not need to know who asks."
        ),
        error_messages={"required": _("Please write the question.")},
    )
    no_name = forms.BooleanField(
        label=_("I have not written my client's name or contact details."),
        error_messages={"required": _("Please confirm that the question does not name your client.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = counseling_languages()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if _EMAIL.search(body):
            raise forms.ValidationError(
                _("Please take the e-mail address out: partner enquiries hold no contact details of clients.")
            )
        if _NAME_LINE.search(body):
            raise forms.ValidationError(
                _("Please take your client's name out and describe the situation without it.")
            )
        return body


class PartnerReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write your message.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def clean_body(self) -> str:
        return PartnerEnquiryForm.clean_body(self)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "country"]


class AttachForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Partner account"), queryset=None, empty_label=_("– choose –"))

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = _account_label


def _account_label(user) -> str:
    membership = getattr(user, "partner_membership", None)
    name = user.get_full_name()
    return f"{name} ({membership.organisation.name})" if membership else name
