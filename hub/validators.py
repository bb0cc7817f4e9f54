"""Usernames must not give away who someone is (no e-mail addresses, phone numbers or social-media
handles), and a young person's name must not pass for the team's (no "admin", "support", "berater")."""

import re
import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_EMAIL_LIKE = re.compile(r"\S+@\S+\.\S+|\S+@\S+")
# Seven or more digits, allowing +, spaces, dots, dashes and brackets between them.
_PHONE_LIKE = re.compile(r"(?:\+|00)?(?:[\s./()-]*\d){7,}")
# A platform's name joined to a nickname by a separator: "insta.kim", "snap_kim", "kim-tiktok".
# Only the full names (and "insta"/"snap"): two-letter short forms like "ig" or "fb" are too often
# part of an ordinary nickname.
_PLATFORMS = (
    r"insta(?:gram)?|snap(?:chat)?|tiktok|telegram|whatsapp|signal|viber|skype|discord|facebook|"
    r"twitter|youtube|threema|wechat|kik|vkontakte|twitch"
)
_SOCIAL_NAME = re.compile(rf"(?:^|[._+-])(?:{_PLATFORMS})(?:[._+-]|$)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\d._+@-]+")

# Words that would make a young person's name look like the team's, in the portal's eight languages
# (Latin transliterations where people commonly type them so). Compared after _normalise, each word
# of the name on its own and the name with its separators and digits taken out: "Admin_1", "jmd.team",
# "ad.min" and "Beraterin2" are refused, "teamgeist" and "rootbeer" are not.
_RESERVED = {
    # en
    "admin", "administrator", "sysadmin", "root", "system", "support", "staff", "team", "moderator",
    "counselor", "counsellor", "coordinator", "official", "jmd", "guest", "webmaster", "security",
    # de
    "berater", "beraterin", "beratung", "mitarbeiter", "mitarbeiterin", "moderatorin", "koordinator",
    "koordinatorin", "offiziell", "jugendmigrationsdienst", "servicebuero", "servicebüro", "gast",
    # fr
    "administrateur", "moderateur", "moderatrice", "conseiller", "conseillere", "equipe",
    # tr
    "yonetici", "destek", "danisman", "ekip",
    # sq
    "administratori", "mbeshtetje", "keshilltar", "keshilltare", "ekipi",
    # ru, uk
    "админ", "администратор", "модератор", "консультант", "поддержка", "команда", "адмін",
    "адміністратор", "підтримка",
    # ar
    "مشرف", "المشرف", "مستشار", "مستشارة", "دعم", "الدعم", "ادارة", "الادارة", "فريق",
}  # fmt: skip


def _normalise(value: str) -> str:
    """Case, accents and Arabic hamza forms do not make a different word: "Modérateur" is "moderateur",
    "Danışman" is "danisman", "الإدارة" is "الادارة"."""
    value = value.casefold().replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_RESERVED = {_normalise(word) for word in _RESERVED}


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


def refuse_handle_like(value: str) -> None:
    """ "@kim_2009" or "insta.kim": a name people could look up on a social network. An "@" that is
    part of an e-mail address is refuse_email_like's to explain."""
    if (value.startswith("@") or _SOCIAL_NAME.search(value)) and not _EMAIL_LIKE.search(value):
        raise ValidationError(
            _(
                "This looks like a social-media handle. To stay anonymous, choose a name that does not "
                "lead to your profile, for example a new nickname."
            ),
            code="handle_like",
        )


def refuse_reserved_name(value: str) -> None:
    name = _normalise(value)
    words = {word for word in _SEPARATORS.split(name) if word}
    if words & _RESERVED or _SEPARATORS.sub("", name) in _RESERVED:
        raise ValidationError(
            _(
                "This name is kept for the counseling team (words like admin, support, JMD or counselor). "
                "Please choose another nickname."
            ),
            code="reserved",
        )


# The anonymity hints come first: they say more than "invalid characters" would.
# Every account: staff accepting an invitation may well be "berater_omar".
username_validators = [refuse_email_like, refuse_phone_like, refuse_handle_like, UnicodeUsernameValidator()]
# Young people's accounts (sign-up, the ask form's sign-up, a chat guest keeping the chat).
youth_username_validators = [*username_validators[:3], refuse_reserved_name, UnicodeUsernameValidator()]
