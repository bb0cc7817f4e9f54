"""Every mail a young person can receive gives nothing away (issue 15.2).

The templates are found by walking the template folders (every `*_subject.txt` under a `mail`/`email`
folder), so a new one is covered without anyone remembering it: a youth template without a way to send
it here fails the test. Each is sent through its real code path to the SMTP sink in every portal
language, decoded (Russian or Arabic mails go out base64-encoded) and read: the neutral sender, and
nowhere the service, the username, the site, the host or a topic. Links must open the portal in the
person's language. A second check renders every template with poisoned values for every variable it
could print, so a template that starts printing a site or username fails even if no trigger reaches it.
"""

import email
import email.policy
import re
import uuid
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import pgettext

from counseling.forum import services as forum_services
from counseling.forum.models import ThreadWatch
from counseling.forum.tasks import notify_watchers
from counseling.forum.tests.factories import CategoryFactory, poster, published_thread
from counseling.tasks import notify_participant
from counseling.tests.factories import make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from hub.topics import Topic
from sites import groups
from sites.models import Appointment, GroupOffer, GroupParticipation, GroupSession
from sites.tasks import send_appointment_mail, send_group_mail
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
USERNAME = "amira_hidden"
ADDRESS = "inbox-7@example.org"  # says nothing of the username, so a leak of it would show
SITE_NAME = "JMD Standort Essen-Altendorf"
GROUP_TITLE = "Mädchentreff Gewaltschutz"
THREAD_TITLE = "Ärger mit dem Jobcenter"
SERVICE_WORDS = ["JMD", "Jugendmigrationsdienst", "Migrationsdienst", "digital-hub", "digital hub"]

# Mails only staff receive; everything else under a mail folder is a youth mail and must be covered.
STAFF_MAILS = {
    "counseling/mail/staff_approval",
    "counseling/mail/staff_arrival",
    "counseling/mail/staff_escalation",
    "counseling/mail/staff_new_message",
    "counseling/mail/staff_reminder",
    "hub/mail/staff_invitation",
    "learning/mail/due_reminder",
    "learning/mail/overdue",
}
# Sent by allauth's adapter: the account mails and (were notifications on) the two-factor notices.
ALLAUTH_PREFIXES = ("account/email/", "mfa/email/")


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    return dirs + [Path(d) for d in get_app_template_dirs("templates")]


def mail_templates() -> list[str]:
    """Every mail template name (without `_subject.txt`), from the project and the installed apps."""
    found = set()
    for base in _template_dirs():
        for path in base.rglob("*_subject.txt"):
            relative = path.relative_to(base)
            if {"mail", "email"} & set(relative.parts[:-1]):
                found.add(str(relative)[: -len("_subject.txt")])
    return sorted(found)


def youth_templates() -> list[str]:
    return [name for name in mail_templates() if name not in STAFF_MAILS and _reachable(name)]


def _reachable(name: str) -> bool:
    # socialaccount is not installed: its mails cannot be sent.
    return not name.startswith("socialaccount/") or "allauth.socialaccount" in settings.INSTALLED_APPS


def _body_template(name: str) -> str:
    return f"{name}_message.txt" if name.startswith(ALLAUTH_PREFIXES) else f"{name}.txt"


# --- the people, places and things a mail could give away ---------------------------------------------


@pytest.fixture
def person(db):
    user = UserFactory(username=USERNAME, roles=[Role.YOUTH], email=ADDRESS)
    EmailAddress.objects.create(user=user, email=ADDRESS, verified=True, primary=True)
    return user


@pytest.fixture
def site(db):
    return SiteFactory(name=SITE_NAME, slug="essen-altendorf", town="Essen", street="Altendorfer Straße 9")


def _forbidden(language: str, site) -> list[str]:
    host = urlsplit(settings.SITE_URL).hostname
    with translation.override(language):
        topics = [str(label) for label in Topic.labels]
    return [
        *SERVICE_WORDS,
        USERNAME,
        site.name,
        site.town,
        site.street,
        host,
        GROUP_TITLE,
        THREAD_TITLE,
        *topics,
    ]


# --- reading what arrived at the SMTP sink -------------------------------------------------------------

LINK = re.compile(r"https?://[^\s<>\"]+")


def _parse(raw: str):
    # From bytes: an 8bit part (the calendar file) read from a str comes back with \\u escapes.
    return email.message_from_bytes(raw.encode(), policy=email.policy.default)


def _read(raw: str) -> dict:
    mail = _parse(raw)
    headers = "\n".join(f"{k}: {v}" for k, v in mail.items() if k.lower() not in ("message-id", "date", "to"))
    parts = []
    for part in mail.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        parts.append(content.decode() if isinstance(content, bytes) else content)
    return {"mail": mail, "headers": headers, "text": "\n".join(parts), "parts": parts}


def assert_neutral(raw: str, *, language: str, site) -> dict:
    read = _read(raw)
    mail = read["mail"]
    sender_name, sender_address = parseaddr(str(mail["From"]))
    assert (sender_name, sender_address) == parseaddr(settings.NEUTRAL_FROM_EMAIL)
    for word in SERVICE_WORDS:
        assert word.lower() not in sender_name.lower()
    everything = f"{read['headers']}\n{read['text']}"
    links = LINK.findall(everything)
    for link in links:
        # Into the portal, in the person's language (allauth builds its links from the request's host).
        assert urlsplit(link).path.startswith(f"/{language}/"), (language, link)
    # The sender's address and the links name the portal's host by necessity (set NEUTRAL_FROM_EMAIL and
    # SITE_URL to neutral names in production); nothing else may.
    rest = LINK.sub(" ", everything).replace(sender_address, " ")
    for word in _forbidden(language, site):
        assert not _mentions(rest, word), (language, word, rest)
    return read


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def _sent(smtp_sink, since: int) -> list[str]:
    return [message["data"] for message in smtp_sink.messages[since:]]


# --- one trigger per youth mail: the real code path that sends it -------------------------------------


def _request(language, user=None):
    request = RequestFactory().get(f"/{language}/")
    request.user = user
    request.LANGUAGE_CODE = language
    return request


def send_account_flow_mail(name, *, client, person, language, **_):
    """Address confirmation and password reset go through allauth's pages, as a young person uses them."""
    if name == "account/email/email_confirmation":
        EmailAddress.objects.filter(user=person).delete()
        person.email = ""
        person.save(update_fields=["email"])
        client.force_login(person)
        response = client.post(f"/{language}/accounts/email/", {"action_add": "", "email": ADDRESS})
        assert response.status_code == 302
    elif name == "account/email/password_reset_key":
        client.post(f"/{language}/accounts/password/reset/", {"email": ADDRESS})
    elif name == "account/email/unknown_account":
        client.post(f"/{language}/accounts/password/reset/", {"email": "nobody-here@example.org"})


def send_allauth_mail(name, *, person, language, **_):
    """allauth's adapter with every value its mails may use (a template printing one of them leaks)."""
    link = f"{settings.SITE_URL}/{language}/accounts/x/"
    context = {
        "user": person,
        "username": USERNAME,
        "user_display": USERNAME,
        "activate_url": link,
        "password_reset_url": link,
        "signup_url": link,
        "code": "4711",
        "from_email": ADDRESS,
        "to_email": ADDRESS,
        "deleted_email": ADDRESS,
        "ip": "",
        "user_agent": "",
        "timestamp": timezone.now(),
    }
    request = _request(language, person)
    with translation.override(language), request_context(request):
        get_adapter(request).send_mail(name, ADDRESS, context)


def send_reply_notice(name, *, person, language, **_):
    case = make_case(youth=person, language="de", topic=Topic.FAMILY)
    assert notify_participant(case.pk)


def send_forum_notice(name, *, person, language, **_):
    writer = poster("writer", published_posts=10)
    thread = published_thread(category=CategoryFactory(language="de", topic=Topic.FAMILY), title=THREAD_TITLE)
    forum_services.watch_set(thread=thread, user=person, watching=True)
    ThreadWatch.objects.filter(user=person).update(last_seen_at=timezone.now() - timedelta(hours=1))
    post = forum_services.post_reply(thread=thread, author=writer, body="Antwort")
    assert notify_watchers(post.pk) == 1


def _appointment(person, site, **fields):
    start = timezone.now() + timedelta(days=1)
    return Appointment.objects.create(
        site=site,
        youth=person,
        mode=fields.pop("mode", "on_site"),
        language="de",
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        idempotency_key=uuid.uuid4(),
        **fields,
    )


def send_appointment_mails(name, *, person, language, site, **_):
    appointment = _appointment(person, site)
    for event in ("booked", "moved", "reminder"):
        assert send_appointment_mail(appointment.pk, event)
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")
    assert send_appointment_mail(appointment.pk, "cancelled")


def send_group_mails(name, *, person, language, site, **_):
    offer = GroupOffer.objects.create(
        site=site, title_de=GROUP_TITLE, format="on_site", language="de", capacity=5, room="Raum 3"
    )
    start = timezone.now() + timedelta(days=1)
    session = GroupSession.objects.create(offer=offer, starts_at=start, ends_at=start + timedelta(hours=1))
    participation = groups.group_join(offer=offer, youth=person, pseudonym="Sonne")
    assert isinstance(participation, GroupParticipation)
    for event in ("reminder", "promoted", "cancelled", "removed"):
        assert send_group_mail(participation.pk, event, session.pk)


def send_feedback_answer(name, *, person, language, **_):
    """A coordinator answers feedback on the accessibility statement (no account: the address given)."""
    from django.test import TestCase

    from hub.legal.feedback import feedback_answer, feedback_submit

    feedback = feedback_submit(message="Der Kontrast ist zu schwach.", email=ADDRESS, language=language)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert feedback_answer(feedback=feedback, answer="Danke, wir haben es geändert.")


TRIGGERS = {
    "account/email/email_confirmation": send_account_flow_mail,
    "account/email/password_reset_key": send_account_flow_mail,
    "account/email/unknown_account": send_account_flow_mail,
    "counseling/mail/reply_notice": send_reply_notice,
    "forum/mail/notice": send_forum_notice,
    "sites/mail/appointment": send_appointment_mails,
    "sites/mail/group": send_group_mails,
    "legal/mail/feedback_answer": send_feedback_answer,
}


def trigger_for(name: str):
    if name in TRIGGERS:
        return TRIGGERS[name]
    if name.startswith(ALLAUTH_PREFIXES):
        return send_allauth_mail
    return None


def test_the_walk_finds_the_mails_we_know():
    names = youth_templates()
    for name in TRIGGERS:
        assert name in names
    assert "account/email/password_changed" in names and "counseling/mail/staff_escalation" not in names


def test_every_youth_mail_template_has_a_way_to_be_sent_here():
    """A new youth mail template fails here until a trigger sends it through its real code path."""
    missing = [name for name in youth_templates() if trigger_for(name) is None]
    assert not missing, f"youth mail templates without a privacy check in {__file__}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", youth_templates())
def test_every_youth_mail_is_neutral_in_every_language(name, language, person, site, client, smtp_sink):
    trigger = trigger_for(name)
    if trigger is None:
        pytest.fail(f"no trigger for {name}")
    person.language = language
    person.save(update_fields=["language"])
    since = len(smtp_sink.messages)
    trigger(name, client=client, person=person, language=language, site=site)
    sent = _sent(smtp_sink, since)
    assert sent, f"{name} sent nothing"
    for raw in sent:
        read = assert_neutral(raw, language=language, site=site)
        assert read["mail"]["Subject"].strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_calendar_entry_says_only_appointment_unless_chosen(language, person, site, smtp_sink):
    person.language = language
    person.save(update_fields=["language"])
    for shows_site in (False, True):
        since = len(smtp_sink.messages)
        appointment = _appointment(person, site, calendar_shows_site=shows_site)
        send_appointment_mail(appointment.pk, "booked")
        (raw,) = _sent(smtp_sink, since)
        mail = _parse(raw)
        attachments = mail.iter_attachments()
        (attachment,) = [part for part in attachments if part.get_content_type() == "text/calendar"]
        ics = attachment.get_content()
        ics = ics.decode() if isinstance(ics, bytes) else ics
        with translation.override(language):
            neutral = pgettext("calendar entry", "Appointment")
        if shows_site:
            assert f"SUMMARY:{SITE_NAME}" in ics and "LOCATION:Altendorfer" in ics
        else:
            summary = re.search(r"^SUMMARY:(.*)$", ics, re.M).group(1).strip()
            assert summary == neutral
            assert "LOCATION" not in ics and "DESCRIPTION" not in ics
            for word in _forbidden(language, site):
                assert not _mentions(ics, word), word


def test_booking_page_offers_the_site_name_in_the_calendar_and_stores_the_choice(client, person, site):
    client.force_login(person)
    page = client.get(f"/en/sites/{site.slug}/book/").content.decode()
    assert 'name="calendar_shows_site"' in page


# --- the poison check: every value a template could print ----------------------------------------------


class Poison:
    """Stands for any object in a mail's context; whatever of it a template prints is a leak."""

    TEXT = f"{USERNAME} {SITE_NAME} {GROUP_TITLE}"

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_at"):
            return timezone.now()  # dates are printed through the date filter
        return Poison()

    def __getitem__(self, key):
        raise TypeError("not subscriptable")  # the template engine then tries the attribute

    def __call__(self, *args, **kwargs):
        return Poison()

    def __str__(self):
        return self.TEXT

    def __bool__(self):
        return True


POISONED_NAMES = [
    "user", "username", "user_display", "appointment", "offer", "session", "case", "thread", "post",
    "site", "current_site", "site_name", "site_domain", "invitation", "participation", "group", "topic",
]  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", youth_templates())
def test_no_youth_template_prints_a_name_a_site_or_the_service(name, language):
    base = {key: Poison() for key in POISONED_NAMES}
    # The person's own address may appear (it is theirs); links are the portal's.
    address = {key: ADDRESS for key in ("email", "from_email", "to_email", "deleted_email")}
    links = {key: "L" for key in ("link", "activate_url", "password_reset_url", "signup_url")}
    base |= address | links | {"code": "4711"}
    django_engine = engines["django"]
    for event in ("booked", "moved", "cancelled", "reminder", "promoted", "removed", ""):
        with translation.override(language):
            for template in (f"{name}_subject.txt", _body_template(name)):
                text = render_to_string(template, {**base, "event": event}, using=django_engine.name)
                for word in [*SERVICE_WORDS, USERNAME, SITE_NAME, GROUP_TITLE]:
                    assert not _mentions(text, word), (template, language, event, word)
