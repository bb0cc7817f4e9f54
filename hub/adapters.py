from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from hub import sealed, services
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


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored sealed with the master key (hub/sealed.py), so a
    database copy alone does not let anyone generate a staff member's codes; key rotation re-seals them."""

    def encrypt(self, text: str) -> str:
        return sealed.seal_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return sealed.unseal_text(encrypted_text)
