"""Dates and times as each language writes them: the one owner of every date a person reads.

Django's `date` filter with a fixed pattern ("l, j. F") writes German order and German punctuation in
every language and puts Russian and Ukrainian months in the wrong case ("до Среда, 9. Декабрь"). Here a
small set of named forms is formatted by the locale's own CLDR patterns (Babel), in the portal's time
zone (Europe/Berlin; pages say "German time" beside it):

    format_when(case.answer_due_at, "weekday_datetime")   # ru: "среда, 9 декабря, 16:05"
    {% load dates %}{{ case.answer_due_at|when:"weekday_datetime" }}

Templates, mails, PDFs and messages all go through `format_when`; machine formats (ISO in
`<time datetime>`, CSV columns, iCalendar) stay ISO and do not come here. The result is plain text, so a
template may wrap it (`<time>`, `<bdi>`) as the surrounding text needs.
"""

import datetime as dt
import re
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from django.conf import settings
from django.utils import timezone, translation

# Django language code -> CLDR locale. English is British English: the service is in Germany, its
# readers expect day-month order and the 24-hour clock ("Wednesday 9 December, 16:05"), not "12/9/26,
# 4:05 PM". Arabic is CLDR `ar`, whose default digits are Latin ("9 ديسمبر") – what Arabic readers in
# Germany and the Maghreb read, and what the phone numbers and postcodes beside it use.
BABEL_LOCALES = {
    "de": "de_DE",
    "en": "en_GB",
    "ar": "ar",
    "ru": "ru_RU",
    "tr": "tr_TR",
    "sq": "sq_AL",
    "uk": "uk_UA",
    "fr": "fr_FR",
}

# The named forms. ("date", width) / ("time", width): CLDR's standard date/time formats;
# ("skeleton", s): CLDR's best pattern for those fields (with the weekday widened to its full name, as
# ICU's pattern generator does); ("pattern", p): a CLDR pattern that is the same in every locale;
# ("combined", date form, time form): both, joined by the locale's own date-time glue.
FORMS = {
    "date": ("date", "medium"),  # 09.12.2026 · 9 Dec 2026 · 9 дек. 2026 г.
    "date_long": ("date", "long"),  # 9. Dezember 2026 · 9 декабря 2026 г.
    "date_full": ("date", "full"),  # Mittwoch, 9. Dezember 2026
    "day_month": ("skeleton", "Md"),  # 9.12. · 09/12 (chart axes)
    "weekday": ("pattern", "cccc"),  # Mittwoch · среда
    "weekday_date": ("skeleton", "MMMMEEEEd"),  # Mittwoch, 9. Dezember · среда, 9 декабря
    "weekday_date_short": ("skeleton", "MMMEd"),  # Mi., 9. Dez. · ср, 9 дек.
    "weekday_date_numeric": ("skeleton", "yMEd"),  # Mi., 9.12.2026
    "time": ("time", "short"),  # 16:05 · 4:05 م
    "datetime": ("combined", "date", "time"),  # 09.12.2026, 16:05
    "weekday_datetime": ("combined", "weekday_date", "time"),  # Mittwoch, 9. Dezember, 16:05
    "weekday_datetime_short": ("combined", "weekday_date_short", "time"),  # Mi., 9. Dez., 16:05
    "date_full_time": ("combined", "date_full", "time"),  # Mittwoch, 9. Dezember 2026, 16:05
}

_WEEKDAY_FIELD = re.compile(r"E+|c+")


def babel_locale(language: str | None = None) -> str:
    """The CLDR locale for a Django language code (the active language when none is given)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return BABEL_LOCALES.get(code, BABEL_LOCALES[settings.LANGUAGE_CODE])


def iso(value) -> str:
    """The machine's form, for `<time datetime>`: ISO 8601, an aware datetime in the current time zone;
    what Django's `|date:'c'` writes, without its formatter (~25 µs a date to set up). Text or None
    gives "" (as there)."""
    if not isinstance(value, dt.date | dt.time):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def format_when(value, form: str = "datetime", *, language: str | None = None) -> str:
    """`value` (datetime, date or time) in the named form, in `language` (default: the active one).
    Aware datetimes are shown in the current time zone (Europe/Berlin); None gives ""."""
    if value is None or value == "":
        return ""
    if form not in FORMS:
        raise ValueError(f"unknown date form {form!r}; use one of {', '.join(FORMS)}")
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime) and FORMS[form][0] == "combined":
        form = FORMS[form][1]  # a day has no time: "datetime" of a DateField is its date part
    return _compiled(form, babel_locale(language))(value)


def when_formatter(form: str = "datetime", *, language: str | None = None):
    """`format_when` for the many aware datetimes of one page (a conversation's lines): the locale, the
    pattern and the time zone are looked up once, not for each value (they were half the cost of a
    line of the young person's case page)."""
    if form not in FORMS:
        raise ValueError(f"unknown date form {form!r}; use one of {', '.join(FORMS)}")
    compiled, zone = _compiled(form, babel_locale(language)), timezone.get_current_timezone()

    def formatted(value: dt.datetime) -> str:
        return compiled(value.astimezone(zone))

    return formatted


# What each CLDR field reads of a value (babel.dates.DateTimeFormat.__getitem__). For one locale and
# width a field's text depends on that alone, so CompiledPattern asks Babel once per value of it. Fields
# not listed (week-based years, week numbers, time zones, flexible day periods, …) read more than one
# part, or the zone: Babel formats them every time.
_FIELD_READS = {
    "G": lambda value: value.year,  # the era
    "y": lambda value: value.year,
    "M": lambda value: value.month,
    "L": lambda value: value.month,
    "d": lambda value: value.day,
    "E": lambda value: value.weekday(),
    "e": lambda value: value.weekday(),
    "c": lambda value: value.weekday(),
    "a": lambda value: value.hour,  # am/pm
    "h": lambda value: value.hour,
    "H": lambda value: value.hour,
    "K": lambda value: value.hour,
    "k": lambda value: value.hour,
    "m": lambda value: value.minute,
    "s": lambda value: value.second,
}
_FIELD_NAME = re.compile(r"%\((\w+)\)s")


class CompiledPattern:
    """`babel_dates.parse_pattern(pattern).apply(value, locale)`, with each field's text kept per value of
    what it reads: the month's name once per month, the day's number once per day, and so on. A page of
    many dates (a conversation, the staff inbox) formatted each through Babel's field dispatch, 4.5–9.2 µs
    a date; here a date is a few dictionary look-ups, 1.8–2.5 µs. The texts are Babel's own, so every language
    reads exactly as before (hub/tests/test_dates.py compares the two over every form and language)."""

    MAX_TEXTS = 4096  # a field has at most a few dozen values a year; the bound is for long-running processes

    def __init__(self, pattern: str, locale: Locale):
        parsed = babel_dates.parse_pattern(pattern)
        self.format, self.locale, self.texts = parsed.format, locale, {}
        names = dict.fromkeys(_FIELD_NAME.findall(parsed.format))  # in order, each once
        self.fields = [(name, _FIELD_READS.get(name[0])) for name in names]

    def __call__(self, value) -> str:
        texts, parts, babel = self.texts, {}, None
        for name, reads in self.fields:
            if reads is None:
                babel = babel or babel_dates.DateTimeFormat(value, self.locale)
                parts[name] = babel[name]
                continue
            key = (name, reads(value))
            text = texts.get(key)
            if text is None:
                if len(texts) >= self.MAX_TEXTS:
                    texts.clear()
                text = texts[key] = babel_dates.DateTimeFormat(value, self.locale)[name]
            parts[name] = text
        return self.format % parts


@lru_cache(maxsize=256)
def _compiled(form: str, locale_name: str) -> CompiledPattern:
    return CompiledPattern(_pattern(form, locale_name), _locale(locale_name))


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    # Parsed once per process: Locale.parse took as long as the formatting itself (50 dates a page).
    return Locale.parse(name)


@lru_cache(maxsize=256)
def _pattern(form: str, locale_name: str) -> str:
    locale = Locale.parse(locale_name)
    kind, *args = FORMS[form]
    if kind == "date":
        return locale.date_formats[args[0]].pattern
    if kind == "time":
        return locale.time_formats[args[0]].pattern
    if kind == "pattern":
        return args[0]
    if kind == "skeleton":
        return _skeleton_pattern(args[0], locale)
    date_part, time_part = (_pattern(name, locale_name) for name in args)
    return locale.datetime_formats["medium"].replace("{1}", date_part).replace("{0}", time_part)


def _skeleton_pattern(skeleton: str, locale: Locale) -> str:
    key = babel_dates.match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    pattern = locale.datetime_skeletons[key].pattern
    if "EEEE" in skeleton and "EEEE" not in key:
        # CLDR lists "E, d. MMMM" for both; the full weekday is the same pattern with the wide name.
        pattern = _outside_quotes(pattern, lambda part: _WEEKDAY_FIELD.sub(lambda m: m[0][0] * 4, part))
    return pattern


def _outside_quotes(pattern: str, change) -> str:
    # Quoted text is literal ("'г'." in Russian, "'um'" in German) and must not be touched.
    parts = pattern.split("'")
    return "'".join(change(part) if index % 2 == 0 else part for index, part in enumerate(parts))
