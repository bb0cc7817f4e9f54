"""Failed-login and sign-up limits: they stop guessing from one address, whatever X-Forwarded-For says,
and someone who guesses at a known username cannot lock its owner out (hub/login_limits.py)."""

import types

import pytest
from allauth import app_settings as allauth_settings
from allauth.core.internal import ratelimit as allauth_ratelimit

from hub.tests.factories import totp_now

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
TOO_MANY = "Too many failed login attempts. Try again later."
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def login(client, username, password, address, **headers):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address, **headers)


def lock_out(client, username):
    """The attacker guesses until the account's limit (5) and this address's extra try are used up."""
    for _ in range(6):
        assert "not correct" in login(client, username, "guess-123", ATTACKER).content.decode()
    response = login(client, username, "guess-456", ATTACKER)
    assert TOO_MANY in response.content.decode()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_client_address_is_never_taken_from_forwarded_headers():
    # uvicorn alone decides which peer may forward an address (FORWARDED_ALLOW_IPS); allauth takes
    # REMOTE_ADDR as uvicorn set it.
    assert allauth_settings.TRUSTED_PROXY_COUNT == 0
    assert allauth_settings.TRUSTED_CLIENT_IP_HEADER is None


def test_signup_limit_holds_with_a_forged_forwarded_for_header(client):
    statuses = [
        client.post(
            "/de/accounts/signup/",
            {"username": f"kid{number}", "password1": "x", "password2": "y"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.{number}.1",
        ).status_code
        for number in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_failed_login_limit_per_address_holds_with_forged_forwarded_for(client, youth, other_youth):
    # Ten wrong passwords a minute from one address, spread over accounts so the per-account limit is
    # not what stops them.
    for number in range(10):
        user = youth if number % 2 else other_youth
        login(client, user.username, "guess", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.1.{number}.1")
    response = login(client, "amira", "guess", ATTACKER, HTTP_X_FORWARDED_FOR="10.1.99.1")
    assert TOO_MANY in response.content.decode()


def test_a_locked_account_still_lets_its_owner_in_from_their_own_address(client, youth):
    lock_out(client, "amira")
    response = login(client, "amira", "correct-horse-battery", OWNER)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_attacker_gets_nothing_from_the_owners_way_in(client, youth):
    lock_out(client, "amira")
    # Even the right password from the attacker's address waits for the interval.
    assert TOO_MANY in login(client, "amira", "correct-horse-battery", ATTACKER).content.decode()
    assert not signed_in(client)


def test_an_owner_who_mistypes_gets_in_after_the_short_delay(client, youth, settings, monkeypatch):
    lock_out(client, "amira")
    assert "not correct" in login(client, "amira", "typo", OWNER).content.decode()
    assert TOO_MANY in login(client, "amira", "correct-horse-battery", OWNER).content.decode()

    import time

    later = time.time() + settings.LOGIN_LOCKED_RETRY_SECONDS + 1
    clock = types.SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(allauth_ratelimit, "time", clock)
    response = login(client, "amira", "correct-horse-battery", OWNER)
    assert response.status_code == 302
    assert signed_in(client)


def test_a_locked_staff_account_lets_its_owner_in_with_password_and_totp(client, counselor):
    lock_out(client, counselor.username)
    response = login(client, counselor.username, "correct-horse-battery", OWNER)
    assert response.status_code == 302
    assert "/2fa/" in response["Location"]
    assert not signed_in(client)  # the password alone is not enough
    response = client.post(response["Location"], {"code": totp_now(counselor.totp_secret)}, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    assert signed_in(client)
