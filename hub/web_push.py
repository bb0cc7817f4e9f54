"""Web Push without a library: the message encryption of RFC 8291 (aes128gcm content coding, RFC 8188)
and the VAPID authorisation of RFC 8292, with the `cryptography` package already in the stack.

Only this module speaks to a browser's push service. What it sends is an encrypted record that only the
subscribed browser can open; the push service sees the endpoint, the size (about 130 bytes), the time,
our VAPID public key and subject (README "Notifications on this device").
"""

import base64
import http.client
import ipaddress
import json
import os
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

RECORD_SIZE = 4096
# A push service may keep an undelivered message this long (seconds): a day, then it is stale news.
TTL_SECONDS = 24 * 60 * 60
TIMEOUT_SECONDS = 10


def payload_for(language: str) -> bytes:
    """The whole message: "something new", and the language the switch was turned on in. No text, no
    topic, no case, no service name; the service worker shows its own generic notice in that language."""
    return json.dumps({"t": "new", "l": language}, separators=(",", ":")).encode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_bytes(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    """The uncompressed point (65 bytes), the form browsers and the VAPID header use."""
    return private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def private_key_from_b64url(text: str) -> ec.EllipticCurvePrivateKey:
    """A raw P-256 private scalar (32 bytes, base64url), the format of common VAPID key generators."""
    return ec.derive_private_key(int.from_bytes(b64url_decode(text), "big"), ec.SECP256R1())


def private_key_to_b64url(private_key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(private_key.private_numbers().private_value.to_bytes(32, "big"))


def _hkdf(*, salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def _content_key(
    ecdh_secret: bytes, *, auth_secret: bytes, ua_public: bytes, as_public: bytes, salt: bytes
) -> tuple[bytes, bytes]:
    # RFC 8291 §3.4: the input keying material binds both public keys and the browser's auth secret.
    ikm = _hkdf(
        salt=auth_secret, ikm=ecdh_secret, info=b"WebPush: info\x00" + ua_public + as_public, length=32
    )
    # RFC 8188 §2.2/2.3: with the record's salt, one key and one nonce (a single record: sequence 0).
    cek = _hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: aes128gcm\x00", length=16)
    nonce = _hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: nonce\x00", length=12)
    return cek, nonce


def encrypt(
    plaintext: bytes,
    *,
    ua_public: bytes,
    auth_secret: bytes,
    sender_key: ec.EllipticCurvePrivateKey | None = None,
    salt: bytes | None = None,
) -> bytes:
    """One aes128gcm record for the browser holding `ua_public` (p256dh) and `auth_secret` (auth).

    A fresh sender key and salt per message; the test passes the RFC's fixed ones (Appendix A)."""
    sender_key = sender_key or ec.generate_private_key(ec.SECP256R1())
    salt = salt if salt is not None else os.urandom(16)
    as_public = public_key_bytes(sender_key)
    ua_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    cek, nonce = _content_key(
        sender_key.exchange(ec.ECDH(), ua_key), auth_secret=auth_secret, ua_public=ua_public,
        as_public=as_public, salt=salt,
    )  # fmt: skip
    # One record, so it is the last one: the padding delimiter is 0x02 (RFC 8188 §2).
    ciphertext = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)
    header = salt + RECORD_SIZE.to_bytes(4, "big") + bytes([len(as_public)]) + as_public
    return header + ciphertext


def decrypt(body: bytes, *, ua_private: ec.EllipticCurvePrivateKey, auth_secret: bytes) -> bytes:
    """The browser's side, for tests and tools: opens a record made by `encrypt`."""
    salt, idlen = body[:16], body[20]
    as_public, ciphertext = body[21 : 21 + idlen], body[21 + idlen :]
    as_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
    ua_public = public_key_bytes(ua_private)
    cek, nonce = _content_key(
        ua_private.exchange(ec.ECDH(), as_key), auth_secret=auth_secret, ua_public=ua_public,
        as_public=as_public, salt=salt,
    )  # fmt: skip
    padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    return padded.rstrip(b"\x00")[:-1]


# --- VAPID (RFC 8292) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VapidKeys:
    private_key: ec.EllipticCurvePrivateKey
    subject: str

    @property
    def public_key(self) -> str:
        """What the browser gets as `applicationServerKey` and the push service in `k=`."""
        return b64url(public_key_bytes(self.private_key))


def vapid_authorization(endpoint: str, keys: VapidKeys, *, now: float | None = None) -> str:
    """`vapid t=<JWT>, k=<public key>`: an ES256 JWT for the push service's origin, valid 12 hours."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((now or time.time()) + 12 * 60 * 60),
        "sub": keys.subject,
    }
    signing_input = (
        b64url(json.dumps({"typ": "JWT", "alg": "ES256"}, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    der = keys.private_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)  # JWS wants r || s, 32 bytes each, not DER
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"vapid t={signing_input}.{b64url(signature)}, k={keys.public_key}"


def vapid_keys() -> VapidKeys | None:
    """The VAPID keys from settings, or None when push is off (no key in production: /me/ says so)."""
    if not settings.VAPID_PRIVATE_KEY:
        return None
    return VapidKeys(private_key_from_b64url(settings.VAPID_PRIVATE_KEY), settings.VAPID_SUBJECT)


# --- Endpoints and sending -------------------------------------------------------------------------------


def endpoint_allowed(endpoint: str) -> bool:
    """A push service is on the internet and speaks https. Addresses of this host or its network are
    refused, so that a made-up subscription cannot make the server post into its own network.
    Tests allow the loopback fixture (WEB_PUSH_ALLOW_LOCAL_ENDPOINTS)."""
    parts = urlsplit(endpoint)
    if len(endpoint) > 1000 or not parts.hostname:
        return False
    if settings.WEB_PUSH_ALLOW_LOCAL_ENDPOINTS:
        return parts.scheme in {"https", "http"}
    if parts.scheme != "https" or parts.hostname == "localhost":
        return False
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return True  # a host name; the push services use names
    return address.is_global


@dataclass(frozen=True)
class PushResult:
    status: int

    @property
    def delivered(self) -> bool:
        return 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """404/410: the browser dropped the subscription; we drop ours (RFC 8030 §7.3)."""
        return self.status in {404, 410}


# No answer from the name service: kept, and tried again with the next message.
UNRESOLVED = PushResult(status=503)


def global_addresses(host: str, port: int) -> list[str] | None:
    """The addresses a push service's name stands for, if every one of them is on the internet; [] when
    one is not (a name that also points into this host or its network is no push service); None when the
    name does not resolve now."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return None
    addresses = [info[4][0] for info in found]
    if not addresses:
        return None
    return addresses if all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses) else []


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address checked before: the name checked is the name the certificate must carry, but
    the socket goes to the checked address, so a second lookup (DNS rebinding) cannot point it inside."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(endpoint: str) -> http.client.HTTPConnection | PushResult:
    parts = urlsplit(endpoint)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if settings.WEB_PUSH_ALLOW_LOCAL_ENDPOINTS:  # tests: the push service fixture on this machine
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        return kind(parts.hostname, port, timeout=TIMEOUT_SECONDS)
    addresses = global_addresses(parts.hostname, port)
    if addresses is None:
        return UNRESOLVED
    if not addresses:
        return PushResult(status=410)  # never sent to: as good as gone
    return PinnedHTTPSConnection(parts.hostname, port, address=addresses[0], timeout=TIMEOUT_SECONDS)


def push_send(*, endpoint: str, p256dh: str, auth: str, keys: VapidKeys, payload: bytes) -> PushResult:
    """POST one encrypted generic message to the subscription's push service. Only to the address checked
    (`global_addresses`), and a redirect is an answer, never followed: a push service does not redirect,
    and following one could lead the post into this network."""
    if not endpoint_allowed(endpoint):
        return PushResult(status=410)  # a subscription we would never send to is as good as gone
    connection = _connection(endpoint)
    if isinstance(connection, PushResult):
        return connection
    body = encrypt(payload, ua_public=b64url_decode(p256dh), auth_secret=b64url_decode(auth))
    parts = urlsplit(endpoint)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "Authorization": vapid_authorization(endpoint, keys),
    }
    try:
        connection.request("POST", target, body=body, headers=headers)
        return PushResult(status=connection.getresponse().status)
    finally:
        connection.close()


# --- Keys for settings -----------------------------------------------------------------------------------


def dev_private_key(path) -> str:
    """Development and tests: a key pair made once into a git-ignored file (var/), so that `make run`
    and the suite can push without anyone handling a key. Production never takes this path (settings)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = private_key_to_b64url(ec.generate_private_key(ec.SECP256R1()))
    try:  # parallel test workers may race: the first file written wins, the others read it
        with open(path, "x") as handle:
            handle.write(key)
    except FileExistsError:
        return path.read_text().strip()
    return key


def vapid_public_key_for(private_b64url: str, configured_public: str) -> str:
    """The public key that belongs to the private one; a configured public key that does not match is
    refused at start-up (browsers would subscribe with a key the server cannot sign for)."""
    from django.core.exceptions import ImproperlyConfigured

    if not private_b64url:
        return ""
    try:
        derived = b64url(public_key_bytes(private_key_from_b64url(private_b64url)))
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "VAPID_PRIVATE_KEY is not a base64url P-256 private key (32 bytes)."
        ) from exc
    if configured_public and configured_public.rstrip("=") != derived:
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY.")
    return derived
