"""Sealing and opening case content with the case's data key (hub/crypto.py).

The unwrapped key is cached on the case instance for the request, never stored or logged.
"""

from typing import Protocol
from uuid import UUID

from counseling.models import Case
from hub import crypto


class Sealable(Protocol):
    """A case, or a chat round: anything with its own wrapped data key and a public id as context."""

    public_id: UUID
    wrapped_key: bytes


def new_wrapped_key() -> bytes:
    return crypto.wrap(crypto.new_data_key())


def _data_key(case: Sealable) -> bytes:
    key = getattr(case, "_data_key", None)
    if key is None:
        key = case._data_key = crypto.unwrap(case.wrapped_key)
    return key


def seal(case: Sealable, plaintext: str | bytes, *, purpose: str) -> bytes:
    raw = plaintext.encode() if isinstance(plaintext, str) else plaintext
    return crypto.seal(_data_key(case), raw, context=f"{purpose}:{case.public_id}")


def unseal_bytes(case: Sealable, token: bytes, *, purpose: str) -> bytes:
    return crypto.unseal(_data_key(case), token, context=f"{purpose}:{case.public_id}")


def unseal(case: Sealable, token: bytes, *, purpose: str) -> str:
    return unseal_bytes(case, token, purpose=purpose).decode()


def destroy_key(case: Case) -> None:
    """Crypto-shredding: without the wrapped key no copy of the sealed content can be opened again."""
    Case.objects.filter(pk=case.pk).update(wrapped_key=b"")
    case.wrapped_key = b""
    case.__dict__.pop("_data_key", None)
