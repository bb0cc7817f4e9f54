"""Where sign-ups and first questions meet the referral code they came with.

The code is never kept in a cookie or session: the landing page's calls to action carry it in the URL
(`?ref=`), the sign-up and ask forms in a hidden field, and it is counted once the form succeeds.
"""

from django.utils.translation import get_language

from campaigns.models import ReachKind
from campaigns.services import referral_count


def on_user_signed_up(sender, request, user, **kwargs):
    """allauth's `user_signed_up` (the sign-up page): the one hook allauth offers after a completed
    sign-up. Only the hidden `ref` field is read; nothing about the user is passed on."""
    code = request.POST.get("ref", "") if request is not None else ""
    if code:
        referral_count(code=code, kind=ReachKind.SIGNUP, language=get_language())


def referral_after_ask(*, code: str, signed_up: bool, first_enquiry: bool) -> None:
    """Called by counseling's ask view after the question was stored (the form may sign up as well)."""
    if not code:
        return
    if signed_up:
        referral_count(code=code, kind=ReachKind.SIGNUP, language=get_language())
    if first_enquiry:
        referral_count(code=code, kind=ReachKind.ENQUIRY, language=get_language())
