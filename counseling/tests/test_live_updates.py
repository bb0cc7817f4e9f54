"""Issue 17, live updates without reload: what the pages and services give the scripts to work with."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string

from counseling import live_notices, services
from counseling.models import CaseStatus
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Ancestors(HTMLParser):
    """The roles around the element carrying `marker`."""

    def __init__(self, marker):
        super().__init__()
        self.marker, self.stack, self.found = marker, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.marker in attrs:
            self.found = [role for role in self.stack if role]
        if tag not in {"br", "input", "img", "meta", "link"}:
            self.stack.append(attrs.get("role"))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()


def test_live_chat_and_round_lines_land_in_a_log_region(rf, youth):
    """The one template of every live room (youth and staff chat, chat rounds) puts the lines the script
    appends inside role="log", which screen readers announce as lines arrive."""
    request = rf.get("/")
    request.user = youth
    html = render_to_string(
        "counseling/includes/live_chat.html",
        {"mode": "chat", "socket": "/ws/x/", "lines": [], "live_strings": {}, "user": youth},
        request=request,
    )
    parser = _Ancestors("data-live-lines")
    parser.feed(html)
    assert parser.found == ["log"]


def test_every_live_room_uses_that_template():
    from pathlib import Path

    from django.conf import settings

    rooms = [
        path
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "data-live-lines" in path.read_text() or "live_chat.html" in path.read_text()
    ]
    names = {str(path.relative_to(Path(settings.BASE_DIR, "templates"))) for path in rooms}
    assert names == {
        "counseling/includes/live_chat.html",
        "counseling/chat_room.html",
        "counseling/round_room.html",
        "counseling/staff/chat_room.html",
        "counseling/staff/round_room.html",
    }


def test_an_absence_is_announced_to_the_people_of_the_counselors_open_cases(monkeypatch):
    sent = []
    monkeypatch.setattr(live_notices, "user_notify", lambda **kwargs: sent.append(kwargs))
    counselor = counselor_with_profile("counselor_away", ["de"])
    colleague = counselor_with_profile("counselor_here", ["de"])
    open_case = assign_to(make_case(), counselor)
    closed_case = assign_to(make_case(), counselor)
    closed_case.status = CaseStatus.CLOSED
    closed_case.save(update_fields=["status"])
    assign_to(make_case(), colleague)

    services.absence_set(user=counselor, is_absent=True, message="Bis Montag")
    services.absence_set(user=counselor, is_absent=False)  # back: the notice goes away live as well
    event = {"user_id": open_case.youth_id, "event": {"kind": "absence", "case": str(open_case.public_id)}}
    assert sent == [event, event]


def test_the_youth_case_page_marks_what_the_script_takes_over(client):
    youth = UserFactory(username="mira_live", roles=[Role.YOUTH])
    case = make_case(youth=youth)
    client.force_login(youth)
    page = client.get(f"/de/cases/{case.public_id}/").content.decode()
    for region in ("status", "actions", "thread"):
        assert f'data-case-live="{region}"' in page
    assert f'data-case="{case.public_id}"' in page and "data-message=" in page
    assert "counseling/js/case_live.js" in page
