from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from hub import services
from hub.roles import is_staff_member


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Public signup is for young people only; staff come in through an invitation.
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.youth_role_grant(user=user)
        return user

    def get_login_redirect_url(self, request):
        if is_staff_member(request.user):
            return reverse("hub:staff_home")
        return super().get_login_redirect_url(request)

    # Account mails (address confirmation, password reset …) reach young people on shared phones: the
    # neutral sender, and no "[site name]" before the subject. The texts are ours (templates/account/email/).
    def get_from_email(self):
        return settings.NEUTRAL_FROM_EMAIL

    def format_email_subject(self, subject):
        return subject
