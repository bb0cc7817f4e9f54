"""Dates as each language writes them (hub/dates.py), and the guard that keeps fixed patterns out.

The expected strings are written by hand from CLDR (not computed by the code under test): Russian and
Ukrainian months in the genitive after a day number, Turkish day-month-weekday order, British English
day-month order with the 24-hour clock, Albanian and Arabic 12-hour time with their own markers."""

import os
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel import dates as babel_dates
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from hub import dates
from hub.dates import BABEL_LOCALES, FORMS, babel_locale, format_when, when_formatter

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday, 9 December 2026, 16:05 German time – given in UTC to prove the conversion.
MOMENT = datetime(2026, 12, 9, 15, 5, tzinfo=UTC)
NNBSP = "\u202f"  # CLDR's narrow no-break space (before "г." / "р." and Albanian "m.d.")
RLM = "\u200f"  # CLDR's right-to-left mark between the parts of a numeric Arabic date

EXPECTED = {
    "de": {
        "date": "09.12.2026",
        "date_long": "9. Dezember 2026",
        "weekday_date": "Mittwoch, 9. Dezember",
        "time": "16:05",
        "datetime": "09.12.2026, 16:05",
        "weekday_datetime": "Mittwoch, 9. Dezember, 16:05",
        "weekday_datetime_short": "Mi., 9. Dez., 16:05",
        "date_full_time": "Mittwoch, 9. Dezember 2026, 16:05",
    },
    "en": {
        "date": "9 Dec 2026",
        "date_long": "9 December 2026",
        "weekday_date": "Wednesday 9 December",
        "time": "16:05",
        "datetime": "9 Dec 2026, 16:05",
        "weekday_datetime": "Wednesday 9 December, 16:05",
        "weekday_datetime_short": "Wed 9 Dec, 16:05",
        "date_full_time": "Wednesday, 9 December 2026, 16:05",
    },
    "ar": {
        "date": f"09{RLM}/12{RLM}/2026",
        "date_long": "9 ديسمبر 2026",
        "weekday_date": "الأربعاء، 9 ديسمبر",
        "time": "4:05 م",
        "datetime": f"09{RLM}/12{RLM}/2026، 4:05 م",
        "weekday_datetime": "الأربعاء، 9 ديسمبر، 4:05 م",
        "weekday_datetime_short": "الأربعاء، 9 ديسمبر، 4:05 م",
        "date_full_time": "الأربعاء، 9 ديسمبر 2026، 4:05 م",
    },
    "ru": {
        "date": f"9 дек. 2026{NNBSP}г.",
        "date_long": f"9 декабря 2026{NNBSP}г.",
        "weekday_date": "среда, 9 декабря",
        "time": "16:05",
        "datetime": f"9 дек. 2026{NNBSP}г., 16:05",
        "weekday_datetime": "среда, 9 декабря, 16:05",
        "weekday_datetime_short": "ср, 9 дек., 16:05",
        "date_full_time": f"среда, 9 декабря 2026{NNBSP}г., 16:05",
    },
    "tr": {
        "date": "9 Ara 2026",
        "date_long": "9 Aralık 2026",
        "weekday_date": "9 Aralık Çarşamba",
        "time": "16:05",
        "datetime": "9 Ara 2026 16:05",
        "weekday_datetime": "9 Aralık Çarşamba 16:05",
        "weekday_datetime_short": "9 Ara Çar 16:05",
        "date_full_time": "9 Aralık 2026 Çarşamba 16:05",
    },
    "sq": {
        "date": "9 dhj 2026",
        "date_long": "9 dhjetor 2026",
        "weekday_date": "e mërkurë, 9 dhjetor",
        "time": f"4:05{NNBSP}m.d.",
        "datetime": f"9 dhj 2026, 4:05{NNBSP}m.d.",
        "weekday_datetime": f"e mërkurë, 9 dhjetor, 4:05{NNBSP}m.d.",
        "weekday_datetime_short": f"mër, 9 dhj, 4:05{NNBSP}m.d.",
        "date_full_time": f"e mërkurë, 9 dhjetor 2026, 4:05{NNBSP}m.d.",
    },
    "uk": {
        "date": f"9 груд. 2026{NNBSP}р.",
        "date_long": f"9 грудня 2026{NNBSP}р.",
        "weekday_date": "середа, 9 грудня",
        "time": "16:05",
        "datetime": f"9 груд. 2026{NNBSP}р., 16:05",
        "weekday_datetime": "середа, 9 грудня, 16:05",
        "weekday_datetime_short": "ср, 9 груд., 16:05",
        "date_full_time": f"середа, 9 грудня 2026{NNBSP}р., 16:05",
    },
    "fr": {
        "date": "9 déc. 2026",
        "date_long": "9 décembre 2026",
        "weekday_date": "mercredi 9 décembre",
        "time": "16:05",
        "datetime": "9 déc. 2026, 16:05",
        "weekday_datetime": "mercredi 9 décembre, 16:05",
        "weekday_datetime_short": "mer. 9 déc., 16:05",
        "date_full_time": "mercredi 9 décembre 2026, 16:05",
    },
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_every_portal_language_has_its_expected_forms():
    assert set(EXPECTED) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", sorted(EXPECTED["de"]))
def test_each_form_reads_as_the_language_writes_it_in_german_time(language, form):
    assert format_when(MOMENT, form, language=language) == EXPECTED[language][form]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", sorted(EXPECTED["de"]))
def test_a_pages_formatter_writes_what_format_when_writes(language, form):
    """when_formatter (a page's many dates, its look-ups made once) in the active language and German
    time, summer and winter."""
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    with translation.override(language):
        formatted = when_formatter(form)
        assert formatted(MOMENT) == EXPECTED[language][form]
        assert formatted(summer) == format_when(summer, form)
    with pytest.raises(ValueError, match="unknown date form"):
        when_formatter("l, j. F")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_filter_uses_the_active_language(language):
    template = Template('{% load dates %}{{ moment|when:"weekday_datetime" }}|{{ moment|when }}')
    with translation.override(language):
        rendered = template.render(Context({"moment": MOMENT}, autoescape=False))
    assert rendered == f"{EXPECTED[language]['weekday_datetime']}|{EXPECTED[language]['datetime']}"


def test_dates_and_times_without_a_zone_are_formatted_as_they_are():
    assert format_when(date(2026, 12, 9), "date_long", language="ru") == f"9 декабря 2026{NNBSP}г."
    assert format_when(date(2026, 12, 9), "weekday", language="uk") == "середа"
    assert format_when(time(9, 30), "time", language="ar") == "9:30 ص"
    assert format_when(time(9, 30), "time", language="en") == "09:30"
    assert format_when(datetime(2026, 12, 9, 16, 5, tzinfo=BERLIN), "time", language="de") == "16:05"


def test_a_day_asked_for_with_its_time_gives_the_day_and_a_non_date_gives_nothing():
    assert format_when(date(2026, 12, 9), "weekday_datetime", language="ru") == "среда, 9 декабря"
    assert Template('{% load dates %}[{{ text|when:"date" }}]').render(Context({"text": "soon"})) == "[]"


def test_summer_time_is_shown_in_german_summer_time():
    assert format_when(datetime(2026, 7, 1, 8, 0, tzinfo=UTC), "time", language="de") == "10:00"


def test_nothing_gives_nothing_and_an_unknown_form_fails_loudly():
    assert format_when(None, "datetime") == ""
    assert Template('{% load dates %}{{ missing|when:"date" }}').render(Context({})) == ""
    with pytest.raises(ValueError, match="unknown date form"):
        format_when(MOMENT, "l, j. F")


def test_english_is_british_and_an_unknown_language_falls_back_to_german():
    assert babel_locale("en") == "en_GB"
    assert babel_locale("kk") == babel_locale("de") == "de_DE"


def test_every_named_form_formats_in_every_language():
    for language in LANGUAGES:
        for form in FORMS:
            assert format_when(MOMENT, form, language=language)


def _a_year_of_moments():
    """Every day of a year at a changing hour, minute and second (so every month, weekday, day, hour and
    am/pm, minute and second of the clock comes up), and years around 2000 and 2100 (two-digit years)."""
    start = datetime(2026, 1, 1, 0, 0, 0, tzinfo=BERLIN)
    moments = [
        start + timedelta(days=day, hours=day % 24, minutes=day * 7 % 60, seconds=day % 60)
        for day in range(366)
    ]
    return moments + [datetime(year, 3, 1, 12, 0, tzinfo=BERLIN) for year in (1999, 2000, 2009, 2099, 2100)]


@pytest.mark.parametrize("locale_name", sorted(set(BABEL_LOCALES.values())))
def test_the_compiled_forms_write_exactly_what_babel_writes(locale_name):
    """CompiledPattern keeps each field's text per value of what it reads: over a year of moments, every
    form in every locale gives Babel's own result, for datetimes, days and times of day."""
    locale = dates._locale(locale_name)
    for form in FORMS:
        pattern = dates._pattern(form, locale_name)
        compiled, babel = dates.CompiledPattern(pattern, locale), babel_dates.parse_pattern(pattern)
        kind = FORMS[form][0]
        for moment in _a_year_of_moments():
            values = [moment]
            if kind == "time":
                values.append(moment.time())
            elif kind != "combined":  # a day's forms (format_when gives a day the date part of the others)
                values.append(moment.date())
            for value in values:
                assert compiled(value) == babel.apply(value, locale), (form, locale_name, value)


def test_a_page_of_dates_asks_babel_once_per_field_value(monkeypatch):
    """Fifty lines of one afternoon: Babel formats the day, month, year and hour once and each minute
    once, not every field of every line (250 field formats)."""
    calls = []
    original = babel_dates.DateTimeFormat.__getitem__
    monkeypatch.setattr(
        babel_dates.DateTimeFormat,
        "__getitem__",
        lambda self, name: calls.append(name) or original(self, name),
    )
    dates._compiled.cache_clear()
    formatted = when_formatter("datetime", language="de")  # 09.12.2026, 16:05: five fields
    lines = [formatted(MOMENT + timedelta(minutes=minute)) for minute in range(50)]
    assert lines[0] == "09.12.2026, 16:05" and lines[-1] == "09.12.2026, 16:54"
    assert len(calls) == 4 + 50


# --- The guard: no template or user-facing Python goes back to a fixed pattern --------------------------

ROOT = Path(settings.BASE_DIR)
# Machine formats only: the agenda's ?from= parameter (ISO for <time datetime> is `|iso`, hub.dates.iso).
ALLOWED_TEMPLATE_PATTERNS = {"|date:'Y-m-d'", '|date:"Y-m-d"'}
TEMPLATE_DATE_FILTER = re.compile(r"""\|(?:date|time)\b(?::(?:"[^"]*"|'[^']*'))?""")
PYTHON_FIXED_PATTERN = re.compile(r"strftime\(|date_format\(|dateformat\.format\(|time_format\(")
# Python that formats for machines (iCalendar stamps) or only in tests.
ALLOWED_PYTHON = {"sites/ics.py"}


SKIPPED_AT_TOP = {".venv", "node_modules", "var", "locale", ".git", "static"}


def _project_files(suffixes):
    # Pruned while walking: a walk of everything (the virtual environment's tens of thousands of files
    # included) took seconds per guard.
    for directory, subdirectories, files in os.walk(ROOT):
        here = Path(directory)
        subdirectories[:] = [
            name
            for name in subdirectories
            if name != "tests" and not (here == ROOT and (name in SKIPPED_AT_TOP or name.startswith(".")))
        ]
        for name in files:
            if os.path.splitext(name)[1] in suffixes:
                yield here / name


def test_no_template_formats_a_date_with_a_fixed_pattern():
    found = []
    for path in _project_files({".html", ".txt"}):
        for match in TEMPLATE_DATE_FILTER.finditer(path.read_text(encoding="utf-8", errors="ignore")):
            if match[0] not in ALLOWED_TEMPLATE_PATTERNS:
                found.append(f"{path.relative_to(ROOT)}: {match[0]}")
    assert not found, (
        "use {% load dates %}{{ value|when:'<form>' }}, for <time datetime> {{ value|iso }} (hub/dates.py):\n"
        + "\n".join(found)
    )


def test_no_python_formats_a_date_for_people_with_a_fixed_pattern():
    found = []
    for path in _project_files({".py"}):
        relative = str(path.relative_to(ROOT))
        if relative in ALLOWED_PYTHON or "migrations" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PYTHON_FIXED_PATTERN.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "use hub.dates.format_when:\n" + "\n".join(found)


def test_the_guard_sees_a_fixed_pattern():
    assert TEMPLATE_DATE_FILTER.search('{{ x|date:"l, j. F" }}')[0] == '|date:"l, j. F"'
    assert TEMPLATE_DATE_FILTER.search("{{ x|date }}")[0] == "|date"
    assert TEMPLATE_DATE_FILTER.search('{{ x|time:"H:i" }}')[0] not in ALLOWED_TEMPLATE_PATTERNS
    assert PYTHON_FIXED_PATTERN.search('formats.date_format(value, "DATE_FORMAT")')
    assert not TEMPLATE_DATE_FILTER.search("{{ x|timesince:now }}")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "Asia/Kolkata"])
def test_iso_writes_what_the_date_filter_c_wrote(zone):
    """`|iso` (hub.dates.iso) stands in for Django's `|date:'c'` in every template: the same text for
    aware and naive datetimes (an aware one in the current time zone), dates, times of day, and nothing
    for text or None."""
    from django.template import engines

    django_c = engines["django"].from_string("{{ value|date:'c' }}")
    ours = engines["django"].from_string("{% load dates %}{{ value|iso }}")
    values = [
        MOMENT,
        MOMENT.replace(microsecond=123456),
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night the clocks change in Berlin
        datetime(2026, 12, 9, 16, 5),  # noqa: DTZ001 - naive: as it is
        date(2026, 12, 9),
        time(16, 5),
        "2026-12-09",
        None,
        "",
    ]
    with timezone.override(zone):
        for value in values:
            assert ours.render({"value": value}) == django_c.render({"value": value}), value
