from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from hub.models import User
from hub.validators import username_validators


class YouthSignupForm(SignupForm):
    """Username and password only; the hint explains why we ask for nothing else."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _(
            "Choose any nickname. Do not use your real name, e-mail address or phone number."
        )
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, validators=username_validators)
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown to young people instead of your username. A pseudonym is fine."),
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=True))
    password2 = forms.CharField(label=_("Password (again)"), widget=forms.PasswordInput(render_value=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The password rules under the field, tied to it (aria-describedby), so they are read out before
        # anyone types – not only after a refusal. Read per form: the rules come from the settings.
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken. Please choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                password_validation.validate_password(password1, User(username=cleaned.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
