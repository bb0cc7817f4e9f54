"""Public site pages, the .ics feed of office hours and the staff pages for hours and closures."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from hub.roles import Role
from hub.tests.factories import staff_with_totp
from sites import services
from sites.models import Closure, HoursKind, OpeningHours
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    site = SiteFactory(slug="jmd-essen", town="Essen", federal_state="NW", description_de="Wir beraten dich.")
    for weekday in (1, 2, 3):  # Tuesday–Thursday
        OpeningHours.objects.create(
            site=site, kind=HoursKind.ON_SITE, weekday=weekday, opens=time(10), closes=time(16)
        )
    return site


def at(year, month, day, hour, minute=0):
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Berlin"))


def test_site_page_says_open_now(client, site, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 11, 24, 11))  # a Tuesday
    body = client.get("/en/sites/jmd-essen/").content.decode()
    assert "Open now" in body
    assert "until 16:00" in body


def test_site_page_says_when_it_opens_next(client, site, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 11, 26, 17))  # Thursday evening
    body = client.get("/en/sites/jmd-essen/").content.decode()
    assert "opens Tuesday 10:00" in body
    assert "German time" in body
    assert 'datetime="2026-12-01T10:00:00+01:00"' in body


def test_site_page_skips_a_closure(client, site, monkeypatch):
    Closure.objects.create(
        site=site, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 1), reason="Teamtag"
    )
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 11, 26, 17))
    body = client.get("/en/sites/jmd-essen/").content.decode()
    assert "opens Wednesday 10:00" in body
    assert "Teamtag" in body


def test_site_texts_fall_back_to_german(client, site):
    assert "Wir beraten dich." in client.get("/ar/sites/jmd-essen/").content.decode()
    site.description_ar = "نحن ننصحك."
    site.save()
    assert "نحن ننصحك." in client.get("/ar/sites/jmd-essen/").content.decode()


def test_unknown_site_is_404(client):
    assert client.get("/de/sites/nowhere/").status_code == 404


def test_ics_feed_lists_openings_without_holidays(client, site, monkeypatch):
    # 24 Dec 2026 is a Thursday, but 25/26 Dec and 1 Jan are holidays in every state: no events then.
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 12, 20, 8))
    response = client.get("/de/sites/jmd-essen/hours.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART:20261222T090000Z" in body  # Tuesday 22 Dec, 10:00 Berlin
    assert "DTSTART:20261224T090000Z" in body
    assert "20261225T" not in body


def lead_of(site):
    user = staff_with_totp(username=f"lead_{site.slug}", roles=[Role.SITE_LEAD])
    services.site_lead_grant(user=user, site=site)
    return user


def schedule_post(**overrides):
    data = {
        "hours-TOTAL_FORMS": "1",
        "hours-INITIAL_FORMS": "0",
        "hours-0-kind": "online",
        "hours-0-weekday": "0",
        "hours-0-opens": "09:00",
        "hours-0-closes": "17:00",
        "closures-TOTAL_FORMS": "1",
        "closures-INITIAL_FORMS": "0",
        "closures-0-starts_on": "2026-12-28",
        "closures-0-ends_on": "2026-12-31",
        "closures-0-reason": "Winterpause",
    }
    return {**data, **overrides}


def test_site_lead_edits_hours_and_closures(client, site):
    client.force_login(lead_of(site))
    response = client.post("/de/staff/sites/jmd-essen/hours/", schedule_post())
    assert response.status_code == 302
    assert site.hours.filter(kind="online", weekday=0, opens=time(9)).exists()
    assert site.closures.get().reason == "Winterpause"


def test_bad_hours_are_refused_and_nothing_is_saved(client, site):
    client.force_login(lead_of(site))
    response = client.post(
        "/en/staff/sites/jmd-essen/hours/",
        schedule_post(**{"hours-0-closes": "08:00", "closures-0-reason": "Kept"}),
    )
    assert response.status_code == 200
    assert "The closing time must be after the opening time." in response.content.decode()
    assert 'value="Kept"' in response.content.decode()
    assert not site.closures.exists()
    assert not site.hours.filter(kind="online").exists()


def test_site_lead_of_a_gets_403_on_every_editing_page_of_b(client, site):
    other = SiteFactory(slug="jmd-dresden", town="Dresden")
    client.force_login(lead_of(other))
    for path in ["/de/staff/sites/jmd-essen/", "/de/staff/sites/jmd-essen/hours/"]:
        assert client.get(path).status_code == 403
        assert client.post(path, schedule_post()).status_code == 403
    assert not site.closures.exists()


def test_a_form_claiming_a_huge_number_of_rows_is_refused_without_building_them(client, site):
    """A row count past max_num is refused (validate_max) and no more than max_num rows are built to show
    the error: the fuzz's hours-TOTAL_FORMS=99999999999999999999 made Django build and render 1,060."""
    from sites.forms import HoursFormSet

    data = schedule_post(**{"hours-TOTAL_FORMS": "99999999999999999999"})
    hours = HoursFormSet(data, instance=site, prefix="hours")
    assert not hours.is_valid()
    assert len(hours.forms) == 60
    client.force_login(lead_of(site))
    response = client.post("/en/staff/sites/jmd-essen/hours/", data)
    assert response.status_code == 200
    assert "Please submit at most 60 forms." in response.content.decode()
    assert not site.closures.exists()


def test_every_formset_of_the_apps_builds_no_more_rows_than_it_accepts():
    """Every formset class defined in the apps' forms modules (found, not listed) caps the rows it builds
    at the rows it accepts, so no formset can be made to build a thousand rows by one request."""
    import importlib
    import inspect

    from django.apps import apps
    from django.conf import settings
    from django.forms import BaseFormSet

    found = []
    for config in apps.get_app_configs():
        if config.name not in settings.PORTAL_APPS:
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseFormSet) and hasattr(
                value, "form"
            ):  # made by a factory, not a base class
                found.append(value)
                assert value.absolute_max == value.max_num, value
    assert len(found) >= 3  # hours, closures, group sessions
