from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse

from hub import login_limits, sealed, services
from hub.roles import is_network_partner, is_staff_member


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Public signup is for young people only; staff come in through an invitation.
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.youth_role_grant(user=user)
        return user

    def get_login_redirect_url(self, request):
        if is_network_partner(request.user):
            return reverse("partners:home")
        if is_staff_member(request.user):
            return reverse("hub:staff_home")
        return super().get_login_redirect_url(request)

    def pre_authenticate(self, request, **credentials):
        # allauth would lock the account's owner out together with the guesser: hub/login_limits.py.
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        self._login_failed_rl_usage = login_limits.login_attempt_consume(request, account_key)
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    # Account mails (address confirmation, password reset …) reach young people on shared phones: the
    # neutral sender, and no "[site name]" before the subject. The texts are ours (templates/account/email/).
    def get_from_email(self):
        return settings.NEUTRAL_FROM_EMAIL

    def format_email_subject(self, subject):
        return subject


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored sealed with the master key (hub/sealed.py), so a
    database copy alone does not let anyone generate a staff member's codes; key rotation re-seals them."""

    def encrypt(self, text: str) -> str:
        return sealed.seal_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return sealed.unseal_text(encrypted_text)
