"""Encryption at rest: sealed in the database, bound to its case, unreadable after deletion, master
key rotation; nothing of a message in logs."""

import base64
import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection

from counseling import sealing, services
from counseling.models import Case, Message
from hub import crypto
from hub.roles import Role
from hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SECRET = "Mein Visum läuft am 3. März ab, was kann ich tun?"
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()


def ask(body=SECRET):
    return services.enquiry_create(
        youth=UserFactory(roles=[Role.YOUTH]), topic="arrival", language="de", body=body
    )


def stored_body(case) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_sealed FROM counseling_message WHERE case_id = %s", [case.pk])
        return bytes(cursor.fetchone()[0])


def test_the_stored_body_is_not_the_plain_text_but_opens_with_the_case_key():
    case = ask()
    raw = stored_body(case)
    assert SECRET.encode() not in raw and b"Visum" not in raw
    assert services.message_body(Message.objects.get(case=case)) == SECRET


def test_a_sealed_body_copied_into_another_case_does_not_open():
    first, second = ask(), ask("andere Frage")
    stolen = stored_body(first)
    with pytest.raises(crypto.KeyUnavailable):
        sealing.unseal(Case.objects.get(pk=second.pk), stolen, purpose="message")


def test_after_deleting_a_case_its_content_cannot_be_decrypted_any_more():
    case = ask()
    backup_of_messages = stored_body(case)  # as a database backup would still hold it
    survivor = Case.objects.get(pk=case.pk)
    services.case_delete(case=case)
    assert not Case.objects.filter(pk=survivor.pk).exists()
    assert not Message.objects.filter(case_id=survivor.pk).exists()
    survivor.wrapped_key = case.wrapped_key  # the key as it was at deletion: destroyed first
    assert survivor.wrapped_key == b""
    with pytest.raises(crypto.KeyUnavailable):
        sealing.unseal(survivor, backup_of_messages, purpose="message")


def test_rotating_the_master_key_rewraps_case_keys(settings):
    case = ask()
    old_key = settings.ENCRYPTION_KEY
    settings.ENCRYPTION_KEY, settings.ENCRYPTION_OLD_KEYS = NEW_KEY, [old_key]
    call_command("rotate_master_key", stdout=io.StringIO())
    settings.ENCRYPTION_OLD_KEYS = []  # the old key is gone for good
    message = Message.objects.select_related("case").get(case=case)
    assert services.message_body(message) == SECRET


def test_without_rotation_dropping_the_old_key_locks_the_content(settings):
    case = ask()
    settings.ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(crypto.KeyUnavailable):
        services.message_body(Message.objects.select_related("case").get(case=case))


def test_nothing_of_a_message_reaches_the_logs_even_with_sql_logging(client, youth, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(youth)
    connection.force_debug_cursor = True
    try:
        client.post(
            "/de/ask/",
            {
                "topic": "arrival",
                "language": "de",
                "body": SECRET,
                "idempotency_key": "6f1c3c1e-3b1a-4c55-9a53-6d3f0b7e9a10",
            },
        )
    finally:
        connection.force_debug_cursor = False
    assert Case.objects.filter(youth=youth).exists()
    assert "Visum" not in caplog.text
