"""The staff idle timeout's warning and keep-alive (hub/staff_session.py): background requests are not
activity, "Stay signed in" starts the idle time anew, and after the timeout a POST leads back (through the
login) to the page the form was on, not to its POST-only action."""

import time

import pytest

from counseling.tests.factories import assign_to, counselor_with_profile, make_case

pytestmark = pytest.mark.django_db
BACKGROUND = {"HTTP_X_HUB_BACKGROUND": "1"}


def _idle_for(client, seconds):
    session = client.session
    session["hub.last_seen"] = time.time() - seconds
    session.save()


def test_staff_pages_carry_the_warning_with_the_time_left(client, counselor, settings):
    client.force_login(counselor)
    page = client.get("/de/staff/").content.decode()
    assert "data-session-timeout" in page
    assert f'data-warn-before="{settings.STAFF_IDLE_WARNING_SECONDS}"' in page
    _idle_for(client, 10 * 60)
    left = client.get("/de/staff/session/", **BACKGROUND).json()["seconds_left"]
    assert 19 * 60 <= left <= 20 * 60


def test_youth_pages_have_no_timeout_warning(client, youth):
    client.force_login(youth)
    assert "data-session-timeout" not in client.get("/de/me/").content.decode()


def test_background_requests_do_not_keep_the_session_alive(client, counselor):
    client.force_login(counselor)
    _idle_for(client, 25 * 60)
    assert client.get("/de/staff/cases/chats/?part=list", **BACKGROUND).status_code in {200, 403}
    assert client.get("/de/staff/session/", **BACKGROUND).json()["seconds_left"] <= 5 * 60
    _idle_for(client, 31 * 60)
    response = client.get("/de/staff/session/", **BACKGROUND)
    assert response.status_code == 401  # the page goes to the login itself
    assert "_auth_user_id" not in client.session


def test_stay_signed_in_starts_the_idle_time_anew(client, counselor, settings):
    client.force_login(counselor)
    _idle_for(client, 29 * 60)
    response = client.post("/de/staff/session/", HTTP_ACCEPT="application/json", **BACKGROUND)
    assert response.json()["seconds_left"] == settings.STAFF_IDLE_TIMEOUT_SECONDS
    _idle_for(client, 29 * 60)
    # Without JavaScript the form posts and comes back to the page it was on.
    response = client.post("/de/staff/session/", HTTP_REFERER="http://testserver/de/staff/cases/")
    assert response.status_code == 302 and response.url == "/de/staff/cases/"
    assert client.get("/de/staff/session/", **BACKGROUND).json()["seconds_left"] > 29 * 60


def test_keep_alive_is_for_signed_in_staff_only(client, youth):
    response = client.post("/de/staff/session/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(youth)
    assert client.post("/de/staff/session/").status_code == 403


def test_a_reply_sent_after_the_timeout_leads_back_to_the_case_page_not_to_a_405(client):
    counselor = counselor_with_profile("counselor_idle", ["de"])
    case = assign_to(make_case(), counselor)
    case_page = f"/de/staff/cases/{case.public_id}/"
    client.force_login(counselor)
    _idle_for(client, 31 * 60)
    response = client.post(
        f"{case_page}reply/", {"body": "Hallo"}, HTTP_REFERER=f"http://testserver{case_page}"
    )
    assert response.status_code == 302
    assert response.url == f"/de/accounts/login/?next={case_page}"
    # Once the session is gone altogether (its cookie expired), the same holds.
    response = client.post(
        f"{case_page}reply/", {"body": "Hallo"}, HTTP_REFERER=f"http://testserver{case_page}"
    )
    assert response.url == f"/de/accounts/login/?next={case_page}"
    # A Referer from another site is not followed.
    response = client.post(f"{case_page}reply/", {"body": "Hallo"}, HTTP_REFERER="https://evil.example/x/")
    assert response.url == "/de/accounts/login/?next=/de/staff/"


def test_a_youth_reply_after_the_session_ended_leads_back_to_the_case_page(client, youth):
    case = make_case(youth=youth)
    response = client.post(f"/de/cases/{case.public_id}/", {"body": "Noch eine Frage"})
    assert response.status_code == 302
    assert response.url == f"/de/accounts/login/?next=/de/cases/{case.public_id}/"


def test_the_reply_draft_is_named_for_its_writer_and_forgotten_after_sending(client):
    counselor = counselor_with_profile("counselor_draft", ["de"])
    case = assign_to(make_case(), counselor)
    client.force_login(counselor)
    page = client.get(f"/de/staff/cases/{case.public_id}/").content.decode()
    name = f"{counselor.pk}:case-{case.public_id}"
    assert f'data-draft="{name}"' in page and 'data-draft-store="local"' in page
    assert "data-draft-sent" not in page
    response = client.post(
        f"/de/staff/cases/{case.public_id}/reply/", {"body": "Hallo!", "idempotency_key": "a" * 32}
    )
    assert "?sent=1" in response.url
    assert f'data-draft-sent="{name}"' in client.get(response.url).content.decode()
