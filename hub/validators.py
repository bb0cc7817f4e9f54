"""Usernames must not give away who someone is: no e-mail addresses, no phone numbers."""

import re

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_EMAIL_LIKE = re.compile(r"\S+@\S+\.\S+|\S+@\S+")
# Seven or more digits, allowing +, spaces, dots, dashes and brackets between them.
_PHONE_LIKE = re.compile(r"(?:\+|00)?(?:[\s./()-]*\d){7,}")


def refuse_email_like(value: str) -> None:
    if "@" in value and _EMAIL_LIKE.search(value):
        raise ValidationError(
            _(
                "This looks like an e-mail address. To stay anonymous, choose a name that does not "
                "reveal who you are, for example a nickname."
            ),
            code="email_like",
        )


def refuse_phone_like(value: str) -> None:
    if _PHONE_LIKE.search(value):
        raise ValidationError(
            _(
                "This looks like a phone number. To stay anonymous, choose a name without your "
                "phone number, for example a nickname."
            ),
            code="phone_like",
        )


# The anonymity hints come first: they say more than "invalid characters" would.
username_validators = [refuse_email_like, refuse_phone_like, UnicodeUsernameValidator()]
