"""Every date-bearing page and mail, in every language, shows its dates in the locale's CLDR form.

The clock stands still on Monday, 7 December 2026; everything that has a time is put at Wednesday,
9 December 2026, 16:05 German time, whose expected spelling per language and form is written by hand in
hub/tests/test_dates.py (EXPECTED). The acceptance point of issue 18: the answer-by time on the ask
confirmation reads right in all eight languages."""

import html
import io
import uuid
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from counseling import callbacks, rounds
from counseling.models import Case
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from hub.tests.test_dates import EXPECTED
from learning.tests.factories import CertificateFactory
from sites.models import Appointment
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 7, 16, 5, tzinfo=BERLIN)  # a Monday afternoon
MOMENT = datetime(2026, 12, 9, 16, 5, tzinfo=BERLIN)  # Wednesday: 48 working hours later
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def counselor_of_every_language(db):
    return counselor_with_profile("counselor_dates", languages=LANGUAGES)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _translated(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return translation.gettext(msgid) % values


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ask_confirmation_says_the_answer_by_time_as_the_language_writes_it(
    client, frozen_clock, counselor_of_every_language, language
):
    client.force_login(UserFactory(username=f"asker_{language}", roles=[Role.YOUTH]))
    data = {"topic": "work", "language": language, "postcode": "", "body": "Wie finde ich eine Ausbildung?"}
    response = client.post(f"/{language}/ask/", data | {"idempotency_key": str(uuid.uuid4())}, follow=True)
    assert response.status_code == 200
    assert Case.objects.get().answer_due_at == MOMENT  # the real answer clock: 48 working hours
    due = EXPECTED[language]["weekday_datetime"]
    page = html.unescape(response.content.decode())
    assert _translated(language, "You will get an answer by %(due)s", due=due) in page
    assert f'datetime="{MOMENT.isoformat()}"' in page  # the machine-readable form beside it stays ISO


@pytest.fixture
def world(frozen_clock, counselor_of_every_language):
    """One of everything that carries a date, all at MOMENT."""
    counselor = counselor_of_every_language
    youth = UserFactory(username="amira_dates", roles=[Role.YOUTH])
    case = assign_to(make_case(youth=youth, language="de"), counselor)
    Case.objects.filter(pk=case.pk).update(answer_due_at=MOMENT, last_message_at=MOMENT, created_at=MOMENT)
    callback = callbacks.callback_request(
        youth=UserFactory(username="caller_dates", roles=[Role.YOUTH]),
        phone_e164="+491761234567",
        language="de",
        topic="work",
        slots=[MOMENT, MOMENT + timedelta(days=1)],
    )
    chat_round = rounds.round_schedule(
        moderator=counselor, title="Wohnung", topic="housing", language="de", starts_at=MOMENT,
        ends_at=MOMENT + timedelta(hours=1),
    )  # fmt: skip
    appointment = Appointment.objects.create(
        site=SiteFactory(), youth=youth, mode="on_site", language="de", starts_at=MOMENT,
        ends_at=MOMENT + timedelta(minutes=45), idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    certificate = CertificateFactory(user=counselor, issued_at=MOMENT)
    return {
        "counselor": counselor,
        "youth": youth,
        "case": Case.objects.get(pk=case.pk),
        "callback": callback,
        "round": chat_round,
        "appointment": appointment,
        "certificate": certificate,
    }


# (page, who reads it, the form it shows MOMENT in)
PAGES = [
    ("youth case page", "youth", lambda w: f"/cases/{w['case'].public_id}/", "weekday_datetime"),
    ("youth case list", "youth", lambda w: "/cases/", "weekday_datetime_short"),
    ("staff case page", "counselor", lambda w: f"/staff/cases/{w['case'].public_id}/", "datetime"),
    ("staff inbox", "counselor", lambda w: "/staff/cases/", "datetime"),
    ("callback on the youth's case page", "caller", lambda w: f"/cases/{w['callback'].case.public_id}/",
     "weekday_datetime"),
    ("staff callbacks", "counselor", lambda w: "/staff/cases/callbacks/", "weekday_datetime_short"),
    ("chat rounds", "youth", lambda w: "/rounds/", "weekday_datetime"),
    ("appointment", "youth", lambda w: f"/sites/appointments/{w['appointment'].public_id}/",
     "date_full_time"),
    ("my bookings", "youth", lambda w: "/sites/mine/", "weekday_datetime_short"),
    ("certificate check", "anyone", lambda w: f"/certificates/{w['certificate'].code}/", "date_long"),
]  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_date_bearing_page_shows_the_locales_form(client, world, language):
    people = {
        "youth": world["youth"],
        "counselor": world["counselor"],
        "caller": world["callback"].case.youth,
    }
    wrong = []
    for name, reader, url, form in PAGES:
        client.logout()
        if reader in people:
            client.force_login(people[reader])
        if EXPECTED[language][form] not in _page(client, f"/{language}{url(world)}"):
            wrong.append(f"{name}: no {EXPECTED[language][form]!r} ({form})")
    assert not wrong, wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_export_page_shows_dates_in_the_language(client, world, language):
    client.force_login(world["youth"])
    response = client.post(f"/{language}/me/data/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    page = html.unescape(archive.read("index.html").decode())
    assert EXPECTED[language]["datetime"] in page  # the case's opening
    assert f'"exported_at": "{NOW.isoformat()}"' in archive.read("data.json").decode()  # stays ISO


@pytest.mark.parametrize("language", LANGUAGES)
def test_mails_show_dates_in_the_readers_language(world, language):
    with translation.override(language):
        appointment_mail = render_to_string(
            "sites/mail/appointment.txt",
            {"appointment": world["appointment"], "event": "booked", "link": "-"},
        )
        staff_mail = render_to_string(
            "counseling/mail/staff_reminder.txt", {"case": world["case"], "link": "-"}
        )
    expected = EXPECTED[language]["date_full_time"]
    assert expected in html.unescape(appointment_mail)
    due_sentence = "a young person is waiting for your answer. It is due by %(due)s (German time)."
    assert _translated(language, due_sentence, due=expected) in html.unescape(staff_mail)
