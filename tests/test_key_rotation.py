"""Master-key rotation covers every sealed value: found by model introspection (hub/sealed.py), so a new
sealed column is checked without anyone adding it here. After rotation the old key is dropped and
everything still opens: case content, callback and appointment numbers, chat rounds, staff TOTP."""

import base64
import io
import uuid
from datetime import time, timedelta

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import CommandError, call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from counseling import callbacks, rounds, services, voice
from counseling import feedback as case_feedback
from counseling.intervision import services as intervision_services
from counseling.intervision.tests import factories as intervision_factories
from counseling.models import ChatRound
from counseling.tests.factories import counselor_with_profile, make_case
from counseling.uploads import CleanFile
from hub import crypto, key_rotation, push, sealed, web_push
from hub.asgi import application
from hub.legal.feedback import feedback_submit
from hub.roles import Role
from hub.tests.factories import PASSWORD, UserFactory, staff_with_totp, totp_now
from sites import appointments
from sites.models import HoursKind, OpeningHours
from sites.tests.factories import SiteFactory

NEW_KEY = base64.urlsafe_b64encode(b"r" * 32).decode()
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
PHONE = "+4917612345678"


def build_everything_sealed():
    """One row for every sealed column there is; a new sealed field needs a row here (the test says so)."""
    youth = UserFactory(roles=[Role.YOUTH])
    pdf = CleanFile(name="Zeugnis.pdf", content_type="application/pdf", data=b"%PDF-1.4 Zeugnis")
    case = make_case(youth=youth, body="Mein Visum läuft ab.", files=[pdf])
    counselor = staff_with_totp(roles=[Role.COUNSELOR])
    RecoveryCodes.activate(counselor)
    services.note_add(case=case, author=counselor, body="Rückruf vereinbart")
    callbacks.callback_request(
        youth=youth, phone_e164=PHONE, language="de", topic="work", slots=[timezone.now() + timedelta(days=1)]
    )
    site = SiteFactory()
    for weekday in range(7):
        OpeningHours.objects.create(
            site=site, kind=HoursKind.APPOINTMENTS, weekday=weekday, opens=time(9), closes=time(17)
        )
    slot = appointments.appointment_slots(site, now=timezone.now())[0]
    appointment = appointments.appointment_book(
        site=site, youth=youth, starts_at=slot.start, mode="phone", language="de", phone=PHONE,
        idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    moderator = counselor_with_profile(f"moderator_{uuid.uuid4().hex[:5]}", ["de"])
    starts = timezone.now() - timedelta(minutes=5)
    chat_round = rounds.round_open(
        chat_round=rounds.round_schedule(
            moderator=moderator,
            title="Ausbildung",
            topic="work",
            language="de",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )  # fmt: skip
    )
    participant = rounds.round_join(chat_round=chat_round, user=youth, pseudonym="Stern")
    feedback_submit(message="Kontrast zu schwach", page="/de/ask/", email="leser@example.org", language="de")
    closed = services.case_set_status(case=make_case(youth=youth), status="closed", actor=None)
    case_feedback.feedback_give(case=closed, user=youth, helped="yes", come_back="yes", text="Hat geholfen")
    rounds.round_post(
        chat_round=chat_round, author=youth, body="Hallo vor der Rotation", client_id=uuid.uuid4()
    )
    # "Tell me on this device" (hub/push.py): a browser's push address and keys, sealed with the row's key.
    push.push_subscribe(
        user=youth,
        subscription=push.Subscription(
            "https://push.example.org/send/rotation",
            web_push.b64url(web_push.public_key_bytes(ec.generate_private_key(ec.SECP256R1()))),
            web_push.b64url(b"0123456789abcdef"),
        ),
        language="de",
    )
    # Intervision (counseling/intervision/): a request with its own key, and an answer sealed with it.
    group = intervision_factories.group_with(counselor)
    request = intervision_factories.request_for(case, counselor, group)
    intervision_services.answer_add(request=request, author=counselor, body="Erst die Unterlagen klären.")
    # A voice message with the counselor's summary for the record (counseling/voice.py).
    recording = CleanFile(name="voice.webm", content_type="audio/webm", data=b"\x1a\x45\xdf\xa3webm")
    voice_message = services.message_send(case=case, author=youth, body="", files=[recording])
    voice.voice_summary_set(
        attachment=voice_message.attachments.get(), author=counselor, text="Visum läuft ab"
    )
    return {
        "youth": youth,
        "counselor": counselor,
        "appointment": appointment,
        "round": chat_round,
        "participant": participant,
    }


def rotate(settings):
    """The operator's steps: new key in, old key kept, run the command, drop the old key for good."""
    old_key = settings.ENCRYPTION_KEY
    settings.ENCRYPTION_KEY, settings.ENCRYPTION_OLD_KEYS = NEW_KEY, [old_key]
    call_command("rotate_master_key", stdout=io.StringIO())
    settings.ENCRYPTION_OLD_KEYS = []


def assert_everything_opens():
    opened = 0
    for model, field in sealed.fields_of(sealed.SealedField):
        rows = list(model._default_manager.exclude(**{field.attname: b""}))
        assert rows, f"no {model._meta.label}.{field.name} to check: add one to build_everything_sealed()"
        for row in rows:
            sealed.open_field(row, field)  # raises KeyUnavailable if it cannot be opened
            opened += 1
    for model, field in sealed.fields_of(sealed.WrappedKeyField):
        for wrapped in model._default_manager.exclude(**{field.attname: b""}).values_list(field.attname):
            assert not crypto.needs_rewrap(wrapped[0]), f"{model._meta.label}.{field.name} not re-wrapped"
    adapter = get_adapter()
    authenticators = list(Authenticator.objects.all())
    assert {a.type for a in authenticators} == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    for authenticator in authenticators:
        for entry in sealed.MASTER_SEALED_JSON:
            for key in entry.keys:
                value = authenticator.data.get(key)
                for text in value if isinstance(value, list) else [value] if value else []:
                    assert not sealed.text_needs_reseal(text)
                    adapter.decrypt(text)
                    opened += 1
    return opened


def test_every_binary_column_is_a_sealed_value_or_a_wrapped_key_whose_key_can_be_found():
    binary = sealed.binary_fields()
    assert len(binary) >= 9
    for model, field in binary:
        label = f"{model._meta.label}.{field.name}"
        assert isinstance(field, sealed.SealedField | sealed.WrappedKeyField), f"{label} is not marked"
        if isinstance(field, sealed.SealedField):
            assert field.purpose, label
            holder = model
            for step in filter(None, field.key_path.split(".")):
                holder = holder._meta.get_field(step).related_model
            assert any(isinstance(f, sealed.WrappedKeyField) for f in holder._meta.concrete_fields), label


@pytest.mark.django_db
def test_after_rotation_every_sealed_value_opens_without_the_old_key(settings):
    made = build_everything_sealed()
    opened_before = assert_everything_opens()

    rotate(settings)

    assert assert_everything_opens() == opened_before
    assert appointments.appointment_phone(made["appointment"].__class__.objects.get()) == PHONE


@pytest.mark.django_db
def test_without_rotation_dropping_the_old_key_locks_rounds_appointments_and_totp(settings):
    made = build_everything_sealed()
    settings.ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(crypto.KeyUnavailable):
        rounds.lines_after(ChatRound.objects.get(pk=made["round"].pk), 0)
    with pytest.raises(crypto.KeyUnavailable):
        appointments.appointment_phone(made["appointment"].__class__.objects.get())
    with pytest.raises(crypto.KeyUnavailable):
        get_adapter().decrypt(Authenticator.objects.filter(type="totp").first().data["secret"])


@pytest.mark.django_db
def test_rotation_resumes_after_an_interruption_and_is_safe_to_run_twice(settings, monkeypatch):
    build_everything_sealed()
    old_key = settings.ENCRYPTION_KEY
    settings.ENCRYPTION_KEY, settings.ENCRYPTION_OLD_KEYS = NEW_KEY, [old_key]
    real_wrap, calls = crypto.wrap, []

    def wrap_then_crash(data_key):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the server went down")
        return real_wrap(data_key)

    monkeypatch.setattr(crypto, "wrap", wrap_then_crash)
    with pytest.raises(RuntimeError):
        call_command("rotate_master_key", stdout=io.StringIO())
    monkeypatch.setattr(crypto, "wrap", real_wrap)

    first = key_rotation.master_key_rotate()
    assert first.current >= 2 and first.rewrapped and not first.unreadable  # the two done before the crash
    second = key_rotation.master_key_rotate()
    assert second.rewrapped == {} and not second.unreadable
    settings.ENCRYPTION_OLD_KEYS = []
    assert_everything_opens()


@pytest.mark.django_db
def test_a_value_that_opens_with_no_configured_key_stops_the_command_so_the_old_key_is_kept(settings):
    build_everything_sealed()
    settings.ENCRYPTION_KEY = NEW_KEY  # the old key was lost before rotating
    with pytest.raises(CommandError, match="open with none of the configured keys"):
        call_command("rotate_master_key", stdout=io.StringIO())


@pytest.mark.django_db
def test_totp_secrets_are_stored_sealed_and_login_with_totp_works_after_rotation(client, settings):
    counselor = staff_with_totp(roles=[Role.COUNSELOR])
    stored = Authenticator.objects.get(user=counselor, type="totp").data["secret"]
    assert stored != counselor.totp_secret and counselor.totp_secret not in stored
    assert sealed.is_sealed_text(stored)

    rotate(settings)

    assert Authenticator.objects.get(user=counselor, type="totp").data["secret"] != stored
    response = client.post(reverse("account_login"), {"login": counselor.username, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(counselor.totp_secret)})
    assert response.status_code == 302
    assert client.get(reverse("hub:staff_home")).status_code == 200


@pytest.fixture
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_a_chat_round_runs_on_after_rotation(client, settings):
    made = await sync_to_async(build_everything_sealed)()
    await sync_to_async(rotate)(settings)

    await sync_to_async(client.force_login)(made["youth"])
    page = await sync_to_async(client.get)(reverse("counseling:round", args=[made["round"].public_id]))
    assert page.status_code == 200 and "Hallo vor der Rotation" in page.content.decode()

    communicator = WebsocketCommunicator(
        application, f"/ws/rounds/{made['round'].public_id}/", headers=ORIGIN
    )
    communicator.scope["user"] = made["youth"]
    connected, _code = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    await communicator.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Und danach"})
    while (event := await communicator.receive_json_from(timeout=5))["type"] != "line":
        pass
    assert event["body"] == "Und danach"
    await communicator.disconnect()
    lines = await sync_to_async(rounds.lines_after)(await ChatRound.objects.aget(pk=made["round"].pk), 0)
    assert [line["body"] for line in lines] == ["Hallo vor der Rotation", "Und danach"]


@pytest.mark.django_db
def test_the_migration_seals_totp_secrets_written_in_the_clear():
    from tests.schema import OneMigration

    counselor = UserFactory(is_staff=True, roles=[Role.COUNSELOR])
    migration = OneMigration("hub", "0008_seal_mfa_secrets")
    migration.undo()
    # Written as allauth wrote them before the adapter sealed anything (its table has not changed since).
    Authenticator.objects.create(user_id=counselor.pk, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    codes = {"migrated_codes": ["1234-5678"], "used_mask": 0}
    Authenticator.objects.create(user_id=counselor.pk, type="recovery_codes", data=codes)
    migration.apply()

    totp = Authenticator.objects.get(type="totp").data["secret"]
    codes = Authenticator.objects.get(type="recovery_codes").data["migrated_codes"]
    assert sealed.is_sealed_text(totp) and "JBSWY3DPEHPK3PXP" not in totp
    assert get_adapter().decrypt(totp) == "JBSWY3DPEHPK3PXP"
    assert [get_adapter().decrypt(code) for code in codes] == ["1234-5678"]
