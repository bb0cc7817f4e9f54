"""NUL bytes never reach a view or PostgreSQL (hub/input_guard.py). PostgreSQL refuses NUL in text,
so these fail with a 500 on PostgreSQL without the guard (SQLite would not notice)."""

import uuid

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from counseling.models import Case
from hub.input_guard import InputGuardMiddleware
from hub.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/de/ask/?site=%00", "/de/knowledge/?q=%00", "/de/knowledge/?q=Aus%00bildung"]
)
def test_a_nul_in_a_query_parameter_is_taken_out(client, url):
    assert client.get(url).status_code == 200


def test_the_view_sees_the_value_without_the_nul():
    seen = {}

    def view(request):
        seen.update(get=request.GET.getlist("q"), post=request.POST.get("body"), keys=list(request.POST))
        return HttpResponse()

    request = RequestFactory().post("/de/ask/?q=a%00b&q=c", {"body": "Hallo\x00Welt", "x\x00y": "1"})
    InputGuardMiddleware(view)(request)
    assert seen == {"get": ["ab", "c"], "post": "HalloWelt", "keys": ["body", "xy"]}


def test_a_form_with_a_nul_goes_through_and_keeps_the_text(client):
    data = {
        "topic": "work",
        "language": "de",
        "body": "Wie finde ich\x00 eine Ausbildung?",
        "idempotency_key": str(uuid.uuid4()),
        "account-username": "sonne\x00_7",
        "account-password1": "kaffee-mit-milch-7",
        "account-password2": "kaffee-mit-milch-7",
    }
    response = client.post("/de/ask/", data)
    assert response.status_code == 302
    user = User.objects.get(username="sonne_7")
    assert Case.objects.filter(youth=user).exists()


@pytest.mark.parametrize(
    ("url", "text"), [("/c/%00", "Diese Adresse"), ("/ar/knowledge/1/a%00b/", "هذا العنوان")]
)
def test_a_nul_in_the_path_gets_a_translated_400(client, url, text):
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert text in page
    assert "script" not in page and "default-src 'none'" in response["Content-Security-Policy"]


def test_a_cookie_with_a_nul_is_ignored(client, youth):
    client.force_login(youth)
    # A forged session cookie (octal escape in a quoted cookie value decodes to NUL).
    response = client.get("/de/me/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert response.status_code == 302  # not signed in: to the login, not a server error
    assert client.get("/de/knowledge/", HTTP_COOKIE='django_language="d\\000e"').status_code == 200
