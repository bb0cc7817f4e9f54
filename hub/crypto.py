"""Envelope encryption for data at rest (AES-256-GCM from the `cryptography` package).

Every protected record set (a counseling case) has its own random data key. The data key is stored only
wrapped (encrypted) by the master key from the environment; destroying the wrapped key makes everything
sealed with it unreadable ("crypto-shredding"). Ciphertexts carry associated data naming what they
belong to, so a ciphertext copied into another case or field fails authentication.
"""

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_NONCE = 12
_KEY_ID = 8


class KeyUnavailable(Exception):
    """The data key cannot be unwrapped: destroyed, or wrapped by a master key we no longer hold."""


def _decode(key: str) -> bytes:
    # Either base64 alphabet is accepted (the README suggests urlsafe_b64encode).
    raw = base64.urlsafe_b64decode(key.strip().replace("+", "-").replace("/", "_"))
    if len(raw) != 32:
        raise ValueError("master keys are 32 bytes, base64-encoded")
    return raw


def key_id(master_key: bytes) -> bytes:
    return hashlib.sha256(master_key).digest()[:_KEY_ID]


def master_keys() -> dict[bytes, bytes]:
    """Current key first, then the old ones still accepted during a rotation."""
    return _master_keys(settings.ENCRYPTION_KEY, tuple(settings.ENCRYPTION_OLD_KEYS))


@lru_cache(maxsize=4)
def _master_keys(current: str, old: tuple[str, ...]) -> dict[bytes, bytes]:
    # Decoded and hashed once per setting (keyed on its values: a test or a rotation changes them), not
    # for every data key unwrapped: each chat socket unwraps its case's key on its first line.
    keys = [_decode(current)] + [_decode(k) for k in old if k]
    return {key_id(key): key for key in keys}


def current_key_id() -> bytes:
    return key_id(_decode(settings.ENCRYPTION_KEY))


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def master_seal(plaintext: bytes, *, context: str) -> bytes:
    """Seals a small secret directly with the master key (data keys, TOTP secrets). The token starts
    with the key id, so rotation can tell which ones still need the new key."""
    master = _decode(settings.ENCRYPTION_KEY)
    nonce = os.urandom(_NONCE)
    return key_id(master) + nonce + AESGCM(master).encrypt(nonce, plaintext, context.encode())


def master_unseal(token: bytes, *, context: str) -> bytes:
    if not token or len(token) < _KEY_ID + _NONCE:
        raise KeyUnavailable("nothing sealed")
    master = master_keys().get(bytes(token[:_KEY_ID]))
    if master is None:
        raise KeyUnavailable("sealed with an unknown master key")
    nonce, body = bytes(token[_KEY_ID : _KEY_ID + _NONCE]), bytes(token[_KEY_ID + _NONCE :])
    try:
        return AESGCM(master).decrypt(nonce, body, context.encode())
    except InvalidTag as exc:
        raise KeyUnavailable("does not authenticate") from exc


def wrap(data_key: bytes) -> bytes:
    return master_seal(data_key, context="data-key")


def unwrap(wrapped: bytes) -> bytes:
    return master_unseal(wrapped, context="data-key")


def needs_rewrap(token: bytes) -> bool:
    """A wrapped key or master-sealed token that is not yet under the current master key."""
    return bool(token) and bytes(token[:_KEY_ID]) != current_key_id()


def reseal(token: bytes, *, context: str) -> bytes:
    """The same secret under the current master key (rotation); the old key must still be known."""
    return master_seal(master_unseal(token, context=context), context=context)


def cipher(data_key: bytes) -> AESGCM:
    """The cipher of a data key, for a caller that seals or opens many values with it: setting it up
    costs as much as opening a message (hub/sealed.py keeps it beside the key for the request)."""
    return AESGCM(data_key)


def seal(data_key: bytes | AESGCM, plaintext: bytes, *, context: str) -> bytes:
    """`data_key`: the key, or its cipher()."""
    nonce = os.urandom(_NONCE)
    return nonce + _aead(data_key).encrypt(nonce, plaintext, context.encode())


def unseal(data_key: bytes | AESGCM, token: bytes, *, context: str) -> bytes:
    """`data_key`: the key, or its cipher()."""
    token = bytes(token)
    try:
        return _aead(data_key).decrypt(token[:_NONCE], token[_NONCE:], context.encode())
    except InvalidTag as exc:
        raise KeyUnavailable("ciphertext does not authenticate") from exc


def _aead(data_key: bytes | AESGCM) -> AESGCM:
    return AESGCM(data_key) if isinstance(data_key, bytes) else data_key
