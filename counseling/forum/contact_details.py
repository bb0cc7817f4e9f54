"""Contact details in a forum post, in the eight languages: phone numbers, e-mail addresses (also written
out, "lena at gmail dot com"), links, @handles and "insta: name"-style handles.

A post is held, not refused, so a false alarm costs a moderator a click while a miss can put a young
person in reach of strangers; still, ordinary sentences must pass: words merely starting like a
platform's short name ("Schule", "Schwerin", "vkusno"), a platform mentioned in passing ("I deleted
Instagram"), dates, times, prices, postcodes, street numbers and years. The corpus under
`tests/data/` holds both sides and must stay at 0 false alarms and 0 misses.

Each detector is a regular expression over a normalised copy of the text: Arabic-Indic digits as ASCII
digits, compatibility forms folded (NFKC), dates, times and years in ranges blanked out before digits
are counted. Phone numbers are judged by digit count and shape, with a lower bar when the text asks to
be called or names a messenger; `phonenumbers` confirms the rest for Germany and the post language's
country.
"""

import re
import unicodedata

import phonenumbers

# --- normalising -------------------------------------------------------------------------------------

# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (Persian/Urdu, ۰-۹) digits, written in Arabic posts.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DIGITS)


# --- e-mail addresses --------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# "name at gmail dot com", "name (at) web [dot] de", "name собака mail точка ru", Arabic "نقطة".
_AT = (
    r"(?:\s*[(\[{]\s*(?:at|ät|эт|ат|собака|arobase)\s*[)\]}]\s*"
    r"|\s+(?:at|собака|эт|arobase)\s+|\s*@\s*)"
)
_DOT = (
    r"(?:\s*[(\[{]\s*(?:dot|punkt|point|точка|крапка|nokta|pika|نقطة)\s*[)\]}]\s*"
    r"|\s+(?:dot|punkt|point|точка|крапка|nokta|pika|نقطة)\s+|\s*\.\s*)"
)
_TLD = r"(?:com|net|org|de|ru|ua|tr|al|fr|ma|jo|uk|info|me|io|eu|at|ch|kz|by|mail)"
_MAIL_PROVIDER = (
    r"(?:gmail|googlemail|yahoo|hotmail|outlook|live|gmx|web|yandex|mail|icloud|proton(?:mail)?|"
    r"ukr|aol|t-online|freenet|orange|laposte|free)"
)
_EMAIL_WRITTEN = re.compile(
    rf"[\w.+-]+{_AT}(?:[\w-]+{_DOT}{_TLD}\b|{_MAIL_PROVIDER}\b)",
    re.IGNORECASE,
)

# --- links ---------------------------------------------------------------------------------------------

_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    # A bare domain: a name, a dot and a known top-level domain in lower case, then a path or an end.
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|de|ru|ua|tr|al|fr|ma|jo|info|io|me|eu|"
    r"ly|gg|link|app|su|kz|by)(?![\w-])(?:/\S*)?",
)
_SOCIAL_LINK = re.compile(
    r"\b(?:instagram\.com|instagr\.am|t\.me|telegram\.me|telegram\.dog|wa\.me|chat\.whatsapp\.com|"
    r"snapchat\.com|tiktok\.com|facebook\.com|fb\.com|fb\.me|m\.me|vk\.com|ok\.ru|discord\.gg|"
    r"discord\.com|twitter\.com|x\.com|threads\.net|signal\.me|signal\.group|viber\.com|youtube\.com)",
    re.IGNORECASE,
)

# --- handles -------------------------------------------------------------------------------------------

_HANDLE_AT = re.compile(r"(?<![\w@.+-])@[A-Za-z0-9_][A-Za-z0-9_.]{1,}")
# Platforms and messengers as people write them in the eight languages. Short names (ig, sc, tg, fb,
# vk…) are whole words only: the old rule took "Schule." for the Snapchat name "hule.".
_PLATFORM = (
    r"(?:insta(?:gram)?|inst|ig|snap(?:chat)?|sc|telegram|tg|tik\s?tok|discord|"
    r"whats\s?app|wa|signal|viber|skype|kik|facebook|fb|vk|vkontakte|threema|wechat|twitter|"
    r"инста(?:грам)?|инсту|инст|телеграм[а-я]*|телега|тг|снап(?:чат)?|тик\s?ток|вотсап|ватсап|вацап|"
    r"вайбер|вк|вконтакте|дискорд|інста(?:грам)?|інст|телеграм[а-яіїє]*|вотсап|вайбер|"
    r"انستا|انستغرام|انستقرام|إنستغرام|انستجرام|سناب(?:\s?شات)?|تيك\s?توك|تلغرام|تليجرام|تيليجرام|"
    r"واتساب|واتس|فايبر|فيسبوك|فيس|ديسكورد)"
)
# A handle as written after a platform: letters, digits, _ and inner dots (a full stop after it is not
# part of it).
_HANDLE = r"[^\W_][\w]*(?:\.[\w]+)*"
# Words between the platform and the handle: "my insta is lena_09", "мой тг — lena", "instam: …".
_FILLER = (
    r"(?:\s*(?:[:=]|-|–|—|->|→)\s*|\s+(?:is|ist|est|c'est|это|-|adım|adı|hesabım|është|eshte|هو|"
    r"name|nick|username|ник|ім'я|pseudo|kullanıcı adı)\s*[:=]?\s*|\s+)"
)
# Endings languages attach to a platform's name: Albanian "instagrami", Turkish "Instagram'ım", "insta'm".
_SUFFIX = r"(?:['’-]?[^\W\d_]{1,4})?"
_SOCIAL_NAME = re.compile(
    rf"(?<![\w@.])(?P<platform>{_PLATFORM}){_SUFFIX}(?P<separator>{_FILLER})(?P<at>@?)(?P<handle>{_HANDLE})",
    re.IGNORECASE,
)
# "instagrami im është arber.c07", "my snap name is lena_k": a few words between, then a handle
# with the marks of one (see _marked).
_SOCIAL_NEAR = re.compile(rf"(?<![\w@.])(?:{_PLATFORM}){_SUFFIX}(?P<next>(?:\s+\S+){{1,4}})", re.IGNORECASE)
_EXPLICIT = re.compile(r"[:=→]|->")

# --- phone numbers ---------------------------------------------------------------------------------

# Runs of digits with the separators people put in numbers: "+49 176 123 45 67", "0176-1234567",
# "(0176) 12 34 56", "0049.176.12345". Commas are not separators: "12, 10115 Berlin" is two things.
_NUMBER = re.compile(r"(?<![\w+])(?:\+|00)?\s?\(?\d(?:[\s./()\-–]{0,3}\d)+")
# What is blanked before digits are counted, most certain first. Full dates and times with a colon never
# occur inside a phone number; short dates ("12.05.") and times with a dot ("14.30") only count when no
# digit group stands right before or after them ("0176 12.34.56" stays a number).
_NOT_NUMBERS = [
    re.compile(
        r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d(?!\d)|(?<!\d)(?:19|20)\d\d-\d{1,2}-\d{1,2}(?!\d)"
    ),
    re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)(?!\d)"),  # 2019–2023, 2024/25
    re.compile(r"(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)"),
    re.compile(r"(?<!\d[\s./-])(?<!\d)\d{1,2}[./]\d{1,2}(?:[./]\d{2})?\.?(?![\s./-]?\d)"),
    re.compile(r"(?<!\d[\s./-])(?<!\d)(?:[01]?\d|2[0-3])[.h][0-5]\d(?![\s./-]?\d)"),
    # Prices: "1.250 €", "2 500 ₺", "1.200,50 Euro".
    re.compile(r"(?<!\d)\d{1,3}(?:[.\s]\d{3})+(?:,\d{1,2})?(?=\s*(?:€|euro|eur|₺|tl|lira|руб|грн|\$))", re.I),
    # A house number and a postcode before the town: "Hauptstraße 12, 10115 Berlin", "5 10115 Berlin".
    re.compile(r"(?<!\d)\d{1,4}[a-zA-Z]?,?\s+\d{5}(?=\s+[^\W\d_])"),
]
# Public help lines a post may well recommend: never anyone's private number.
_HELP_LINES = {"116111", "08001110111", "08001110222", "116123", "116117", "112", "110", "08000116016"}
# Words that ask to be called or written to, or name a messenger: then a shorter number is enough.
# Word starts only: "Beruf" and "during" do not ask to be called.
_CALL = re.compile(
    r"(?<!\w)(?:call|ring|text me|phone|number|mobile|cell|tel\b|tel\.|telefon|handy|nummer|ruf|anruf|"
    r"melde dich|schreib|whats\s?app|telegram|viber|signal|"
    r"номер|телефон|звони|позвони|набери|пиши|напиши|дзвони|подзвони|телефонуй|"
    r"numara|numaram|ara\b|arayın|beni ara|yaz bana|bana yaz|"
    r"numri|numrin|telefoni|më thirr|merr në telefon|shkruaj|"
    r"numéro|appelle|tél|portable|écris|"
    r"رقم|اتصل|اتصلي|هاتف|جوال|موبايل|تلفون|كلمني|واتس|فايبر|تلغرام)",
    re.IGNORECASE,
)
_REGIONS = {"ru": "RU", "uk": "UA", "tr": "TR", "ar": "JO", "sq": "AL", "fr": "MA", "en": "GB"}


def _blank_non_numbers(text: str) -> str:
    for pattern in _NOT_NUMBERS:
        text = pattern.sub(lambda match: " " * len(match.group(0)), text)
    return text


def has_phone(text: str, language: str = "de") -> bool:
    asked = bool(_CALL.search(text))
    cleaned = _blank_non_numbers(text)
    for match in _NUMBER.finditer(cleaned):
        run = match.group(0).strip()
        digits = re.sub(r"\D", "", run)
        if digits in _HELP_LINES:
            continue
        international = run.startswith("+") or digits.startswith("00")
        if len(digits) >= 9 or (len(digits) >= 8 and (international or digits.startswith("0"))):
            return True
        if asked and len(digits) >= 6:
            return True
    for region in {"DE", _REGIONS.get(language, "DE")}:
        for match in phonenumbers.PhoneNumberMatcher(cleaned, region, leniency=phonenumbers.Leniency.VALID):
            if re.sub(r"\D", "", match.raw_string) not in _HELP_LINES:
                return True
    return False


def has_email(text: str) -> bool:
    return bool(_EMAIL.search(text) or _EMAIL_WRITTEN.search(text))


def has_social(text: str) -> bool:
    without_mail = _EMAIL.sub(" ", text)
    if _SOCIAL_LINK.search(text) or _URL.search(without_mail) or _HANDLE_AT.search(without_mail):
        return True
    if any(_names_a_handle(match) for match in _SOCIAL_NAME.finditer(without_mail)):
        return True
    for match in _SOCIAL_NEAR.finditer(without_mail):
        if any(_marked(word.strip(".,!?;:()[]\"'«»“”").lstrip("@")) for word in match.group("next").split()):
            return True
    return False


def _names_a_handle(match: re.Match) -> bool:
    """ "snap: lena", "insta @lena", "insta lena_09", "my tg is lena.k"; not "Instagram gelöscht" or
    "I use Telegram every day": a plain word after the platform is a handle only with a separator, an @
    or the marks of a handle."""
    if match.group("at") or _EXPLICIT.search(match.group("separator")):
        return True
    return _marked(match.group("handle"))


def _marked(handle: str) -> bool:
    """Letters with digits ("lena09", not "10b"), an underscore, or an inner dot beside a longer part
    ("lena.k" is, "e.g" and "z.B" are not)."""
    if re.search(r"\d", handle) and len(re.findall(r"[^\W\d_]", handle)) >= 2 and len(handle) >= 4:
        return True
    return "_" in handle or bool(re.search(r"\w{2,}\.\w|\w\.\w{2,}", handle))
