"""A staff account without TOTP reaches nothing but TOTP setup, reauthentication and logout — on every URL
of the project and every websocket route, decided from its roles (hub/mfa.py), not from a URL prefix.

Everywhere else it gets exactly what an anonymous visitor gets, except that where the visitor would be sent
to the login page it is sent to TOTP setup."""

import uuid
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.urls import URLPattern, get_resolver, resolve, reverse

from counseling.forum import services as forum_services
from counseling.forum.tests.factories import CategoryFactory, poster
from counseling.models import Attachment, CounselorProfile
from counseling.tests.test_youth_side import PDF, ask_post, upload
from hub.asgi import application
from hub.mfa import TOTP_SETUP_URL_NAMES, totp_pending
from hub.roles import Role
from hub.routing import websocket_urlpatterns
from hub.tests.factories import UserFactory, staff_with_totp
from hub.tests.test_staff_area import _CONVERTER, _SAMPLE, _route_paths

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


def all_paths():
    return sorted(set(_route_paths(get_resolver().url_patterns)))


def _is_redirect_to(response, url_name):
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    location = urlsplit(response["Location"])
    if location.netloc:  # elsewhere (the quick exit's neutral page)
        return False
    return resolve(location.path).url_name == url_name


def _pending_counselor(username="counselor_new", languages=("tr", "de")):
    user = UserFactory(username=username, roles=[Role.COUNSELOR], is_staff=True)
    CounselorProfile.objects.create(user=user, languages=list(languages))
    return user


@pytest.mark.django_db
def test_the_url_list_covers_youth_pages_staff_pages_and_the_cms():
    paths = all_paths()
    assert "/staff/cms/" in paths
    assert any(path.endswith("/attachments/00000000-0000-0000-0000-000000000000/") for path in paths)
    assert any(path.endswith("/forum/") for path in paths)
    assert any(path.endswith("/me/") for path in paths)
    assert len(paths) > 200


@pytest.mark.django_db
def test_staff_without_totp_gets_what_an_anonymous_visitor_gets_on_every_url(staff_without_totp):
    anonymous, pending = Client(), Client()
    pending.force_login(staff_without_totp)
    checked = 0
    for path in all_paths():
        if resolve(path).url_name in TOTP_SETUP_URL_NAMES:
            continue
        as_anonymous, as_pending = anonymous.get(path), pending.get(path)
        if _is_redirect_to(as_anonymous, "account_login"):
            assert _is_redirect_to(as_pending, "mfa_activate_totp"), path
        else:
            assert as_pending.status_code == as_anonymous.status_code, path
            assert as_pending.get("Location") == as_anonymous.get("Location"), path
            if as_pending.status_code == 200 and "html" in as_pending.get("Content-Type", ""):
                assert staff_without_totp.username not in as_pending.content.decode(), path
        checked += 1
    assert checked > 200


@pytest.mark.django_db
def test_staff_without_totp_reaches_totp_setup_and_logout_as_themselves(client, staff_without_totp):
    client.force_login(staff_without_totp)
    setup = client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password first: the reauthentication page is theirs to reach as well.
    assert setup.status_code == 302 and _is_redirect_to(setup, "account_reauthenticate")
    assert client.get(setup["Location"]).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_with_totp_and_youth_are_not_pending(youth, counselor, coordinator, staff_without_totp):
    assert not totp_pending(youth)
    assert not totp_pending(counselor) and not totp_pending(coordinator)
    assert totp_pending(staff_without_totp)
    assert totp_pending(UserFactory(username="root", is_superuser=True))


@pytest.mark.django_db
def test_an_attachment_download_is_refused_to_staff_without_totp(client, youth):
    counselor = _pending_counselor()  # the Turkish case below is routed to them
    client.force_login(youth)
    client.post("/en/ask/", ask_post(attachments=[upload("zeugnis.pdf", PDF)]))
    url = f"/en/attachments/{Attachment.objects.get().public_id}/"
    client.force_login(counselor)
    response = client.get(url)
    assert response.content != PDF
    assert _is_redirect_to(response, "mfa_activate_totp")

    TOTP.activate(counselor, generate_totp_secret())
    assert client.get(url).content == PDF  # the same person, once two-factor authentication is set up


@pytest.mark.django_db
def test_pending_forum_posts_stay_hidden_from_a_moderator_without_totp(client):
    post = forum_services.thread_create(
        category=CategoryFactory(), author=poster("newbie"), title="Frage", body="Noch nicht freigegeben"
    )
    url = reverse("forum:thread", kwargs={"pk": post.thread_id})
    client.force_login(staff_with_totp(username="moderator_ok", roles=[Role.COUNSELOR]))
    assert "Noch nicht freigegeben" in client.get(url).content.decode()  # the grant this test guards
    client.force_login(_pending_counselor())
    assert "Noch nicht freigegeben" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_two_factor_reset_locks_an_open_session_to_totp_setup(client, coordinator, youth):
    counselor = staff_with_totp(username="counselor_lost_phone", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=counselor, languages=["tr", "de"])
    client.force_login(youth)
    client.post("/en/ask/", ask_post(attachments=[upload("zeugnis.pdf", PDF)]))
    attachment_url = f"/en/attachments/{Attachment.objects.get().public_id}/"
    session = Client()
    session.force_login(counselor)
    assert session.get(attachment_url).content == PDF

    client.force_login(coordinator)
    client.post(reverse("hub:staff_account_totp_reset", kwargs={"user_id": counselor.pk}), {"confirm": "on"})

    for url in (attachment_url, "/de/staff/", "/staff/cms/", "/de/me/"):
        assert _is_redirect_to(session.get(url), "mfa_activate_totp"), url
    assert "counselor_lost_phone" not in session.get("/de/forum/").content.decode()


# --- websockets -------------------------------------------------------------------------------------


def websocket_paths():
    """Concrete paths for every websocket route of hub.routing, with sample values for the arguments."""
    paths = []
    for pattern in websocket_urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = _CONVERTER.sub(lambda m: _SAMPLE.get(m["type"] or "str", "x"), str(pattern.pattern))
        paths.append("/" + route)
    return paths


@pytest.fixture
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


async def _connect(user, path):
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    await communicator.disconnect()
    return connected


def test_the_websocket_list_covers_every_route():
    paths = websocket_paths()
    assert "/ws/chat-desk/" in paths and "/ws/notifications/" in paths
    assert len(paths) == len(websocket_urlpatterns)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_staff_without_totp_opens_no_websocket_on_any_route():
    pending = await sync_to_async(_pending_counselor)(f"counselor_{uuid.uuid4().hex[:6]}")
    for path in websocket_paths():
        assert not await _connect(pending, path), path


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_the_same_counselor_with_totp_opens_the_chat_desk():
    counselor = await sync_to_async(staff_with_totp)(username="desk_ok", roles=[Role.COUNSELOR])
    assert await _connect(counselor, "/ws/chat-desk/")
    assert await _connect(counselor, "/ws/notifications/")
