"""A young person's own account: e-mail for notices, password, deletion; rate limits on entry points."""

import pytest
from allauth.account.models import EmailAddress

from hub.models import User

pytestmark = pytest.mark.django_db


def test_youth_adds_an_email_for_reply_notices(client, youth):
    client.force_login(youth)
    response = client.post(
        "/en/accounts/email/", {"action_add": "", "email": "amira@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert EmailAddress.objects.filter(user=youth, email="amira@example.org").exists()


def test_youth_changes_the_password(client, youth):
    client.force_login(youth)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "correct-horse-battery",
            "password1": "neues-passwort-77",
            "password2": "neues-passwort-77",
        },
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.check_password("neues-passwort-77")


def test_youth_deletes_the_account_after_confirming_with_the_password(client, youth):
    client.force_login(youth)
    response = client.post("/en/me/delete/", {"password": "correct-horse-battery"}, follow=True)
    assert not User.objects.filter(pk=youth.pk).exists()
    assert response.redirect_chain[-1][0] == "/en/"
    assert "_auth_user_id" not in client.session
    assert "have been deleted" in response.content.decode()


def test_a_wrong_password_does_not_delete_the_account(client, youth):
    client.force_login(youth)
    response = client.post("/en/me/delete/", {"password": "guess"})
    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    assert User.objects.filter(pk=youth.pk).exists()


def test_account_pages_need_a_login(client):
    for path in ["/de/me/", "/de/me/delete/", "/de/accounts/email/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_staff_cannot_delete_their_account_themselves(client, counselor):
    client.force_login(counselor)
    assert client.post("/en/me/delete/", {"password": "correct-horse-battery"}).status_code == 403
    assert User.objects.filter(pk=counselor.pk).exists()


def test_repeated_failed_logins_are_stopped_with_a_clear_message(client, youth):
    # Five wrong passwords use up the account's limit; the sixth is this address's one try per interval
    # (hub/login_limits.py).
    for _ in range(6):
        response = client.post("/en/accounts/login/", {"login": "amira", "password": "wrong"})
        assert "not correct" in response.content.decode()
    response = client.post("/en/accounts/login/", {"login": "amira", "password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_flood_gets_a_translated_429(client):
    for number in range(10):
        client.post("/de/accounts/signup/", {"username": f"kid{number}", "password1": "x", "password2": "y"})
    response = client.post("/de/accounts/signup/", {"username": "kid99", "password1": "x", "password2": "y"})
    assert response.status_code == 429
    assert 'lang="de"' in response.content.decode()
    assert "Zu viele Versuche" in response.content.decode()


def test_password_reset_requests_are_rate_limited(client):
    statuses = [
        client.post("/en/accounts/password/reset/", {"email": "a@b.de"}).status_code for _ in range(5)
    ]
    assert statuses[-1] == 429
