"""An online mentor (digital streetwork, issue 20) works with the post planner, campaign reach, the
social-space analysis, the social-media office hour and the knowledge base – and reaches no counseling
case, chat, callback, round, forum moderation, statistics of persons or staff administration.

Enumerated, not sampled: every staff URL pattern of the resolver, filled with the real objects of the
input fuzz test's world (a case with an attachment, a running chat, a round, a forum post, a site with an
appointment, a partner enquiry) plus a callback request, is requested with GET and POST as an online
mentor. Only the pages of the role's own work answer with content; every other one answers 403, 404 or
405 (the CMS: a redirect away). A new staff route is covered without anyone remembering it. Every
websocket route is tried, too."""

import re
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.utils import timezone, translation

from counseling import callbacks, chat
from counseling.intervision.tests.factories import group_with, meeting_for
from counseling.models import Case, ChatRound
from counseling.tests.factories import counselor_with_profile, make_case
from hub.asgi import application
from hub.middleware import STAFF_PATH
from hub.roles import Role, works_with_cases
from hub.routing import websocket_urlpatterns
from hub.tests.factories import UserFactory, staff_with_totp
from tests import test_input_fuzz
from tests.fuzzing import routes

chat_hours = test_input_fuzz.chat_hours


@pytest.fixture
def world(youth, chat_hours):
    """The fuzz test's world, built for the one test here that reads it (inside the test's transaction)."""
    return test_input_fuzz.build_world(youth, chat_hours)


# The online mentor's own work: these answer with a page (or a file: QR codes, the reach CSV).
OWN_WORK = {
    "hub:staff_home",
    "hub:staff_session",
    "campaigns_staff:list",
    "campaigns_staff:report",
    "campaigns_staff:report_csv",
    "campaigns_staff:channel_qr",
    "campaigns_staff:planner",
    "campaigns_staff:post_new",
    "campaigns_staff:post_edit",
    "campaigns_staff:spaces",
    "campaigns_staff:space_new",
    "campaigns_staff:space_edit",
    "campaigns_staff:space_delete",  # the question first; the delete itself is a POST
    "campaigns_staff:office_hour",
    "campaigns_staff:office_hours_held",
    # Staff training and the quality standards, and the public directory of sites (no person in it).
    "learning_staff:my_courses",
    "learning_staff:standards",
    "sites_staff:list",
}
# Own work that refuses what is not theirs: the coordinators' overview, another person's booking.
OWN_WORK_REFUSED = {"campaigns_staff:space_overview", "campaigns_staff:office_hour_cancel"}
_ARGUMENT = re.compile(r"<(?:(?P<type>\w+):)?(?P<name>\w+)>")


@pytest.fixture
def online_mentor(db):
    return staff_with_totp(username="online_mentor_ola", roles=[Role.ONLINE_MENTOR])


@pytest.fixture
def callback(world):
    soon = timezone.now() + timedelta(days=1)
    return callbacks.callback_request(
        youth=UserFactory(roles=[Role.YOUTH]),
        phone_e164="+491761234567",
        language="de",
        topic="work",
        slots=[soon, soon],
    )


def staff_urls(world, callback) -> list[tuple[str, str]]:
    """(route name, URL) for every staff route outside the CMS, with real objects where there are any."""
    from django.urls import reverse

    from campaigns.models import Channel, PlannedPost, SocialSpace

    space = SocialSpace.objects.create(
        platform="telegram", name="Ausbildung in Deutschland", country="KZ", language="ru",
        observed_on=timezone.localdate(),
    )  # fmt: skip
    channel = Channel.objects.first()
    post = PlannedPost.objects.create(
        campaign=channel.campaign, platform="telegram", language="ru", publish_on=timezone.localdate(),
        text="Как найти место для обучения?",
    )  # fmt: skip
    ids = {"space_id": space.pk, "channel_id": channel.pk, "page_id": channel.campaign_id, "post_id": post.pk}
    case = Case.objects.get(public_id=world["staff args"]["counseling_staff:case"]["public_id"])
    found = []
    with translation.override("de"):
        for route in routes():
            path = "/" + route.route.replace("^", "")
            if not STAFF_PATH.match(path) or path.startswith("/staff/cms/"):
                continue
            if route.name in world["staff args"]:
                found.append((route.name, reverse(route.name, kwargs=world["staff args"][route.name])))
                continue

            def value(match, route=route):
                if match["name"] == "public_id":
                    return str(callback.public_id if "callbacks/" in route.route else case.public_id)
                if match["name"] in ids:
                    return str(ids[match["name"]])
                if match["name"] == "slug":
                    return world["staff args"]["sites_staff:edit"]["slug"]
                return {"int": "1", "uuid": str(case.public_id), "fmt": "svg"}.get(
                    match["type"] or "str", "svg" if match["name"] == "fmt" else "x"
                )

            found.append((route.name, "/" + _ARGUMENT.sub(value, route.route).replace("^", "")))
    return found


@pytest.mark.django_db
@pytest.mark.slow
def test_every_staff_url_gives_an_online_mentor_no_case_content(client, world, callback, online_mentor):
    client.force_login(online_mentor)
    urls = staff_urls(world, callback)
    names = {name for name, _url in urls}
    assert {"counseling_staff:inbox", "counseling_staff:case", "counseling_staff:chat_desk"} <= names
    assert {"counseling_staff:callbacks", "counseling_staff:callback_take", "hub:statistics"} <= names
    assert names >= OWN_WORK and len(urls) > 60
    case = Case.objects.get(public_id=world["staff args"]["counseling_staff:case"]["public_id"])
    secrets = [case.public_id.hex[:8], "amira", str(callback.public_id)]
    wrong = []
    for name, url in urls:
        if name in OWN_WORK:
            response = client.get(url)
            if response.status_code != 200:
                wrong.append(f"{name} {url}: GET {response.status_code}, expected the page")
            body = response.content.decode(errors="replace")
            wrong += [f"{name} {url} shows {secret}" for secret in secrets if secret in body]
            continue
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (403, 404, 405):
                wrong.append(f"{name} {url}: {method.upper()} {status}")
    assert wrong == []


@pytest.mark.django_db
def test_the_cms_is_not_theirs(client, online_mentor):
    client.force_login(online_mentor)
    for url in [*test_input_fuzz.CMS_LISTINGS, "/staff/cms/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert not response.content.strip() or response.status_code == 403


@pytest.mark.django_db
def test_an_online_mentor_has_no_inbox_and_no_case_tile(client, online_mentor, counselor):
    assert not works_with_cases(online_mentor) and works_with_cases(counselor)
    client.force_login(online_mentor)
    home = client.get("/de/staff/").content.decode()
    assert "/de/staff/cases/" not in home
    assert "/de/staff/campaigns/spaces/" in home and "/de/staff/campaigns/office-hour/" in home
    assert client.get("/de/staff/cases/").status_code == 403
    # Another role beside it (an online mentor who also counsels) brings the inbox back.
    online_mentor.groups.add(*counselor.groups.all())
    del online_mentor._role_names
    client.force_login(online_mentor)
    assert client.get("/de/staff/cases/").status_code == 200


@pytest.mark.django_db
def test_an_online_mentor_reads_internal_knowledge_articles(online_mentor):
    from knowledge.access import reader_audiences
    from knowledge.models import Audience

    assert Audience.INTERNAL in reader_audiences(online_mentor)


# --- websockets -------------------------------------------------------------------------------------

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def _connects(user, path) -> bool:
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    await communicator.disconnect()
    return connected


def _live_objects():
    from counseling import rounds

    youth = UserFactory(roles=[Role.YOUTH])
    counselor = counselor_with_profile("counselor_ws_om", ["de"])
    started = chat.chat_start(youth=youth, language="de", topic="work")
    case = chat.chat_accept(chat=started, counselor=counselor).case
    now = timezone.now()
    chat_round = rounds.round_open(
        chat_round=rounds.round_schedule(
            moderator=counselor, title="Wohnung", topic="housing", language="de", starts_at=now,
            ends_at=now + timedelta(hours=1),
        )
    )  # fmt: skip
    mentor = staff_with_totp(username="online_mentor_ws", roles=[Role.ONLINE_MENTOR])
    make_case(youth=youth, language="de")
    meeting = meeting_for(group_with(counselor, name="Intervision WS", language="de"))
    return mentor, {"cases": case.public_id, "rounds": chat_round.public_id, "intervision": meeting.public_id}


@pytest.mark.django_db(transaction=True)
async def test_an_online_mentor_opens_no_case_chat_or_round_socket():
    mentor, ids = await sync_to_async(_live_objects)()
    try:
        opened = {}
        for pattern in websocket_urlpatterns:
            route = str(pattern.pattern)
            kind = route.split("/")[1]
            path = "/" + _ARGUMENT.sub(lambda _m, kind=kind: str(ids.get(kind, "")), route)
            opened[path.split("/")[2]] = await _connects(mentor, path)
        # Their own notices only (hub/consumers.py: a per-user group); nothing of a case or the desk.
        assert opened == {
            "notifications": True, "cases": False, "chat-desk": False, "rounds": False, "intervision": False,
        }  # fmt: skip
        assert await sync_to_async(ChatRound.objects.count)() == 1
    finally:
        await sync_to_async(connections.close_all)()


# --- the role is given where staff are set up (issue 16's pages) ------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_invites_an_online_mentor_and_the_account_is_ready(
    client, coordinator, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.test import Client

    from counseling.models import CounselorProfile
    from hub.labels import role_label
    from hub.models import User
    from hub.roles import user_roles
    from hub.tests.test_invitations import ACCEPT, link_from, path_of

    client.force_login(coordinator)
    form = client.get("/en/staff/invitations/").content.decode()
    assert 'value="online_mentor"' in form and "Online mentor" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/staff/invitations/", {"email": "ola@jmd-digital.de", "roles": ["online_mentor"]}
        )
    assert response.status_code == 302
    newcomer = Client()
    assert newcomer.post(path_of(link_from(mail.outbox[0].body)), ACCEPT).status_code == 302
    user = User.objects.get(username=ACCEPT["username"])
    assert user_roles(user) == {Role.ONLINE_MENTOR}
    assert not CounselorProfile.objects.filter(user=user).exists()  # never routed a case
    with translation.override("en"):
        assert role_label("online_mentor") == "Online mentor"


@pytest.mark.django_db
def test_the_staff_administration_gives_the_role_and_a_site_lead_cannot(client, coordinator):
    from hub.models import AuditEntry
    from hub.roles import user_roles
    from sites import services as site_services
    from sites.tests.factories import SiteFactory
    from tests.test_staff_administration import account_form

    site = SiteFactory()
    editor = staff_with_totp(username="editor_ed", roles=[Role.EDITOR])
    lead = staff_with_totp(username="lead_lea", roles=[Role.SITE_LEAD, Role.COUNSELOR])
    site_services.site_lead_grant(user=lead, site=site)
    member = counselor_with_profile("counselor_cora", ["de"], site=site)

    client.force_login(lead)  # a site lead gives counseling roles at their site only
    refused = client.post(
        f"/en/staff/accounts/{member.pk}/", account_form(member, roles=["counselor", "online_mentor"])
    )
    assert refused.status_code == 403 and Role.ONLINE_MENTOR not in user_roles(member)
    invite = {"email": "x@jmd.de", "roles": ["online_mentor"], "counsel_sites": [site.pk]}
    assert client.post("/en/staff/invitations/", invite).status_code == 403

    client.force_login(coordinator)
    response = client.post(
        f"/en/staff/accounts/{editor.pk}/", account_form(editor, roles=["editor", "online_mentor"])
    )
    assert response.status_code == 302
    del editor._role_names
    assert user_roles(editor) == {Role.EDITOR, Role.ONLINE_MENTOR}
    assert AuditEntry.objects.filter(
        action="role.changed", target_id=str(editor.pk), actor=coordinator
    ).exists()
