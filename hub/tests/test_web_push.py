"""Web Push (issue 21): the RFC 8291 encryption against the RFC's own example, and the whole path of a
new answer to a young person's browser through a real HTTP endpoint that records what it got."""

import contextlib
import http.server
import json
import socket
import threading
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.db import connection
from django.utils import timezone

from counseling import services
from counseling.models import CounselorProfile
from counseling.tests.factories import make_case
from hub import push, sealed, web_push
from hub.models import PushSubscription
from hub.retention import retention_run
from hub.services import account_delete
from hub.tests.factories import PASSWORD
from tests.workers import worker_port

pytestmark = pytest.mark.django_db

# RFC 8291 Appendix A.
RFC = {
    "plaintext": b"When I grow up, I want to be a watermelon",
    "as_private": "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
    "ua_public": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    "auth": "BTBZMqHH6r4Tts7J_aSIgg",
    "salt": "DGv6ra1nlYgDCS1FRnbzlw",
    "body": "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6Tl"
    "zAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
}
ANSWER = "Für die Anerkennung brauchst du das Zeugnis im Original."
QUESTION = "Wie lange dauert die Anerkennung meines Diploms?"


def test_the_encryption_gives_the_rfc_8291_example_byte_for_byte():
    body = web_push.encrypt(
        RFC["plaintext"],
        ua_public=web_push.b64url_decode(RFC["ua_public"]),
        auth_secret=web_push.b64url_decode(RFC["auth"]),
        sender_key=web_push.private_key_from_b64url(RFC["as_private"]),
        salt=web_push.b64url_decode(RFC["salt"]),
    )
    assert web_push.b64url(body) == RFC["body"]


# --- a push service on this machine -----------------------------------------------------------------------


class PushService:
    """A real HTTP server standing in for a browser maker's push service: it records every request and
    answers with `status` (201 Created, as real ones do)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        self.location = None  # a redirect's target, when `status` is one
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                self.send_response(service.status)
                if service.location:
                    self.send_header("Location", service.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", worker_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service(settings):
    settings.WEB_PUSH_ALLOW_LOCAL_ENDPOINTS = True
    service = PushService()
    yield service
    service.close()


class Browser:
    """The browser's side of a subscription: its own key pair and auth secret, made in the test."""

    def __init__(self, endpoint: str):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = web_push.b64url(b"0123456789abcdef")
        self.endpoint = endpoint

    def subscription_json(self) -> dict:
        p256dh = web_push.b64url(web_push.public_key_bytes(self.private_key))
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": p256dh, "auth": self.auth},
        }

    def open(self, body: bytes) -> bytes:
        return web_push.decrypt(
            body, ua_private=self.private_key, auth_secret=web_push.b64url_decode(self.auth)
        )


def switch_on(client, user, browser: Browser, language="ar"):
    client.force_login(user)
    response = client.post(
        f"/{language}/me/push/on/", json.dumps(browser.subscription_json()), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response


def answer(case, counselor, django_capture_on_commit_callbacks, body=ANSWER):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(case=case, author=counselor, body=body)


@pytest.fixture
def conversation(youth, counselor):
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    return make_case(youth=youth, body=QUESTION)


def test_a_new_answer_reaches_the_browser_encrypted_and_without_content(
    client, youth, counselor, conversation, push_service, django_capture_on_commit_callbacks, settings
):
    browser = Browser(push_service.url + "/push/abc123")
    switch_on(client, youth, browser, language="ar")

    answer(conversation, counselor, django_capture_on_commit_callbacks)

    [request] = push_service.requests
    headers = request["headers"]
    assert request["path"] == "/push/abc123"
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) > 0 and headers["urgency"] == "normal"
    plaintext = browser.open(request["body"])
    assert json.loads(plaintext) == {"t": "new", "l": "ar"}
    # Nothing of the case, the message or the service, in the clear or encrypted.
    for secret in (ANSWER, QUESTION, str(conversation.public_id), youth.username, "JMD", "jmd", "counsel"):
        assert secret.encode() not in plaintext and secret.encode() not in request["body"]
    # VAPID (RFC 8292): an ES256 JWT for the push service's origin that our public key verifies.
    scheme, _space, params = headers["authorization"].partition(" ")
    fields = dict(part.split("=", 1) for part in params.split(", "))
    assert scheme == "vapid" and fields["k"] == settings.VAPID_PUBLIC_KEY
    header_b64, claims_b64, signature_b64 = fields["t"].split(".")
    claims = json.loads(web_push.b64url_decode(claims_b64))
    assert claims["aud"] == push_service.url and claims["exp"] > timezone.now().timestamp()
    assert json.loads(web_push.b64url_decode(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = web_push.b64url_decode(signature_b64)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), web_push.b64url_decode(fields["k"]))
    public.verify(
        encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")),
        f"{header_b64}.{claims_b64}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )


def test_the_subscription_is_sealed_at_rest(client, youth, push_service):
    browser = Browser(push_service.url + "/push/sealed-endpoint")
    switch_on(client, youth, browser)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM hub_pushsubscription")
        raw = repr(cursor.fetchall()).encode()
    assert b"sealed-endpoint" not in raw and browser.auth.encode() not in raw
    row = PushSubscription.objects.get(user=youth)
    assert sealed.unseal(row, row.endpoint_sealed, purpose=push.ENDPOINT) == browser.endpoint


def test_switching_off_deletes_it_and_no_request_follows(
    client, youth, counselor, conversation, push_service, django_capture_on_commit_callbacks
):
    browser = Browser(push_service.url + "/push/off")
    switch_on(client, youth, browser)
    response = client.post("/ar/me/push/off/", json.dumps({"endpoint": browser.endpoint}), "application/json")
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()
    answer(conversation, counselor, django_capture_on_commit_callbacks)
    assert push_service.requests == []


def test_without_switching_on_nothing_is_sent(
    youth, counselor, conversation, push_service, django_capture_on_commit_callbacks
):
    answer(conversation, counselor, django_capture_on_commit_callbacks)
    assert push_service.requests == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_deleted(
    client, youth, counselor, conversation, push_service, django_capture_on_commit_callbacks, status
):
    switch_on(client, youth, Browser(push_service.url + "/push/gone"))
    push_service.status = status
    answer(conversation, counselor, django_capture_on_commit_callbacks)
    assert len(push_service.requests) == 1
    assert not PushSubscription.objects.exists()


def test_a_refusing_push_service_keeps_the_subscription(client, youth, push_service):
    switch_on(client, youth, Browser(push_service.url + "/push/busy"))
    push_service.status = 503
    assert push.push_new_message(user_id=youth.pk) == {"sent": 0, "gone": 0, "failed": 1}
    assert PushSubscription.objects.count() == 1


def test_unused_for_90_days_it_is_purged_and_a_delivery_counts_as_use(
    client, youth, other_youth, push_service
):
    switch_on(client, youth, Browser(push_service.url + "/push/old"))
    switch_on(client, other_youth, Browser(push_service.url + "/push/recent"))
    now = timezone.now()
    PushSubscription.objects.filter(user=youth).update(last_used_at=now - timedelta(days=91))
    PushSubscription.objects.filter(user=other_youth).update(last_used_at=now - timedelta(days=89))
    push.push_new_message(user_id=other_youth.pk)  # delivered: its 90 days start again

    run = retention_run(trigger="test", now=now + timedelta(days=2))

    assert run.counts["push_subscriptions"] == 1
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [other_youth.pk]


def test_deleting_the_account_deletes_its_subscriptions(client, youth, push_service):
    switch_on(client, youth, Browser(push_service.url + "/push/mine"))
    response = client.post("/en/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_account_delete_service_too(youth, push_service, client):
    switch_on(client, youth, Browser(push_service.url + "/push/mine"))
    account_delete(user=youth)
    assert not PushSubscription.objects.exists()


def test_switching_on_twice_in_one_browser_keeps_one_row(client, youth, push_service):
    browser = Browser(push_service.url + "/push/twice")
    switch_on(client, youth, browser)
    switch_on(client, youth, browser)
    assert PushSubscription.objects.count() == 1


# --- denials and bad input -------------------------------------------------------------------------------


def test_switching_off_another_persons_browser_does_nothing(client, youth, other_youth, push_service):
    browser = Browser(push_service.url + "/push/theirs")
    switch_on(client, youth, browser)
    client.force_login(other_youth)
    client.post("/en/me/push/off/", json.dumps({"endpoint": browser.endpoint}), "application/json")
    assert PushSubscription.objects.filter(user=youth).count() == 1


def test_staff_and_anonymous_visitors_cannot_switch_on(client, counselor, push_service):
    body = json.dumps(Browser(push_service.url + "/push/x").subscription_json())
    assert client.post("/en/me/push/on/", body, "application/json").status_code == 302  # to sign-in
    client.force_login(counselor)
    assert client.post("/en/me/push/on/", body, "application/json").status_code == 403
    assert client.get("/en/me/push/on/").status_code == 405
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "[]",
        json.dumps({"endpoint": "https://push.example.org/x"}),
        json.dumps({"endpoint": "https://push.example.org/x", "keys": {"p256dh": "AAAA", "auth": "BBBB"}}),
    ],
)
def test_a_broken_subscription_gets_a_clear_message(client, youth, payload):
    client.force_login(youth)
    response = client.post("/de/me/push/on/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.org/x",  # not https
        "https://127.0.0.1/x",  # this machine
        "https://10.0.0.7/x",  # its network
        "https://[::1]/x",
        "https://localhost/x",
    ],
)
def test_endpoints_into_our_own_network_are_refused(client, youth, endpoint):
    browser = Browser(endpoint)
    client.force_login(youth)
    response = client.post("/de/me/push/on/", json.dumps(browser.subscription_json()), "application/json")
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_the_me_page_offers_the_switch_with_the_public_key(client, youth, settings):
    client.force_login(youth)
    html = client.get("/de/me/").content.decode()
    assert "data-push-switch" in html and settings.VAPID_PUBLIC_KEY in html


def test_without_a_vapid_key_push_is_off_and_the_page_says_so(client, youth, settings, push_service):
    settings.VAPID_PRIVATE_KEY = ""
    client.force_login(youth)
    html = client.get("/en/me/").content.decode()
    assert "data-push-switch" not in html
    assert "not available on this server" in html
    body = json.dumps(Browser(push_service.url + "/push/x").subscription_json())
    assert client.post("/en/me/push/on/", body, "application/json").status_code == 404


def test_a_public_key_that_does_not_belong_to_the_private_key_is_refused_at_start():
    from django.core.exceptions import ImproperlyConfigured

    private = web_push.private_key_to_b64url(ec.generate_private_key(ec.SECP256R1()))
    other = web_push.b64url(web_push.public_key_bytes(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(ImproperlyConfigured, match="VAPID_PUBLIC_KEY"):
        web_push.vapid_public_key_for(private, other)
    with pytest.raises(ImproperlyConfigured, match="VAPID_PRIVATE_KEY"):
        web_push.vapid_public_key_for("not-a-key", "")


def test_the_key_command_prints_a_pair_that_belongs_together():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("vapid_keys", stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    assert web_push.vapid_public_key_for(values["VAPID_PRIVATE_KEY"], values["VAPID_PUBLIC_KEY"])


# --- where a push may go ------------------------------------------------------------------------------------


class Listener:
    """A bare TCP port on this machine that records whether anyone connected, and the first bytes sent."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", worker_port()))
        self.socket.listen()
        self.socket.settimeout(1.0)
        self.port = self.socket.getsockname()[1]

    def first_bytes(self) -> bytes | None:
        try:
            peer, _ = self.socket.accept()
        except TimeoutError:
            return None
        with peer:
            peer.settimeout(2.0)
            return peer.recv(4096)

    def close(self):
        self.socket.close()


@pytest.fixture
def listener():
    opened = Listener()
    yield opened
    opened.close()


def _send(endpoint: str):
    browser = Browser(endpoint)
    keys = web_push.VapidKeys(ec.generate_private_key(ec.SECP256R1()), "mailto:push@example.org")
    subscription = browser.subscription_json()
    return web_push.push_send(
        endpoint=endpoint,
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
        keys=keys,
        payload=web_push.payload_for("de"),
    )


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f000001", socket.gethostname()])
def test_a_name_that_stands_for_this_machine_is_never_posted_to(settings, listener, host):
    """Shorthand and decimal forms of 127.0.0.1 and names in /etc/hosts pass a check of the address's form
    alone; the push goes only to the addresses the name resolves to, all of which must be on the internet."""
    settings.WEB_PUSH_ALLOW_LOCAL_ENDPOINTS = False
    if web_push.global_addresses(host, listener.port) is None:
        pytest.skip(f"{host} does not resolve on this machine")
    result = _send(f"https://{host}:{listener.port}/push/abc")
    assert result.gone  # and so the subscription is deleted
    assert listener.first_bytes() is None  # nobody connected


def test_a_redirect_from_the_push_service_is_an_answer_never_followed(push_service, listener):
    push_service.status, push_service.location = 302, f"http://127.0.0.1:{listener.port}/internal"
    result = _send(f"{push_service.url}/push/abc")
    assert result.status == 302 and not result.delivered and not result.gone
    assert len(push_service.requests) == 1
    assert listener.first_bytes() is None


def test_the_connection_goes_to_the_address_checked_under_the_name_the_certificate_must_carry(listener):
    """A second lookup of the name (DNS rebinding) cannot move the post: the socket goes to the address that
    was checked; the TLS handshake still names the push service (SNI), so its certificate is checked."""
    connection = web_push.PinnedHTTPSConnection(
        "push.example.invalid", listener.port, address="127.0.0.1", timeout=2
    )
    attempt = threading.Thread(target=lambda: _quietly(connection.connect), daemon=True)
    attempt.start()
    hello = listener.first_bytes()
    attempt.join(5)
    assert hello is not None and hello[0] == 0x16  # a TLS handshake record, at the checked address
    assert b"push.example.invalid" in hello


def _quietly(function):
    with contextlib.suppress(OSError):  # the listener speaks no TLS: the handshake fails after the hello
        function()
