"""Sealing and opening case content with the case's data key (hub/crypto.py, hub/sealed.py).

The unwrapped key is cached on the case instance for the request, never stored or logged.
"""

from counseling.models import Case
from hub.sealed import Sealable, new_wrapped_key, seal, unseal, unseal_bytes

__all__ = ["Sealable", "destroy_key", "new_wrapped_key", "seal", "unseal", "unseal_bytes"]


def destroy_key(case: Case) -> None:
    """Crypto-shredding: without the wrapped key no copy of the sealed content can be opened again."""
    Case.objects.filter(pk=case.pk).update(wrapped_key=b"")
    case.wrapped_key = b""
    case.__dict__.pop("_data_key", None)
    case.__dict__.pop("_data_cipher", None)
