"""A case (or a chat, callback or attachment of one) that the user may not see is a 404 on every
counseling URL — enumerated from the URL resolver, so a new route is covered without anyone remembering
to — and 403 remains only for "may see, may not change"."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from counseling import access, callbacks, sealing
from counseling.models import Attachment, Chat, ChatStatus
from counseling.tests.factories import counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

# A round's page is public by its link; its denials are tested in test_rounds_and_video.
ROUND_ROUTES = "rounds/"


def counseling_routes():
    """(namespace:name, route) for every counseling URL that takes an object's public id."""
    found = []

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, route)
            elif (
                isinstance(pattern, URLPattern)
                and namespace in ("counseling", "counseling_staff")
                and "<uuid:public_id>" in route
            ):
                found.append((f"{namespace}:{pattern.name}", str(pattern.pattern)))

    walk(get_resolver().url_patterns, None, "")
    return found


@pytest.fixture
def objects():
    site = SiteFactory()
    counselor = counselor_with_profile("anna_nf", ["de", "tr"], site=site)
    youth = UserFactory(roles=[Role.YOUTH])
    case = make_case(youth=youth, language="de", site=site)
    Chat.objects.create(case=case, status=ChatStatus.ACTIVE)
    message = case.messages.get()
    attachment = Attachment.objects.create(
        message=message,
        uploaded_by=youth,
        # A voice message: the download, the player and the summary routes all take it.
        name_sealed=sealing.seal(case, "voice.webm", purpose="attachment-name"),
        content_type="audio/webm",
        size=1,
        data_sealed=sealing.seal(case, b"x", purpose="attachment"),
    )
    soon = timezone.now() + timedelta(days=1)
    callback = callbacks.callback_request(
        youth=youth, phone_e164="+491761234567", language="tr", topic="work", slots=[soon, soon]
    )
    return {"case": case, "callback": callback, "attachment": attachment, "counselor": counselor}


def object_for(route: str, objects) -> object:
    if route.startswith("callbacks/"):
        return objects["callback"]
    if route.startswith(("attachments/", "voice/")):
        return objects["attachment"]
    return objects["case"]


def test_the_enumeration_covers_case_chat_callback_and_attachment_routes():
    routes = dict(counseling_routes())
    assert {"counseling:case", "counseling:chat", "counseling:video", "counseling:attachment"} <= set(routes)
    assert {"counseling:voice", "counseling:chat_voice", "counseling_staff:voice_summary"} <= set(routes)
    assert {"counseling_staff:case", "counseling_staff:chat", "counseling_staff:callback_take"} <= set(routes)
    assert len(routes) >= 20


@pytest.mark.parametrize("actor", ["counselor_of_another_site", "youth_of_another_case", "online_mentor"])
def test_every_counseling_url_answers_404_for_what_the_user_may_not_see(client, objects, actor):
    if actor == "counselor_of_another_site":
        user = counselor_with_profile("olaf_nf", ["ru"], site=SiteFactory())
        namespaces = ("counseling", "counseling_staff")
    elif actor == "online_mentor":  # digital streetwork, no case of any site (issue 20)
        user = staff_with_totp(username="ola_nf", roles=[Role.ONLINE_MENTOR])
        namespaces = ("counseling", "counseling_staff")
    else:
        user = UserFactory(roles=[Role.YOUTH])
        namespaces = ("counseling",)  # the staff area refuses young people as a whole (hub middleware)
    client.force_login(user)
    checked = 0
    for name, route in counseling_routes():
        if route.startswith(ROUND_ROUTES) or name.split(":")[0] not in namespaces:
            continue
        url = reverse(name, kwargs={"public_id": object_for(route, objects).public_id})
        statuses = {client.get(url).status_code, client.post(url).status_code}
        # 405 is a method the view does not take; every answer to the other method is a 404. A desk
        # the role may not use at all (the chat desk for an online mentor) refuses with 403 before it
        # looks at the id, so that answer says nothing about the id either.
        allowed = {403, 404} if actor == "online_mentor" else {404}
        assert statuses - {405} and statuses - {405} <= allowed, (name, statuses)
        checked += 1
    assert checked >= (5 if actor == "youth_of_another_case" else 20)


def test_403_remains_for_who_may_see_but_not_change(client, objects):
    case = objects["case"]
    lead = counselor_with_profile("lena_nf", ["de"], roles=[Role.SITE_LEAD])
    site_services.site_lead_grant(user=lead, site=case.site)
    assert access.may_open_case(lead, case)
    client.force_login(lead)
    assert client.get(reverse("counseling_staff:case", args=[case.public_id])).status_code == 200
    assert client.get(reverse("counseling_staff:chat", args=[case.public_id])).status_code == 403
    assert client.post(reverse("counseling_staff:video", args=[case.public_id])).status_code == 403
    colleague = counselor_with_profile("carla_nf", ["de"], site=case.site)
    client.force_login(colleague)
    assert client.post(reverse("counseling_staff:chat_end", args=[case.public_id])).status_code == 403
    assert client.post(reverse("counseling_staff:handover", args=[case.public_id])).status_code == 403
