import pytest
from django.urls import reverse
from django.utils import translation

from hub.models import User
from hub.roles import Role, user_roles

pytestmark = pytest.mark.django_db


def signup(client, language="de", **data):
    with translation.override(language):
        url = reverse("account_signup")
    return client.post(url, data, follow=True)


def test_youth_signs_up_with_username_and_password_only(client):
    response = signup(
        client, username="sonnenblume", password1="kaffee-mit-milch-7", password2="kaffee-mit-milch-7"
    )

    user = User.objects.get(username="sonnenblume")
    assert user.email == ""
    assert user_roles(user) == {Role.YOUTH}
    assert not user.is_staff
    # Straight to the youth start page, signed in.
    assert response.redirect_chain[-1][0] == "/de/me/"
    assert response.context["user"] == user
    assert "sonnenblume" in response.content.decode()


def test_signup_form_asks_for_nothing_but_username_and_password(client):
    response = client.get("/en/accounts/signup/")
    form = response.context["form"]
    assert set(form.fields) == {"username", "password1", "password2"}
    assert "Do not use your real name" in response.content.decode()


def test_youth_logs_in_and_sees_the_youth_start_page(client, youth):
    response = client.post(
        "/en/accounts/login/", {"login": "amira", "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/en/me/"
    assert 'Hello, <bdi dir="auto">amira</bdi>!' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Das sieht aus wie eine E-Mail-Adresse"),
        ("en", "This looks like an e-mail address"),
    ],
)
def test_email_like_username_is_refused_with_translated_hint(client, language, expected):
    response = signup(
        client,
        language,
        username="amira.k@example.com",
        password1="kaffee-mit-milch-7",
        password2="kaffee-mit-milch-7",
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not User.objects.filter(username="amira.k@example.com").exists()
    # What was typed is still there to correct.
    assert 'value="amira.k@example.com"' in response.content.decode()


@pytest.mark.parametrize("username", ["+49 176 12345678", "0176-1234567", "amira01761234567"])
def test_phone_like_username_is_refused(client, username):
    response = signup(
        client, "en", username=username, password1="kaffee-mit-milch-7", password2="kaffee-mit-milch-7"
    )
    assert "This looks like a phone number" in response.content.decode()
    assert not User.objects.filter(username=username).exists()


def test_ordinary_nicknames_with_a_few_digits_are_fine(client):
    signup(client, "en", username="mia_2009", password1="kaffee-mit-milch-7", password2="kaffee-mit-milch-7")
    assert User.objects.filter(username="mia_2009").exists()
