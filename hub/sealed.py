"""Where sealed values live, so that key rotation and its test can find every one of them.

Two marker fields name the columns (they are plain `BinaryField`s in the database and in migrations):

- `WrappedKeyField`: a record set's own data key, wrapped by the master key (a case, a chat round, an
  appointment). Key rotation re-wraps every such column of every model (hub/key_rotation.py).
- `SealedField(key=..., purpose=...)`: a value sealed with the data key of the row that `key` leads to
  ("" for the row itself, "case", "message.case", …) and the purpose named in its associated data.

Secrets sealed directly with the master key outside our own models (allauth's TOTP secrets and recovery
code seeds) are listed in `MASTER_SEALED_JSON`; the MFA adapter (hub/adapters.py) seals and opens them.
"""

import base64
from typing import NamedTuple, Protocol
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db import models

from hub import crypto


class WrappedKeyField(models.BinaryField):
    """A data key wrapped by the master key; empty once destroyed (crypto-shredding)."""

    def deconstruct(self):
        # A marker for the code, not a schema change: migrations see an ordinary BinaryField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BinaryField", args, kwargs


class SealedField(models.BinaryField):
    """A ciphertext sealed with the data key found at `key` ("" = this row) for `purpose`."""

    def __init__(self, *args, key: str = "", purpose: str = "", **kwargs):
        self.key_path, self.purpose = key, purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BinaryField", args, kwargs


class Sealable(Protocol):
    """Anything with its own wrapped data key and a public id as context: a case, a round, …"""

    public_id: UUID
    wrapped_key: bytes


def new_wrapped_key() -> bytes:
    return crypto.wrap(crypto.new_data_key())


def _data_key(holder: Sealable) -> bytes:
    # The unwrapped key is cached on the instance for the request, never stored or logged.
    key = getattr(holder, "_data_key", None)
    if key is None:
        key = holder._data_key = crypto.unwrap(holder.wrapped_key)
    return key


class _KeyCipher:
    """A data key's cipher, kept beside the unwrapped key on the holder for as long as the key: a page
    opens every message of a case with it, set up once (issue 19) instead of once per message."""

    __slots__ = ("aead", "key")

    def __init__(self, key: bytes):
        self.key, self.aead = key, crypto.cipher(key)

    def __reduce__(self):  # a copy of the holder sets its own cipher up (the cipher does not pickle)
        return (_KeyCipher, (self.key,))


def _cipher(holder: Sealable):
    key = _data_key(holder)
    kept = getattr(holder, "_data_cipher", None)
    if kept is None or kept.key is not key:  # the key was dropped or replaced (sealing.destroy_key)
        kept = holder._data_cipher = _KeyCipher(key)
    return kept.aead


def seal(holder: Sealable, plaintext: str | bytes, *, purpose: str) -> bytes:
    raw = plaintext.encode() if isinstance(plaintext, str) else plaintext
    return crypto.seal(_cipher(holder), raw, context=f"{purpose}:{holder.public_id}")


def unseal_bytes(holder: Sealable, token: bytes, *, purpose: str) -> bytes:
    return crypto.unseal(_cipher(holder), token, context=f"{purpose}:{holder.public_id}")


def unseal(holder: Sealable, token: bytes, *, purpose: str) -> str:
    return unseal_bytes(holder, token, purpose=purpose).decode()


# --- Enumeration --------------------------------------------------------------------------------------


def _project_models() -> list[type[models.Model]]:
    # Our apps live in the checkout; installed packages (also in its .venv) are not ours to mark.
    root = str(settings.BASE_DIR)
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.path.startswith(root) and "site-packages" not in model._meta.app_config.path
    ]


def fields_of(kind: type[models.Field]) -> list[tuple[type[models.Model], models.Field]]:
    """Every concrete column of that marker class in the project's models."""
    return [
        (model, field)
        for model in _project_models()
        for field in model._meta.concrete_fields
        if isinstance(field, kind)
    ]


def binary_fields() -> list[tuple[type[models.Model], models.Field]]:
    return fields_of(models.BinaryField)


def key_holder(row: models.Model, field: SealedField) -> Sealable:
    holder = row
    for step in filter(None, field.key_path.split(".")):
        holder = getattr(holder, step)
    return holder


def open_field(row: models.Model, field: SealedField) -> bytes:
    """The plaintext of one sealed column of one row (tests, tools); raises KeyUnavailable."""
    return unseal_bytes(key_holder(row, field), getattr(row, field.attname), purpose=field.purpose)


# --- Secrets sealed with the master key, kept in JSON of another app's model ------------------------------


class MasterSealedJSON(NamedTuple):
    model: str  # app_label.ModelName
    field: str  # the JSON column
    keys: tuple[str, ...]  # entries holding one sealed string or a list of them


MFA_CONTEXT = "mfa-secret"
MASTER_SEALED_JSON = (MasterSealedJSON("mfa.Authenticator", "data", ("secret", "seed", "migrated_codes")),)
_SEALED_PREFIX = "sealed:"  # tells sealed text from a secret written in the clear


def seal_text(text: str, *, context: str = MFA_CONTEXT) -> str:
    token = crypto.master_seal(text.encode(), context=context)
    return _SEALED_PREFIX + base64.urlsafe_b64encode(token).decode()


def is_sealed_text(value: str) -> bool:
    return isinstance(value, str) and value.startswith(_SEALED_PREFIX)


def _token(value: str) -> bytes:
    if not is_sealed_text(value):
        # A secret in the clear is refused rather than used: it was written around the adapter.
        raise crypto.KeyUnavailable("not a sealed value")
    return base64.urlsafe_b64decode(value[len(_SEALED_PREFIX) :])


def unseal_text(value: str, *, context: str = MFA_CONTEXT) -> str:
    return crypto.master_unseal(_token(value), context=context).decode()


def text_needs_reseal(value: str) -> bool:
    return crypto.needs_rewrap(_token(value))


def reseal_text(value: str, *, context: str = MFA_CONTEXT) -> str:
    return seal_text(unseal_text(value, context=context), context=context)
