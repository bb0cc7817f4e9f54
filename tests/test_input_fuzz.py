"""No input gives a server error on the youth-facing pages (issue 14, point 8).

Enumerated, not sampled: every URL pattern outside the staff area comes from the resolver (a new route
without an entry in WORLD_ARGUMENTS fails the test), each page is rendered as an anonymous visitor and as
a signed-in young person (and as a chat guest), and then
- every query parameter the page reads (recorded while it renders) or offers in a GET form,
- every field of every POST form it renders, the other fields left at what the page filled in,
- every argument in its path,
gets each of tests.fuzzing.BAD_VALUES: NUL, 100k characters, invalid UTF-8, dates and numbers out of
range, wrong types, right-to-left marks and emoji. Run against PostgreSQL: NUL only fails there.
"""

import re
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.documents.models import Document

from campaigns.models import OfficeHours, SocialSpace
from campaigns.tests.factories import campaign_create, channel_create
from counseling import chat, guests, presence, rounds, services
from counseling.forum import services as forum_services
from counseling.forum.models import CaseInvitation, ForumProfile
from counseling.forum.tests.factories import CategoryFactory
from counseling.intervision import services as intervision_services
from counseling.intervision.tests import factories as intervision_factories
from counseling.models import Label
from counseling.partners.tests.factories import organisation_create, partner_account, partner_enquiry
from counseling.services import case_set_status
from counseling.tests.factories import counselor_with_profile, make_case
from counseling.tests.pdfs import harmless_pdf
from counseling.uploads import CleanFile, inspect_upload
from hub.middleware import STAFF_PATH
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from knowledge.tests.factories import article_create
from learning.tests.factories import CertificateFactory, CourseFactory
from sites import appointments
from sites import services as site_services
from sites.models import Appointment, GroupOffer, GroupSession, HoursKind, OpeningHours
from sites.tests.factories import SiteFactory
from tests import shared_rows
from tests.fuzzing import BAD_VALUES, ReadKeys, encode, forms_of, routes, starts_afresh, unrecorded_templates

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_11 = datetime(2026, 12, 8, 11, 0, tzinfo=BERLIN)
PDF = harmless_pdf()
FORM_URLENCODED = "application/x-www-form-urlencoded"
FORMSET_LATER_ROW = re.compile(r"-[1-9]\d*-")

# Routes that are not pages of the youth side, with the reason.
NOT_YOUTH_PAGES = {
    "health": "monitoring endpoint, no input",
    "wagtailcore_authenticate_with_password": "page view restrictions are not used",
    "wagtaildocs_authenticate_with_password": "document view restrictions are not used",
}


def youth_routes():
    return [
        route
        for route in routes()
        if not STAFF_PATH.match("/" + route.route.replace("^", "")) and route.name not in NOT_YOUTH_PAGES
    ]


@pytest.fixture
def chat_hours(monkeypatch):
    """A Tuesday in the chat hours, so the chat page renders its "chat now" form too."""
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_11)
    return TUESDAY_11


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, built once for the tests of a module (they only read it; what a test writes is rolled
    back after it: tests/shared_rows.py), with its young person "amira"."""
    with shared_rows.rows_kept(django_db_blocker) as kept:
        with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
            patch.setattr(timezone, "now", lambda: TUESDAY_11)  # built in the chat hours, as tests run
            youth = UserFactory(username="amira", roles=[Role.YOUTH])
            built = {**build_world(youth, TUESDAY_11), "youth": youth}
        kept.keep_cache()  # the counselor online for chat
        yield built, kept


@pytest.fixture
def world(world_once, chat_hours, db):
    """One of everything a young person can reach, owned by `youth` where it is someone's."""
    built, kept = world_once
    kept.restore_cache()
    return built


@pytest.fixture
def youth(world):
    """The world's young person (conftest's `youth`, built with the world)."""
    return world["youth"]


def build_world(youth, chat_hours):
    site = SiteFactory(slug="jmd-essen", offers_groups=True)
    counselor = counselor_with_profile(
        "counselor_fuzz", ["de"], site=site, roles=[Role.COUNSELOR, Role.SITE_LEAD]
    )
    site_services.site_lead_grant(user=counselor, site=site)
    presence.go_online(counselor.pk, now=chat_hours)
    upload = inspect_upload(SimpleUploadedFile("zeugnis.pdf", PDF, content_type="application/pdf"))
    case = make_case(youth=youth, site=site, files=[upload], country="TR")  # abroad: "I have arrived"
    attachment = case.messages.first().attachments.first()
    # A voice message in the case (counseling/voice.py): its player, and its summary page for staff.
    recording = CleanFile(name="voice.webm", content_type="audio/webm", data=b"\x1a\x45\xdf\xa3webm")
    voice_message = services.message_send(case=case, author=youth, body="", files=[recording])
    voice_attachment = voice_message.attachments.get()
    # A closed case of the young person: its page asks the feedback questions (counseling/feedback.py).
    closed_case = case_set_status(case=make_case(youth=youth, site=site), status="closed", actor=None)
    guest = guests.guest_create()
    guest_chat = chat.chat_start(youth=guest, language="de", topic="work")
    chat.chat_end(chat=guest_chat, by=guest)
    youth_chat = chat.chat_start(youth=youth, language="de", topic="work")
    now = timezone.now()
    chat_round = rounds.round_open(
        chat_round=rounds.round_schedule(
            moderator=counselor, title="Wohnung", topic="housing", language="de", starts_at=now,
            ends_at=now + timedelta(hours=1),
        )
    )  # fmt: skip
    offer = GroupOffer.objects.create(
        site=site, title_de="Sprachcafé", format="virtual", language="de", capacity=5
    )
    for weekday in (1, 2, 3):
        OpeningHours.objects.create(
            site=site, kind=HoursKind.APPOINTMENTS, weekday=weekday, opens=dt_time(10), closes=dt_time(12)
        )
    start = now + timedelta(days=7)
    GroupSession.objects.create(offer=offer, starts_at=start, ends_at=start + timedelta(hours=1))
    appointment = Appointment.objects.create(
        site=site, youth=youth, mode="video", language="de", starts_at=start,
        ends_at=start + timedelta(hours=1), idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    category = CategoryFactory()
    ForumProfile.objects.create(user=youth, pseudonym="amira_forum", published_posts=5)
    post = forum_services.thread_create(category=category, author=youth, title="Ausbildung?", body="Was tun?")
    invitation = CaseInvitation.objects.create(youth=youth, counselor=counselor, post=post, message="Hallo")
    article = article_create(title_de="Ausbildung in Deutschland")
    campaign = campaign_create()
    channel = channel_create(campaign)
    certificate = CertificateFactory(user=counselor)
    document = Document.objects.create(title="Merkblatt", file=ContentFile(PDF, name="merkblatt.pdf"))
    course = CourseFactory()
    label = Label.objects.create(name="Wohnung")
    case.labels.add(label)
    organisation = organisation_create()
    partner = partner_account("partner_fuzz", organisation)
    enquiry = partner_enquiry(partner)
    # Intervision: the world's counselor is in a group, asked about the case and has a meeting.
    intervision_group = intervision_factories.group_with(counselor)
    intervision = intervision_factories.request_for(case, counselor, intervision_group)
    intervision_answer = intervision_services.answer_add(request=intervision, author=counselor, body="Ja.")
    intervision_meeting = intervision_factories.meeting_for(intervision_group)
    online_mentor, space = streetwork_world(channel)
    staff_args = {
        "intervision:request_new": {"public_id": case.public_id},
        "intervision:request": {"public_id": intervision.public_id},
        "intervision:answer_helped": {"public_id": intervision.public_id, "answer_id": intervision_answer.pk},
        "intervision:group": {"pk": intervision_group.pk},
        "intervision:member_remove": {"pk": intervision_group.pk, "user_id": counselor.pk},
        "intervision:meeting": {"public_id": intervision_meeting.public_id},
        "hub:staff_account": {"user_id": counselor.pk},
        "hub:staff_account_deactivate": {"user_id": counselor.pk},
        "hub:staff_account_reactivate": {"user_id": counselor.pk},
        "hub:statistics_report": {"year": chat_hours.year},
        "campaigns_staff:report": {"page_id": campaign.pk},
        "counseling_staff:case": {"public_id": case.public_id},
        "counseling_staff:voice_summary": {"public_id": voice_attachment.public_id},
        "counseling_staff:chat": {"public_id": youth_chat.case.public_id},
        "counseling_staff:round": {"public_id": chat_round.public_id},
        "counseling_staff:label_edit": {"pk": label.pk},
        "counseling_staff:label_delete": {"pk": label.pk},
        "forum_staff:category": {"pk": category.pk},
        "forum_staff:post": {"pk": post.pk},
        "forum_staff:edit": {"pk": post.pk},
        "forum_staff:invite": {"pk": post.pk},
        "forum_staff:suspend": {"pk": post.pk},
        "learning_staff:report": {"slug": course.slug},
        "sites_staff:edit": {"slug": site.slug},
        "sites_staff:agenda": {"slug": site.slug},
        "sites_staff:agenda_action": {"slug": site.slug, "public_id": appointment.public_id},
        "sites_staff:groups": {"slug": site.slug},
        "sites_staff:group_edit": {"slug": site.slug, "public_id": offer.public_id},
        "sites_staff:group_new": {"slug": site.slug},
        "sites_staff:schedule": {"slug": site.slug},
        "partners_staff:organisation": {"pk": organisation.pk},
        "partners_staff:detach": {"pk": organisation.pk, "user_id": partner.pk},
        "partners_staff:refer": {"public_id": enquiry.public_id},
        "campaigns_staff:space_edit": {"space_id": space.pk},
    }
    return {
        "counselor": counselor,
        "online mentor": online_mentor,
        "partner": partner,
        "staff args": staff_args,
        "guest": guest,
        # The guest's own chat, where the "keep this chat" form is.
        "guest args": {
            "counseling:chat": {"public_id": guest_chat.case.public_id},
            "counseling:chat_end": {"public_id": guest_chat.case.public_id},
        },
        "args": {
            "hub:invitation_accept": {"token": "not-a-real-token"},
            "account_confirm_email": {"key": "not-a-real-key"},
            "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-key"},
            "forum:category": {"pk": category.pk},
            "forum:thread_new": {"pk": category.pk},
            "forum:thread": {"pk": post.thread_id},
            "forum:watch": {"pk": post.thread_id},
            "forum:post_edit": {"pk": post.pk},
            "forum:report": {"pk": post.pk},
            "forum:helpful": {"pk": post.pk},
            "forum:invitation": {"pk": invitation.pk},
            "counseling:chat": {"public_id": youth_chat.case.public_id},
            "counseling:chat_end": {"public_id": youth_chat.case.public_id},
            "counseling:guest_keep": {"public_id": guest_chat.case.public_id},
            "counseling:round": {"public_id": chat_round.public_id},
            "counseling:case": {"public_id": case.public_id},
            "counseling:video": {"public_id": case.public_id},
            "counseling:case_feedback": {"public_id": closed_case.public_id},
            "counseling:arrival": {"public_id": case.public_id},
            "counseling:attachment": {"public_id": attachment.public_id},
            "counseling:voice": {"public_id": voice_attachment.public_id},
            "counseling:chat_voice": {"public_id": youth_chat.case.public_id},
            "sites:group": {"public_id": offer.public_id},
            "sites:group_leave": {"public_id": offer.public_id},
            "sites:appointment": {"public_id": appointment.public_id},
            "sites:appointment_manage": {"token": appointments.manage_token(appointment)},
            "sites:detail": {"slug": site.slug},
            "sites:hours_ics": {"slug": site.slug},
            "sites:book": {"slug": site.slug},
            "learning:verify": {"code": certificate.code},
            "wagtail_serve": [f"{article.url_path.strip('/').split('/', 1)[-1]}/"],
            "knowledge:helpful": {"page_id": article.pk},
            "knowledge:article": {"page_id": article.pk, "slug": article.slug},
            "campaigns:landing": {"slug": campaign.slug},
            "campaign_short_link": {"code": channel.code},
            "wagtaildocs_serve": [document.pk, "merkblatt.pdf"],
            "legal:page": {"kind": "accessibility"},  # the statement with its feedback form
            "partners:enquiry": {"public_id": enquiry.public_id},
        },
    }


def streetwork_world(channel):
    """An online mentor holding office hours every weekday (so the booking form has slots) and a social
    space of hers, used on the channel (issue 20)."""
    online_mentor = staff_with_totp(username="online_mentor_fuzz", roles=[Role.ONLINE_MENTOR])
    for weekday in range(5):
        OfficeHours.objects.create(host=online_mentor, weekday=weekday, opens=dt_time(0), closes=dt_time(23))
    space = SocialSpace.objects.create(
        platform="telegram", name="Ausbildung in Deutschland", country="KZ", language="ru",
        observed_on=timezone.localdate(), recorded_by=online_mentor,
    )  # fmt: skip
    space.channels.add(channel)
    return online_mentor, space


def page_url(route, world, role="youth") -> str:
    arguments = world.get(f"{role} args", {}).get(route.name) or world["args"].get(route.name)
    assert arguments is not None or not route.has_arguments, f"add {route.name} to the fuzz test's world"
    with translation.override("de"):
        if isinstance(arguments, list):
            return reverse(route.name, args=arguments)
        return reverse(route.name, kwargs=arguments or {})


class Fuzzer:
    """Sends requests and keeps every server error, so one run reports all of them."""

    def __init__(self, client_for, forget):
        self.client_for, self.forget, self.errors, self.requests = client_for, forget, [], 0

    def send(self, role, method, url, body=None, note=""):
        client = self.client_for(role)
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data=body or "", content_type=FORM_URLENCODED)
        self.requests += 1
        if starts_afresh(client, response):
            self.forget(role)
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {role} {method.upper()} {url[:150]} {note}")
        return response


def signed_in_client(user, backend=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend=backend)
        client.signed_in_as = str(user.pk)  # tests.fuzzing.starts_afresh
    return client


@pytest.fixture
def fuzzer(world, youth, settings, monkeypatch):
    settings.ACCOUNT_RATE_LIMITS = False  # a thousand sign-ups and logins from one address
    unrecorded_templates(monkeypatch)
    clients = {}

    def client_for(role):
        if role not in clients:
            if role == "guest":
                backend = "django.contrib.auth.backends.ModelBackend"
                clients[role] = signed_in_client(world["guest"], backend)
            else:
                clients[role] = signed_in_client({"youth": youth, "partner": world["partner"]}.get(role))
        return clients[role]

    return Fuzzer(client_for, lambda role: clients.pop(role, None))


@pytest.fixture
def staff_fuzzer(world, coordinator, monkeypatch):
    unrecorded_templates(monkeypatch)
    clients = {}

    def client_for(role):
        if role not in clients:
            users = {"coordinator": coordinator, "online mentor": world["online mentor"]}
            clients[role] = signed_in_client(users.get(role, world["counselor"]))
        return clients[role]

    return Fuzzer(client_for, lambda role: clients.pop(role, None))


def test_every_youth_route_is_in_the_fuzz_world(world):
    for route in youth_routes():
        page_url(route, world)  # fails for a route with arguments the world does not provide
    names = {route.name for route in youth_routes()}
    assert {"counseling:ask", "knowledge:index", "account_signup", "forum:thread_new"} <= names


@pytest.mark.xdist_group("fuzz world")  # both on one worker, so the second finds the first's world
@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_finds_the_world_as_built(world, chat_hours, run):
    """The world is built once per module (tests/shared_rows.py): what a test writes is gone for the next,
    and the cache (emptied after each test) again says the world's counselor is online for chat."""
    assert presence.is_online(world["counselor"].pk, now=chat_hours)
    assert not Label.objects.filter(name__startswith="written by a test").exists()
    Label.objects.create(name=f"written by a test: {run}")
    presence.go_offline(world["counselor"].pk)


def test_no_input_gives_a_server_error_on_the_youth_pages(world, fuzzer):
    started = time.monotonic()
    roles = ("anonymous", "youth", "guest")
    fuzzed_forms = set()
    for route in youth_routes():
        for role in _roles_for(route, roles):
            url = page_url(route, world, role)
            with pytest.MonkeyPatch.context() as patch:
                reader = ReadKeys(patch)
                page = fuzzer.send(role, "get", url, note="(page)")
            html = page.content.decode(errors="replace") if page.status_code == 200 else ""
            forms = forms_of("http://testserver" + url, html)
            fuzz_query_parameters(fuzzer, role, url, reader.keys, forms)
            for form in forms:
                # The same form (same fields) on several pages or for several roles is fuzzed once.
                if form.method == "post" and form.key not in fuzzed_forms:
                    fuzzed_forms.add(form.key)
                    fuzz_form(fuzzer, role, form)
        if route.has_arguments:
            url = page_url(route, world)
            for label in ("nul", "overlong", "invalid utf-8", "rtl and emoji"):
                bad_url = _with_bad_argument(url, route, world, BAD_VALUES[label])
                fuzzer.send("youth", "get", bad_url, note=label)
    print(f"\n{fuzzer.requests} requests, {len(fuzzed_forms)} forms in {time.monotonic() - started:.1f} s")
    print("\n".join(f"{path}: {', '.join(fields)}" for _method, path, fields in sorted(fuzzed_forms)))
    assert fuzzer.errors == [], "\n".join(fuzzer.errors)


def _roles_for(route, roles):
    """Counseling pages for everyone incl. chat guests; the network partners' pages also as a partner."""
    if route.name.startswith("counseling:"):
        return roles
    if route.name.startswith("partners:"):
        return (*roles[:2], "partner")
    return roles[:2]


def fuzz_query_parameters(fuzzer, role, url, read_keys, forms, values=BAD_VALUES):
    """The parameters the view looked up while rendering, and those its GET forms send."""
    offered = {name for form in forms if form.method == "get" for name, _ in form.fields}
    for parameter in sorted((read_keys | offered) - {"csrfmiddlewaretoken"}):
        for label, bad in values.items():
            query = encode([], fuzz=parameter, bad=bad)
            fuzzer.send(role, "get", f"{url}?{query}", note=f"{parameter}: {label}")


def fuzz_form(fuzzer, role, form, values=BAD_VALUES):
    # In a formset the first row stands for the others: same fields, same cleaning.
    names = {name for name, _ in form.fields if not FORMSET_LATER_ROW.search(name)}
    for name in sorted(names - {"csrfmiddlewaretoken"}):
        for label, bad in values.items():
            body = encode(form.fields, fuzz=name, bad=bad)
            fuzzer.send(role, "post", form.action, body, note=f"{name}: {label}")


def _with_bad_argument(url, route, world, bad):
    arguments = world["args"][route.name]
    last = str(arguments[-1] if isinstance(arguments, list) else list(arguments.values())[-1])
    head, _, tail = url.rpartition(last)
    return f"{head}{bad[:5000]}{tail}"


# The Wagtail admin's own listings with filters (the rest of the CMS is Wagtail's to test).
CMS_LISTINGS = [
    "/staff/cms/pages/search/",
    "/staff/cms/images/",
    "/staff/cms/documents/",
    "/staff/cms/pages/",
]


def staff_pages(world):
    """Every staff route without arguments, the staff routes of a site, case, chat, round, post, course
    and campaign (world["staff args"]), and the CMS listings."""
    for route in routes():
        path = "/" + route.route.replace("^", "")
        if not STAFF_PATH.match(path) or path.startswith("/staff/cms/"):
            continue
        if not route.has_arguments or route.name in world["staff args"]:
            with translation.override("de"):
                yield reverse(route.name, kwargs=world["staff args"].get(route.name, {}))
    yield from CMS_LISTINGS


# Staff pages are many and heavy (statistics, formsets of opening hours): the kinds of value that found
# errors there, NUL and right-to-left text being taken care of at the door for every page alike.
STAFF_VALUES = {
    label: BAD_VALUES[label]
    for label in (
        "nul inside",
        "overlong",
        "invalid utf-8",
        "far date",
        "early date",
        "huge number",
        "repeat",
    )
}


def test_no_input_gives_a_server_error_on_the_staff_pages(world, staff_fuzzer):
    """Each page as a coordinator, or as a counselor and site lead where a coordinator may not go, or as an
    online mentor (their office hours)."""
    started, fuzzed_forms, pages = time.monotonic(), set(), list(staff_pages(world))
    assert len(pages) > 45
    for url in pages:
        for role in ("coordinator", "counselor", "online mentor"):
            with pytest.MonkeyPatch.context() as patch:
                reader = ReadKeys(patch)
                page = staff_fuzzer.send(role, "get", url, note="(page)")
            if page.status_code == 200:
                break
        forms = forms_of("http://testserver" + url, page.content.decode(errors="replace"))
        fuzz_query_parameters(staff_fuzzer, role, url, reader.keys, forms, STAFF_VALUES)
        for form in forms:
            if form.method == "post" and form.key not in fuzzed_forms and "/cms/" not in form.action:
                fuzzed_forms.add(form.key)
                fuzz_form(staff_fuzzer, role, form, STAFF_VALUES)
    took = time.monotonic() - started
    print(f"\n{staff_fuzzer.requests} requests, {len(fuzzed_forms)} forms in {took:.1f} s")
    print("\n".join(f"{path}: {', '.join(fields)}" for _method, path, fields in sorted(fuzzed_forms)))
    assert staff_fuzzer.errors == [], "\n".join(staff_fuzzer.errors)
