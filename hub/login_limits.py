"""Failed-login limits that stop guessing without letting anyone lock the real person out.

allauth's ``login_failed`` limit (``ACCOUNT_RATE_LIMITS``: per address and per account) refuses every
attempt on an account once the per-account part is used up, the correct password included, for the rest
of the window: anyone who knows a username can keep its owner out. Here the per-address part stays as it
is, and when the per-account part is used up, each client address still gets one attempt on that account
per ``LOGIN_LOCKED_RETRY_SECONDS``; a correct password then gets in (staff still need their TOTP code,
whose own limit allauth keeps per user). An attacker cannot spend the owner's attempts because client
addresses cannot be forged (uvicorn trusts X-Forwarded-For only from FORWARDED_ALLOW_IPS), and guessing
from many addresses is slowed to one try per address per interval.
"""

from allauth.account import app_settings as account_settings
from allauth.core.internal import ratelimit
from django.conf import settings

APP = "allauth.account"
ACTION = "login_failed"


def _consume(request, rates: str, key: str):
    return ratelimit.consume(request, app=APP, action=ACTION, config={ACTION: rates}, key=key)


def login_attempt_consume(request, account_key: str) -> ratelimit.RateLimitUsage | None:
    """Count one login attempt on ``account_key``; None when it must be refused.

    The usage returned is rolled back by allauth when the password was right.
    """
    rates = [part.strip() for part in (account_settings.RATE_LIMITS.get(ACTION) or "").split(",")]
    per_address = ",".join(rate for rate in rates if rate and ratelimit.parse_rate(rate).per == "ip")
    per_account = ",".join(rate for rate in rates if rate and ratelimit.parse_rate(rate).per == "key")
    by_address = _consume(request, per_address, account_key)
    if by_address is None:
        return None
    by_account = _consume(request, per_account, account_key)
    if by_account is None:
        # The account is under attack: this address may still try, once per interval.
        retry = f"1/{settings.LOGIN_LOCKED_RETRY_SECONDS}s/key"
        by_account = _consume(request, retry, f"{account_key}:{ratelimit.get_ip(request)}")
        if by_account is None:
            return None
    return ratelimit.RateLimitUsage(usage=by_address.usage + by_account.usage)
