"""The suite runs against real services: Celery through Redis to a worker process, mail over SMTP."""

import pytest
from django.core import mail
from django.test import Client

from hub.tasks import ping


def test_a_task_round_trips_through_a_real_worker_on_redis(celery_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
    # It really ran in the other process, not inline.
    assert result.status == "SUCCESS"


def test_mail_goes_over_smtp_to_the_sink(smtp_sink, db):
    mail.send_mail("Betreff", "Hallo", None, ["someone@example.org"])
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0]["to"] == ["someone@example.org"]


def test_health_reports_database_and_redis(db, settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test starts Redis)")
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_health_reports_redis_down(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"
    assert response.json()["database"] == "ok"
