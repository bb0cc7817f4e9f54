"""Staff never sign up themselves: a coordinator invites them, the link expires, TOTP comes first."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from hub import services
from hub.models import StaffInvitation, User
from hub.roles import Role, user_roles

pytestmark = pytest.mark.django_db

ACCEPT = {
    "username": "berater_omar",
    "display_name": "Herr O.",
    "password1": "lang-und-sicher-42",
    "password2": "lang-und-sicher-42",
}


def invite(client, coordinator, **data):
    client.force_login(coordinator)
    payload = {"email": "omar@jmd-essen.de", "roles": ["counselor", "mentor"], "languages": ["de"], **data}
    return client.post("/en/staff/invitations/", payload)


def link_from(body: str) -> str:
    return re.search(r"http://\S+/accounts/invitation/\S+/", body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_coordinator_invites_and_the_mail_carries_a_working_link(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, coordinator)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["omar@jmd-essen.de"]
    link = link_from(mail.outbox[0].body)
    assert link.startswith("http://testserver/")  # the host the coordinator used, not SITE_URL
    path = path_of(link)

    newcomer = Client()
    assert newcomer.get(path).status_code == 200
    response = newcomer.post(path, ACCEPT)
    assert response.status_code == 302
    user = User.objects.get(username="berater_omar")
    assert user_roles(user) == {Role.COUNSELOR, Role.MENTOR}
    assert user.email == "omar@jmd-essen.de"
    assert user.display_name == "Herr O."
    # Signed in, but every staff page first asks for two-factor authentication.
    assert newcomer.get("/de/staff/")["Location"] == "/de/accounts/2fa/totp/activate/"


def test_an_invitation_link_works_once(client, coordinator):
    invitation = services.invitation_create(
        email="a@b.de", roles=["counselor"], invited_by=coordinator, language="de"
    )
    path = f"/de/accounts/invitation/{services.invitation_token(invitation)}/"
    assert Client().post(path, ACCEPT).status_code == 302
    response = Client().post(path, {**ACCEPT, "username": "second_try"})
    assert response.status_code == 404
    assert not User.objects.filter(username="second_try").exists()


def test_an_expired_invitation_is_refused(client, coordinator):
    invitation = services.invitation_create(
        email="a@b.de", roles=["counselor"], invited_by=coordinator, language="de"
    )
    StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(f"/en/accounts/invitation/{services.invitation_token(invitation)}/")
    assert response.status_code == 404
    assert "expired or has already been used" in response.content.decode()


def test_a_forged_token_is_refused(client, coordinator):
    invitation = services.invitation_create(
        email="a@b.de", roles=["counselor"], invited_by=coordinator, language="de"
    )
    forged = signing.dumps(invitation.pk, salt="another-salt")
    assert Client().get(f"/en/accounts/invitation/{forged}/").status_code == 404


def test_only_coordinators_may_invite(client, counselor, youth):
    for user in (counselor, youth):
        client.force_login(user)
        assert (
            client.post("/en/staff/invitations/", {"email": "x@y.de", "roles": ["coordinator"]}).status_code
            == 403
        )
    assert not StaffInvitation.objects.exists()


def test_invitation_form_errors_keep_the_input(client, coordinator):
    response = invite(client, coordinator, email="not-an-address", roles=["counselor"])
    assert response.status_code == 400
    assert 'value="not-an-address"' in response.content.decode()
    assert "Enter a valid email address." in response.content.decode()
    assert not StaffInvitation.objects.exists()


def test_youth_role_cannot_be_given_by_invitation(client, coordinator):
    response = invite(client, coordinator, roles=["youth"])
    assert response.status_code == 400
    assert not StaffInvitation.objects.exists()


def test_accept_form_errors_keep_the_input_and_the_invitation(client, coordinator):
    invitation = services.invitation_create(
        email="a@b.de", roles=["counselor"], invited_by=coordinator, language="de"
    )
    path = f"/en/accounts/invitation/{services.invitation_token(invitation)}/"
    response = Client().post(path, {**ACCEPT, "password2": "something-else-99"})
    assert response.status_code == 200
    assert "The two passwords do not match." in response.content.decode()
    assert 'value="berater_omar"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_open()


def test_invitation_mail_is_sent_by_a_real_worker_over_smtp(celery_worker, smtp_sink, coordinator):
    # transactional: the invitation row is committed, the task goes through Redis to the worker process.
    services.invitation_create(
        email="lea@jmd-bonn.de", roles=["editor"], invited_by=coordinator, language="en"
    )
    deadline = time.monotonic() + 20
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["to"] == ["lea@jmd-bonn.de"]
    assert "Subject: Your invitation to the JMD digital-hub" in message["data"]
    assert "/en/accounts/invitation/" in message["data"]
